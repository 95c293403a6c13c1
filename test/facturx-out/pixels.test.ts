/** The visible page stays the same: page 1 drawn by pdfjs before and after, pixel for pixel. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { produceFacturx } from '../../src/facturx-out/produce.js';
import { demoSource } from '../fixtures/facturx-out/sources.js';
import { comparePixels, renderPage1 } from './render-page.js';

const T = 180_000;
const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/generated/${name}.pdf`, import.meta.url)));

async function samePage(input: Uint8Array) {
  const out = await produceFacturx(input, demoSource(), { ghostscript: null });
  const before = await renderPage1(input);
  const after = await renderPage1(out.pdf);
  return { diff: comparePixels(before, after), out };
}

describe('page 1 before and after', () => {
  for (const name of ['pl-clean-commune', 'cr-colored', 'lo-writer-facture']) {
    it(`${name}: identical pixels`, { timeout: T }, async () => {
      const { diff } = await samePage(fixture(name));
      expect(diff.total).toBeGreaterThan(100_000);
      expect(diff).toMatchObject({ differing: 0, maxDelta: 0 });
    });
  }

  it(
    'standard Times, Courier and Symbol given their programs: identical pixels',
    { timeout: T },
    async () => {
      const doc = await PDFDocument.create();
      const page = doc.addPage([595, 842]);
      let y = 800;
      for (const f of [
        StandardFonts.TimesRoman,
        StandardFonts.CourierBold,
        StandardFonts.TimesRomanBoldItalic,
      ]) {
        const font = await doc.embedFont(f);
        page.drawText('Facture F-2026-0042 : 1 250,00 € (réglée)', {
          x: 40,
          y: (y -= 40),
          size: 18,
          font,
          color: rgb(0, 0, 0),
        });
      }
      page.drawText('αβγ ∑', {
        x: 40,
        y: (y -= 40),
        size: 18,
        font: await doc.embedFont(StandardFonts.Symbol),
      });
      const { diff, out } = await samePage(await doc.save());
      expect(out.embeddedFonts).toHaveLength(4);
      expect(diff).toMatchObject({ differing: 0 });
    },
  );

  it('the comparison sees a change: one word moved is counted', { timeout: T }, async () => {
    const input = fixture('pl-clean-commune');
    const doc = await PDFDocument.load(input);
    doc.getPage(0).drawText('x', { x: 300, y: 400, size: 12 });
    const diff = comparePixels(await renderPage1(input), await renderPage1(await doc.save()));
    expect(diff.differing).toBeGreaterThan(10);
  });
});
