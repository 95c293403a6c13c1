/**
 * Factur-X costs, in this thread:
 * - detection on a PDF without XML (attachments + nothing to parse): what it adds to `inspect`,
 *   next to the whole in-thread inspection of the same file;
 * - detection + parse on a Factur-X (the fast report's share);
 * - validation (XSD + Schematron) of an EN 16931 XML: cold (first call: loads libxml2-wasm,
 *   SaxonJS and the compiled rules) and warm (median), for the 1-line demo invoice and a 30-line
 *   one.
 * Medians; bounded loops.
 */
import { openPdf } from '../src/recognition/pdf-document.js';
import { readFacturxSection } from '../src/recognition/facturx/pdfjs-read.js';
import { inspectPdf } from '../src/recognition/inspect.js';
import { writeCii } from '../src/recognition/facturx/cii-writer.js';
import { validateFacturxXml } from '../src/recognition/facturx/validator.js';
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

/** Wall time and CPU time (this process; less sensitive to a shared machine) of validations. */
async function validationMs(xml: string, runs: number): Promise<string> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    const r = await validateFacturxXml(xml, { profile: 'EN16931' });
    const used = process.cpuUsage(c);
    wall.push(performance.now() - t);
    cpu.push((used.user + used.system) / 1000);
    if (!r.valid) throw new Error(`bench XML invalid: ${JSON.stringify(r.errors[0])}`);
  }
  return `${ms(median(wall))} wall, ${ms(median(cpu))} CPU`;
}

function thirtyLines(): string {
  const invoice = demoCiiInvoice();
  const line = invoice.lines[0]!;
  invoice.lines = Array.from({ length: 30 }, (_, i) => ({
    ...line,
    id: String(i + 1),
    quantity: '1',
    netAmountCents: 25000,
  }));
  const basis = 30 * 25000;
  invoice.vatBreakdown = [{ categoryCode: 'S', ratePercent: '20', basisCents: basis, taxCents: basis / 5 }];
  invoice.totals = {
    lineTotalCents: basis,
    taxBasisTotalCents: basis,
    taxTotalCents: basis / 5,
    grandTotalCents: basis * 1.2,
    duePayableCents: basis * 1.2,
  };
  return writeCii(invoice, 'EN16931');
}

export default async function bench(): Promise<void> {
  const plain = await renderPdf(invoiceLines());
  const facturx = await FACTURX_FIXTURES.find((f) => f.name === 'fx-en16931')!.build();
  await inspectMs(plain, 3); // warm pdfjs
  console.log(`detection, PDF without XML:       ${ms(await detectionMs(plain, 200))} (median of 200)`);
  console.log(`whole inspection of the same PDF: ${ms(await inspectMs(plain, 20))} (median of 20)`);
  console.log(`detection + parse, Factur-X:      ${ms(await detectionMs(facturx, 100))} (median of 100)`);
  const demo = writeCii(demoCiiInvoice(), 'EN16931');
  const t = performance.now();
  await validationMs(demo, 1);
  console.log(
    `validation EN 16931, cold:        ${ms(performance.now() - t)} (first call: loads the validators)`,
  );
  console.log(`validation EN 16931, warm, 1 line:   ${await validationMs(demo, 30)} (median of 30)`);
  console.log(`validation EN 16931, warm, 30 lines: ${await validationMs(thirtyLines(), 15)} (median of 15)`);
}
