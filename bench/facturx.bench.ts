/**
 * Factur-X costs, in this thread:
 * - detection on a PDF without XML (attachments + nothing to parse): what it adds to `inspect`,
 *   next to the whole in-thread inspection of the same file;
 * - detection + parse on a Factur-X (the fast report's share);
 * - validation (XSD + Schematron) of an EN 16931 XML: cold (first call: loads libxml2-wasm,
 *   SaxonJS and the compiled rules);
 * - warm validation, wall and CPU medians, of every profile for 1, 10, 30 and 100 lines (MINIMUM
 *   and BASIC WL carry no lines: one row), with the derived single-pass Schematron;
 * - for comparison, the official Schematron compiled as it is (the reference engine) on EN 16931.
 * Medians; bounded loops. CPU time is this process's: steadier than wall time on a shared machine.
 */
import { openPdf } from '../src/recognition/pdf-document.js';
import { readFacturxSection } from '../src/recognition/facturx/pdfjs-read.js';
import { inspectPdf } from '../src/recognition/inspect.js';
import { writeCii } from '../src/recognition/facturx/cii-writer.js';
import { validateFacturxXml } from '../src/recognition/facturx/validator.js';
import { schematronErrors } from '../src/recognition/facturx/schematron.js';
import { FACTURX_PROFILES, type FacturxProfile } from '../src/recognition/facturx/types.js';
import { invoiceWithLines } from '../test/fixtures/facturx/schematron-corpus.js';
import { invoiceLines, renderPdf } from '../test/fixtures/pdf-lib-invoice.js';
import { FACTURX_FIXTURES } from '../test/fixtures/facturx/facturx-fixtures.js';
import { demoCiiInvoice } from '../test/fixtures/facturx/demo-invoice.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const ms = (x: number) => `${x.toFixed(2)} ms`;

/** Detection on a freshly opened document each time (pdfjs caches the attachments per document). */
async function detectionMs(pdf: Uint8Array, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const opened = await openPdf(new Uint8Array(pdf));
    if (!opened.ok) throw new Error('fixture unreadable');
    const t = performance.now();
    await readFacturxSection(opened.doc, {});
    times.push(performance.now() - t);
    await opened.doc.destroy();
  }
  return median(times);
}

async function inspectMs(pdf: Uint8Array, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await inspectPdf(new Uint8Array(pdf), 'bench.pdf');
    times.push(performance.now() - t);
  }
  return median(times);
}

/** Wall time and CPU time (this process) of `run`: medians over `runs`, after one warm-up. */
async function timed(run: () => Promise<void>, runs: number): Promise<string> {
  await run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    await run();
    const used = process.cpuUsage(c);
    wall.push(performance.now() - t);
    cpu.push((used.user + used.system) / 1000);
  }
  return `${ms(median(wall)).padStart(10)} wall, ${ms(median(cpu)).padStart(10)} CPU`;
}

async function validationMs(xml: string, profile: FacturxProfile, runs: number): Promise<string> {
  return timed(async () => {
    const r = await validateFacturxXml(xml, { profile });
    if (!r.valid) throw new Error(`bench XML invalid: ${JSON.stringify(r.errors[0])}`);
  }, runs);
}

const LINES = [1, 10, 30, 100];
const runsFor = (lines: number) => (lines >= 100 ? 7 : 15);

export default async function bench(): Promise<void> {
  const plain = await renderPdf(invoiceLines());
  const facturx = await FACTURX_FIXTURES.find((f) => f.name === 'fx-en16931')!.build();
  await inspectMs(plain, 3); // warm pdfjs
  console.log(`detection, PDF without XML:       ${ms(await detectionMs(plain, 200))} (median of 200)`);
  console.log(`whole inspection of the same PDF: ${ms(await inspectMs(plain, 20))} (median of 20)`);
  console.log(`detection + parse, Factur-X:      ${ms(await detectionMs(facturx, 100))} (median of 100)`);
  const demo = writeCii(demoCiiInvoice(), 'EN16931');
  const t = performance.now();
  await validateFacturxXml(demo, { profile: 'EN16931' });
  console.log(
    `validation EN 16931, cold:        ${ms(performance.now() - t)} (first call: loads the validators)`,
  );
  console.log('validation (XSD + Schematron), warm, medians:');
  for (const profile of FACTURX_PROFILES) {
    const withLines = profile !== 'MINIMUM' && profile !== 'BASIC WL';
    for (const lines of withLines ? LINES : [1]) {
      const xml = writeCii(invoiceWithLines(lines), profile);
      const label = withLines ? `${lines} line${lines > 1 ? 's' : ''}` : 'no lines';
      console.log(
        `  ${profile.padEnd(8)} ${label.padStart(9)}: ${await validationMs(xml, profile, runsFor(lines))}`,
      );
    }
  }
  console.log('reference: the official Schematron alone (one pass per pattern), EN 16931:');
  for (const lines of [1, 30]) {
    const xml = writeCii(invoiceWithLines(lines), 'EN16931');
    const figure = await timed(async () => {
      await schematronErrors(xml, 'EN16931', { engine: 'official' });
    }, 5);
    console.log(`  EN16931  ${`${lines} line${lines > 1 ? 's' : ''}`.padStart(9)}: ${figure}`);
  }
}
