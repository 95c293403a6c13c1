/**
 * The browser/office batch of the recognition speed clause (issue 9): PDFs made the way
 * freelancers' invoices are made — by Chromium (web invoicing tools, ERP exports, customer areas)
 * and by LibreOffice Writer and Calc — to time `facteur inspect --json` over the batch in one
 * process against `pdftotext -l 3 -layout` run once per file.
 *
 *   import { officeBatch } from './office-batch.js';
 *   const batch = await officeBatch();  // { files, committed, generated, note }
 *
 *   npx tsx bench/office-batch.ts [--committed-only]   prints the batch, one absolute path per line
 *
 * By hand, the comparison of the speed clause:
 *
 *   files=$(npx tsx bench/office-batch.ts)
 *   time node bin/facteur.js inspect --json $files > /dev/null
 *   time sh -c 'for f; do pdftotext -l 3 -layout "$f" - > /dev/null; done' sh $files
 *
 * The batch is every committed Chromium and LibreOffice fixture (test/fixtures/generated/, the
 * ones listed in sources.json) plus, when `chromium` and `libreoffice` are installed, variants of
 * each fixture's source with 3 to 60 more invoice lines (one to several pages), printed by the
 * same producers: about 140 files. The variants are printed once into
 * node_modules/.cache/facteur-office-batch/<digest of their sources>/ and reused while the
 * sources do not change (the first run takes a few minutes: one Chromium start per file).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HTML_FIXTURES } from '../test/fixtures/browser/index.js';
import { readSources } from '../test/fixtures/fixture-sources.js';
import { OFFICE_FIXTURES } from '../test/fixtures/office/index.js';
import { convertWithLibreOffice, installed, printHtml } from '../test/fixtures/print.js';

export interface OfficeBatch {
  /** Absolute paths: the committed fixtures first, then the generated variants. */
  files: string[];
  committed: number;
  generated: number;
  /** One line saying what the batch holds (print it beside the figures). */
  note: string;
}

/** Invoice lines added to each variant: from one page to several. */
const EXTRA_LINES = [3, 8, 15, 25, 40, 60];
/** Bump to print the variants again when the way they are made changes. */
const BATCH_VERSION = 1;

const root = fileURLToPath(new URL('../', import.meta.url));
const generatedDir = join(root, 'test/fixtures/generated');
const cacheRoot = join(root, 'node_modules/.cache/facteur-office-batch');

interface Variant {
  name: string;
  kind: 'html' | 'fodt' | 'fods';
  source: string;
}

/** Where the first invoice line of a source sits: [start, end), or null. */
function firstLine(source: string, kind: Variant['kind']): [number, number] | null {
  const marked = kind === 'html' ? /<tr class="line">[\s\S]*?<\/tr>/ : ODF_LINE;
  const m = marked.exec(source);
  if (m) return [m.index, m.index + m[0].length];
  // Older HTML fixtures do not mark their lines: the first body row of the « Désignation » table.
  const from = source.indexOf('Désignation');
  if (kind !== 'html' || from < 0) return null;
  const body = /<tbody>\s*(<tr>[\s\S]*?<\/tr>)/.exec(source.slice(from));
  if (!body) return null;
  const end = from + body.index + body[0].length;
  return [end - (body[1] as string).length, end];
}
const ODF_LINE = /<table:table-row table:style-name="line">[\s\S]*?<\/table:table-row>/;

/** The source with `extra` copies of its first invoice line (numbered), or null when it has none. */
export function withExtraLines(source: string, kind: Variant['kind'], extra: number): string | null {
  // Utility bills lay out fixed-height pages: more lines would spill over the next page.
  if (kind === 'html' && source.includes('class="sheet"')) return null;
  const line = firstLine(source, kind);
  if (!line) return null;
  const row = source.slice(line[0], line[1]);
  const close = kind === 'html' ? '</td>' : '</text:p>';
  const copies = Array.from({ length: extra }, (_, k) =>
    row.replace(close, ` – suite ${k + 1}${close}`),
  ).join('');
  return source.slice(0, line[1]) + copies + source.slice(line[1]);
}

function variants(): Variant[] {
  const sources: Array<Omit<Variant, 'source'> & { source: string }> = [
    ...HTML_FIXTURES.map((f) => ({ name: f.name, kind: 'html' as const, source: f.html })),
    ...OFFICE_FIXTURES.map((f) => ({ name: f.name, kind: f.kind, source: f.source })),
  ];
  return sources.flatMap((f) =>
    EXTRA_LINES.flatMap((extra) => {
      const source = withExtraLines(f.source, f.kind, extra);
      return source ? [{ name: `${f.name}+${extra}`, kind: f.kind, source }] : [];
    }),
  );
}

async function printVariants(list: Variant[], dir: string): Promise<void> {
  const work = join(dir, 'work');
  mkdirSync(work, { recursive: true });
  const office = list.filter((v) => v.kind !== 'html');
  const html = list.filter((v) => v.kind === 'html');
  const write = (v: Variant) => {
    const file = join(work, `${v.name}.${v.kind}`);
    writeFileSync(file, v.source);
    return file;
  };
  convertWithLibreOffice(office.map(write), dir, work);
  let next = 0;
  const lanes = Math.max(1, Math.min(2, availableParallelism()));
  await Promise.all(
    // One Chromium profile per lane: two browsers cannot share one.
    Array.from({ length: lanes }, async (_, lane) => {
      while (next < html.length) {
        const v = html[next++] as Variant;
        await printHtml(write(v), join(dir, `${v.name}.pdf`), join(work, `lane-${lane}`));
      }
    }),
  );
  rmSync(work, { recursive: true, force: true });
}

export async function officeBatch(
  options: { generate?: boolean; log?: (line: string) => void } = {},
): Promise<OfficeBatch> {
  const log = options.log ?? (() => undefined);
  const committed = Object.keys(readSources())
    .sort()
    .map((name) => join(generatedDir, `${name}.pdf`))
    .filter((file) => existsSync(file));
  const base = `${committed.length} committed Chromium/LibreOffice fixtures`;
  if (options.generate === false)
    return { files: committed, committed: committed.length, generated: 0, note: base };
  if (!installed('chromium') || !installed('libreoffice')) {
    const note = `${base} only (install chromium and libreoffice for the ~140-file batch)`;
    return { files: committed, committed: committed.length, generated: 0, note };
  }
  const list = variants();
  const digest = createHash('sha256')
    .update(JSON.stringify({ BATCH_VERSION, list }))
    .digest('hex')
    .slice(0, 16);
  const dir = join(cacheRoot, digest);
  if (!existsSync(join(dir, 'complete'))) {
    log(`printing ${list.length} Chromium/LibreOffice variants into ${dir} (once)…`);
    rmSync(cacheRoot, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await printVariants(list, dir);
    writeFileSync(join(dir, 'complete'), `${list.length}\n`);
  }
  const generated = readdirSync(dir)
    .filter((f) => f.endsWith('.pdf'))
    .sort()
    .map((f) => join(dir, f));
  const note = `${base} + ${generated.length} variants with 3 to 60 more lines (Chromium ${list.filter((v) => v.kind === 'html').length}, LibreOffice ${list.filter((v) => v.kind !== 'html').length})`;
  return {
    files: [...committed, ...generated],
    committed: committed.length,
    generated: generated.length,
    note,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const batch = await officeBatch({
    generate: !process.argv.includes('--committed-only'),
    log: (line) => console.error(line),
  });
  console.error(`${batch.files.length} files: ${batch.note}`);
  for (const file of batch.files) console.log(file);
}
