#!/usr/bin/env node
/**
 * The invoice-lines figure (issue #13): for every PDF of a folder, whether Facteur reads its lines
 * completely and consistently — lines found, their sum (with charges and discounts) equal to the
 * total excl. tax, the VAT per rate equal to the VAT total — and the share of such files.
 *
 *   npm run build && node scripts/lines-figure.mjs FOLDER [--manifest manifest.json] [--json]
 *
 * Totals: the ones Facteur reads on the page; with `--manifest` (entries `{ name, truth }` whose
 * `truth` holds `totalExclTax`/`totalTax`/`totalInclTax`), also against those hand-checked totals,
 * which separates the lines from the field reading. A PDF carrying a Factur-X XML with lines is
 * also compared with them (an independent truth): same number of lines and same amounts.
 * Reads only the files it is given; prints figures, asserts nothing. Uses dist/ (build first).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { inspectPdf } from '../dist/recognition/inspect.js';
import { openPdf, readPageText } from '../dist/recognition/pdf-document.js';
import { buildChunks } from '../dist/recognition/layout.js';
import { readLines } from '../dist/recognition/lines/read-lines.js';

const args = process.argv.slice(2);
const folder = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--manifest');
const manifestAt = args.indexOf('--manifest');
const json = args.includes('--json');
if (!folder) {
  console.error('usage: node scripts/lines-figure.mjs FOLDER [--manifest manifest.json] [--json]');
  process.exit(1);
}
const truths = new Map();
if (manifestAt >= 0) {
  for (const entry of JSON.parse(readFileSync(args[manifestAt + 1], 'utf8')))
    truths.set(entry.name, entry.truth ?? {});
}

const field = (value) => (value === undefined || value === null ? null : { value: String(value) });

/** Median time of `readLines` alone on the document's chunks (the cost added to an inspection). */
async function timeReadLines(bytes, report, options) {
  const opened = await openPdf(new Uint8Array(bytes));
  if (!opened.ok) return null;
  const chunks = [];
  for (let p = 1; p <= report.pagesRead; p++) {
    const page = await opened.doc.getPage(p);
    chunks.push(...buildChunks((await readPageText(page)).runs, p));
  }
  await opened.doc.destroy();
  const times = [];
  for (let i = 0; i < 15; i++) {
    const t0 = process.hrtime.bigint();
    readLines(chunks, report.fields, options);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const num = (d) => (d === undefined || d === null ? null : Number(d));

/**
 * Printed lines against the XML's: same number of lines, and each printed line matched by its
 * amount with an XML line of the same quantity and VAT rate (when both state them).
 */
function compareWithXml(lines, xmlLines) {
  const printed = lines.filter((l) => l.kind === 'line');
  const left = [...xmlLines];
  let matched = 0;
  for (const l of printed) {
    const k = left.findIndex(
      (x) =>
        Math.abs(x.netAmountCents ?? NaN) === Math.abs(l.amountCents) &&
        (l.quantity === undefined ||
          x.quantity === undefined ||
          Math.abs(num(l.quantity)) === Math.abs(num(x.quantity))) &&
        (l.vatRate === undefined ||
          x.vatRatePercent === undefined ||
          num(l.vatRate) === num(x.vatRatePercent)),
    );
    if (k >= 0) {
      left.splice(k, 1);
      matched++;
    }
  }
  return {
    same: printed.length === xmlLines.length && matched === printed.length,
    printed: printed.length,
    xml: xmlLines.length,
  };
}

const files = readdirSync(folder)
  .filter((f) => f.toLowerCase().endsWith('.pdf'))
  .sort();
const rows = [];
for (const file of files) {
  const bytes = readFileSync(join(folder, file));
  const report = await inspectPdf(new Uint8Array(bytes), file);
  const options = {
    pagesRead: report.pagesRead,
    creditNote: report.invoiceType === 'AVOIR',
    ...(report.vatRegime ? { vatRegime: report.vatRegime } : {}),
  };
  const row = {
    file,
    lines: report.lines?.length ?? 0,
    consistent: report.linesCheck?.consistent ?? false,
    issues: (report.linesCheck?.issues ?? []).map((i) => i.code),
  };
  const truth = truths.get(basename(file, '.pdf'));
  if (truth) {
    const totals = {
      totalExclTax: field(truth.totalExclTax),
      totalTax: field(truth.totalTax),
      totalInclTax: field(truth.totalInclTax),
    };
    const withTruth = readLines(await chunksOf(bytes, report), totals, options);
    row.consistentWithTruth = withTruth.consistent;
    row.truthIssues = withTruth.issues.map((i) => i.code);
  }
  const xmlLines = report.facturx?.invoice?.lines;
  if (xmlLines && xmlLines.length > 0) row.facturx = compareWithXml(report.lines ?? [], xmlLines);
  row.ms = await timeReadLines(bytes, report, options);
  rows.push(row);
}

async function chunksOf(bytes, report) {
  const opened = await openPdf(new Uint8Array(bytes));
  if (!opened.ok) return [];
  const chunks = [];
  for (let p = 1; p <= report.pagesRead; p++)
    chunks.push(...buildChunks((await readPageText(await opened.doc.getPage(p))).runs, p));
  await opened.doc.destroy();
  return chunks;
}

const good = rows.filter((r) => r.consistent).length;
const goodTruth = rows.filter((r) => r.consistentWithTruth).length;
const withTruth = rows.filter((r) => r.consistentWithTruth !== undefined).length;
const fx = rows.filter((r) => r.facturx);
const ms = rows
  .map((r) => r.ms)
  .filter((m) => m !== null)
  .sort((a, b) => a - b);
const summary = {
  files: rows.length,
  consistent: good,
  share: rows.length ? good / rows.length : 0,
  ...(withTruth ? { consistentWithTruth: goodTruth, shareWithTruth: goodTruth / withTruth } : {}),
  facturx: { files: fx.length, sameLines: fx.filter((r) => r.facturx.same).length },
  readLinesMs: { median: ms[Math.floor(ms.length / 2)] ?? null, max: ms[ms.length - 1] ?? null },
};
if (json) {
  console.log(JSON.stringify({ rows, summary }, null, 2));
} else {
  for (const r of rows) {
    const t =
      r.consistentWithTruth === undefined
        ? ''
        : ` · truth totals: ${r.consistentWithTruth ? 'yes' : `no (${r.truthIssues.join(', ')})`}`;
    const x = r.facturx
      ? ` · Factur-X lines: ${r.facturx.same ? 'same' : `differ (${r.facturx.printed} read, ${r.facturx.xml} in XML)`}`
      : '';
    console.log(
      `${r.consistent ? 'OK ' : '-- '} ${r.file}: ${r.lines} lines, ${r.consistent ? 'consistent' : `not consistent (${r.issues.join(', ')})`}${t}${x} · readLines ${r.ms?.toFixed(2)} ms`,
    );
  }
  const pct = (n, d) => `${Math.round((100 * n) / d)}% (${n}/${d})`;
  console.log(`lines read completely and consistently: ${pct(good, rows.length)} with the totals read`);
  if (withTruth) console.log(`  with the hand-checked totals: ${pct(goodTruth, withTruth)}`);
  if (fx.length)
    console.log(
      `  Factur-X files whose printed lines match the XML lines: ${fx.filter((r) => r.facturx.same).length}/${fx.length}`,
    );
  console.log(
    `readLines median ${summary.readLinesMs.median?.toFixed(2)} ms, max ${summary.readLinesMs.max?.toFixed(2)} ms per document (machine shared, loaded)`,
  );
}
