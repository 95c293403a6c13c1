/**
 * Making a Factur-X from a 3-page PDF (issue #13): wall time cold (first call loads the XSD and
 * Schematron validators) and warm (median), split into the XML (write + XSD + Schematron), the
 * PDF/A-3 (pdf-lib) and the structural checks; peak memory (RSS and heap sampled every 5 ms,
 * above the level before the runs); file-size growth. pdf-lib fixture (standard fonts: two
 * Liberation Sans programs embedded) and a Chromium one (fonts already embedded).
 * Medians; bounded loops; the machine may be shared, so read figures as orders of magnitude.
 */
import { readFileSync } from 'node:fs';
import { makeFacturxXml } from '../src/facturx-out/xml.js';
import { makePdfa } from '../src/facturx-out/pdfa/make-pdfa.js';
import { checkFacturxPdf } from '../src/facturx-out/checks/index.js';
import { produceFacturx } from '../src/facturx-out/produce.js';
import { demoSource } from '../test/fixtures/facturx-out/sources.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const ms = (x: number) => `${x.toFixed(0)} ms`;
const mb = (x: number) => `${(x / 1024 / 1024).toFixed(1)} MB`;
const kb = (x: number) => `${(x / 1024).toFixed(1)} kB`;

function sampler() {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const base = process.memoryUsage();
  let rss = base.rss;
  let heap = base.heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 5);
  return () => {
    clearInterval(timer);
    return { rss: rss - base.rss, heap: heap - base.heapUsed };
  };
}

async function one(name: string, pdf: Uint8Array, runs: number): Promise<void> {
  const source = demoSource();
  const stop = sampler();
  const cold = performance.now();
  const first = await produceFacturx(pdf, source, { ghostscript: null });
  const coldMs = performance.now() - cold;
  const total: number[] = [];
  const xmlMs: number[] = [];
  const pdfaMs: number[] = [];
  const checkMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const { xml } = await makeFacturxXml(source);
    const t1 = performance.now();
    const made = await makePdfa({ pdf, xml, level: 'EN 16931', title: 'Facture', ghostscript: null });
    const t2 = performance.now();
    await checkFacturxPdf(made.pdf, { xml });
    const t3 = performance.now();
    xmlMs.push(t1 - t0);
    pdfaMs.push(t2 - t1);
    checkMs.push(t3 - t2);
    total.push(t3 - t0);
  }
  const peak = stop();
  console.log(
    `${name}: ${pdf.length} bytes → ${first.pdf.length} bytes (+${kb(first.pdf.length - pdf.length)}), fonts embedded: ${first.embeddedFonts.join(', ') || 'none'}`,
  );
  console.log(`  cold (first call, loads the validators): ${ms(coldMs)}`);
  console.log(
    `  warm total ${ms(median(total))} = XML + XSD + Schematron ${ms(median(xmlMs))} + PDF/A-3 ${ms(median(pdfaMs))} + checks ${ms(median(checkMs))} (medians of ${runs})`,
  );
  console.log(`  peak above start: RSS ${mb(peak.rss)}, heap ${mb(peak.heap)}`);
}

export default async function bench(): Promise<void> {
  const fixture = (n: string) =>
    new Uint8Array(readFileSync(new URL(`../test/fixtures/generated/${n}.pdf`, import.meta.url)));
  await one('pl-multipage-3 (pdf-lib, 3 pages, standard fonts)', fixture('pl-multipage-3'), 10);
  await one('cr-multipage-4 (Chromium, 4 pages, fonts embedded)', fixture('cr-multipage-4'), 10);
}
