/**
 * What pdf-lib cannot make PDF/A-3 without rewriting the pages (a font that is neither embedded
 * nor standard, CMYK colours): refused with a typed error when Ghostscript is absent, repaired by
 * Ghostscript when it is there (CI installs it: .ci/run).
 */
import { describe, expect, it } from 'vitest';
import { PDFDocument, PDFName, StandardFonts, setFillingCmykColor } from 'pdf-lib';
import { produceFacturx } from '../../src/facturx-out/produce.js';
import { findGhostscript } from '../../src/facturx-out/pdfa/ghostscript.js';
import { PdfaBlockedError } from '../../src/facturx-out/errors.js';
import { failedChecks } from '../../src/facturx-out/checks/index.js';
import { demoSource } from '../fixtures/facturx-out/sources.js';
import { readInvoiceXmlFromPdf } from '../../src/recognition/facturx/lazy-validator.js';

const T = 180_000;
const gs = await findGhostscript();

/** A page in Helvetica whose font dictionary is renamed « Verdana »: a non-embedded, non-standard font. */
async function verdanaPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText('Facture F-2026-0042 : 1 250,00 €', {
    x: 50,
    y: 780,
    size: 14,
    font: await doc.embedFont(StandardFonts.Helvetica),
  });
  const bytes = await doc.save();
  const again = await PDFDocument.load(bytes);
  for (const [, obj] of again.context.enumerateIndirectObjects())
    if (
      'get' in obj &&
      (obj as never as { get(n: PDFName): unknown }).get(PDFName.of('BaseFont')) === PDFName.of('Helvetica')
    )
      (obj as never as { set(n: PDFName, v: PDFName): void }).set(
        PDFName.of('BaseFont'),
        PDFName.of('Verdana'),
      );
  return again.save();
}

async function cmykPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.pushOperators(setFillingCmykColor(0, 0.5, 1, 0));
  page.drawRectangle({ x: 50, y: 700, width: 200, height: 50 });
  return doc.save();
}

describe('PDF/A blockers', () => {
  it(
    'without Ghostscript: a non-standard font without program and CMYK are refused, with the reason',
    { timeout: T },
    async () => {
      const err = await produceFacturx(await verdanaPdf(), demoSource(), { ghostscript: null }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PdfaBlockedError);
      expect((err as PdfaBlockedError).blockers).toEqual(['police non incorporée Verdana']);
      expect((err as PdfaBlockedError).userMessage).toMatch(/Ghostscript|PDF\/A/);
      const cmyk = await produceFacturx(await cmykPdf(), demoSource(), { ghostscript: null }).catch(
        (e: unknown) => e,
      );
      expect((cmyk as PdfaBlockedError).blockers).toEqual(['couleurs CMJN']);
    },
  );

  it.skipIf(!gs)(
    'with Ghostscript: the pages are rewritten, then the Factur-X passes every check',
    { timeout: T },
    async () => {
      for (const input of [await verdanaPdf(), await cmykPdf()]) {
        const out = await produceFacturx(input, demoSource(), { ghostscript: gs });
        expect(out.converter).toBe('ghostscript');
        expect(failedChecks(out.checks)).toEqual([]);
        expect((await readInvoiceXmlFromPdf(out.pdf))?.fileName).toBe('factur-x.xml');
      }
    },
  );
});
