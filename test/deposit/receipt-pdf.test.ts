import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { renderReceiptPdf, type DepositReceipt } from '../../src/deposit/index.js';
import { formatReceiptText } from '../../src/deposit/format.js';
import { STANDARD_FONTS } from '../../src/recognition/pdf-document.js';

const receipt: DepositReceipt = {
  chorusInvoiceId: 3124017,
  invoiceNumber: 'F-2026-0042',
  depositedAt: '2026-03-15T09:41:00.000Z',
  status: 'DEPOSEE',
  recipientSiret: '11000001500013',
  recipientName: 'Ministère de la Transition numérique',
  serviceCode: 'SG-DNUM',
  supplierSiret: '91234567500017',
  cadre: 'A9',
  totalExclTaxCents: 300_000,
  totalTaxCents: 60_000,
  totalInclTaxCents: 360_000,
  currency: 'EUR',
  certificateFingerprint: 'a'.repeat(64),
};

async function pdfText(bytes: Uint8Array): Promise<{ pages: number; text: string; title?: string }> {
  const doc = await pdfjs.getDocument({
    data: bytes,
    useSystemFonts: false,
    isEvalSupported: false,
    standardFontDataUrl: STANDARD_FONTS,
    verbosity: 0,
  }).promise;
  const page = await doc.getPage(1);
  const content = await page.getTextContent();
  const text = content.items.map((i) => ('str' in i ? i.str : '')).join(' ');
  const meta = await doc.getMetadata();
  const pages = doc.numPages;
  await doc.destroy();
  return { pages, text, title: (meta.info as { Title?: string }).Title };
}

describe('the « récapitulatif de dépôt »', () => {
  it('is one page of French text with every field of the receipt', async () => {
    const { pages, text, title } = await pdfText(await renderReceiptPdf(receipt));
    expect(pages).toBe(1);
    expect(title).toBe('Récapitulatif de dépôt – facture F-2026-0042');
    for (const expected of [
      'Récapitulatif de dépôt',
      'F-2026-0042',
      '3124017',
      '15/03/2026 à 10:41 (heure de Paris)',
      'Déposée',
      'Ministère de la Transition numérique',
      'SG-DNUM',
      'A9 – Facture de sous-traitant',
      '3 000,00 €',
      '600,00 €',
      '3 600,00 €',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text.replace(/\s/g, '')).toContain('a'.repeat(64));
  });

  it('leaves out what the receipt does not have', async () => {
    const { text } = await pdfText(
      await renderReceiptPdf({
        ...receipt,
        serviceCode: undefined,
        certificateFingerprint: undefined,
        recipientName: undefined,
      }),
    );
    expect(text).not.toContain('Code service');
    expect(text).not.toContain('Empreinte');
    expect(text).toContain('SIRET 11000001500013');
  });

  it('has a terminal rendering with the same facts', () => {
    const text = formatReceiptText(receipt);
    expect(text).toContain('Identifiant Chorus Pro  3124017');
    expect(text).toContain('3 600,00 €');
  });
});
