/** The EN 16931 CII made from confirmed data: Chorus mapping, validity, lines against totals. */
import { describe, expect, it } from 'vitest';
import { makeFacturxXml } from '../../src/facturx-out/xml.js';
import { checkLines } from '../../src/facturx-out/lines-check.js';
import { rateTimesCents, normalizeRate } from '../../src/facturx-out/decimal-rate.js';
import { unitCode } from '../../src/facturx-out/cii-build.js';
import { FacturxLinesError } from '../../src/facturx-out/errors.js';
import { readCii } from '../../src/recognition/facturx/cii-reader.js';
import { validateFacturxXml } from '../../src/recognition/facturx/lazy-validator.js';
import {
  creditNoteSource,
  demoSource,
  franchiseSource,
  multirateSource,
} from '../fixtures/facturx-out/sources.js';

const T = 120_000;
const read = (xml: string) => {
  const r = readCii(xml);
  if (!r.ok) throw new Error(r.error.message);
  return r.invoice;
};

describe('decimal arithmetic', () => {
  it('multiplies decimals by cents exactly, half away from zero', () => {
    expect(rateTimesCents('2.5', 33333)).toBe(83333);
    expect(rateTimesCents('5.5', 90000, 100)).toBe(4950);
    expect(rateTimesCents('20', 12345, 100)).toBe(2469);
    expect(rateTimesCents('-1', 2500)).toBe(-2500);
    expect(normalizeRate('05,50')).toBe('5.5');
    expect(unitCode('Jours')).toBe('DAY');
    expect(unitCode('h.')).toBe('HUR');
    expect(unitCode('pièce')).toBe('C62');
  });
});

describe('makeFacturxXml', () => {
  it('writes a valid EN 16931 invoice with the Chorus Pro mapping', { timeout: T }, async () => {
    const { xml } = await makeFacturxXml(multirateSource());
    const inv = read(xml);
    expect(inv.profile).toBe('EN16931');
    expect(inv.businessProcess).toBe('A1');
    expect(inv.typeCode).toBe('380');
    expect(inv.buyerReference).toBe('SERV-01');
    expect(inv.orderReference).toBe('2100076543');
    expect(inv.contractReference).toBe('M-2026-12');
    expect(inv.seller.legalId).toEqual({ value: '91234567500017', scheme: '0002' });
    expect(inv.buyer.legalId).toEqual({ value: '19330001900018', scheme: '0002' });
    expect(inv.paymentMeans[0]).toMatchObject({ typeCode: '30', iban: 'FR7630006000011234567890189' });
    expect(inv.vatBreakdown.map((v) => [v.ratePercent, v.basisCents, v.taxCents, v.dueDateTypeCode])).toEqual(
      [
        ['20', 195000, 39000, '72'],
        ['5.5', 90000, 4950, '72'],
      ],
    );
    expect(xml).toContain('<ram:ChargeTotalAmount>150.00</ram:ChargeTotalAmount>');
    expect(inv.lines.map((l) => l.unitCode)).toEqual(['DAY', 'C62']);
    expect(inv.totals).toMatchObject({
      taxBasisTotalCents: 285000,
      taxTotalCents: 43950,
      grandTotalCents: 328950,
    });
  });

  it(
    'writes franchise VAT as category E with VATEX-FR-FRANCHISE and the SIREN as tax registration',
    { timeout: T },
    async () => {
      const { xml } = await makeFacturxXml(franchiseSource());
      const inv = read(xml);
      expect(inv.vatBreakdown).toEqual([
        expect.objectContaining({
          categoryCode: 'E',
          ratePercent: '0',
          exemptionReasonCode: 'VATEX-FR-FRANCHISE',
          taxCents: 0,
        }),
      ]);
      expect(inv.seller.taxNumber).toBe('912345675');
      expect(inv.lines[0]?.vatCategoryCode).toBe('E');
    },
  );

  it(
    'writes a credit note as 381 with positive amounts and the invoice it corrects',
    { timeout: T },
    async () => {
      const { xml } = await makeFacturxXml(creditNoteSource());
      const inv = read(xml);
      expect(inv.typeCode).toBe('381');
      expect(inv.precedingInvoices).toEqual([{ number: 'F-2026-0042', issueDate: '2026-03-15' }]);
      expect(inv.totals.grandTotalCents).toBe(30000);
    },
  );

  it(
    'validation is real: the same XML with a broken total fails the Schematron',
    { timeout: T },
    async () => {
      const { xml } = await makeFacturxXml(demoSource());
      const broken = xml.replace('<ram:GrandTotalAmount>1500.00', '<ram:GrandTotalAmount>1500.01');
      const v = await validateFacturxXml(broken, { profile: 'EN16931' });
      expect(v.valid).toBe(false);
      expect(v.errors.map((e) => e.rule)).toContain('BR-CO-15');
    },
  );

  it('refuses lines that do not add up, with the reason, and never writes them', async () => {
    const src = demoSource({
      lines: [
        {
          description: 'Prestation',
          quantity: '4',
          unitPrice: '250',
          vatRate: '20',
          amountCents: 100000,
        },
      ],
    });
    await expect(makeFacturxXml(src)).rejects.toBeInstanceOf(FacturxLinesError);
    await expect(makeFacturxXml(src)).rejects.toThrow(/sum-differs/);
    expect(checkLines(demoSource({ lines: [] }))).toEqual({ ok: false, problems: [{ code: 'no-lines' }] });
  });
});

describe('checkLines', () => {
  it('absorbs line rounding of a cent per line into the VAT, never more', () => {
    const lines = [
      { description: 'A', quantity: '1', unitPrice: '10.03', vatRate: '20', amountCents: 1003 },
      { description: 'B', quantity: '1', unitPrice: '10.03', vatRate: '20', amountCents: 1003 },
    ];
    // 20,06 × 20 % = 4,012 → 401; per line 201 + 201 = 402.
    const ok = checkLines(
      demoSource({ lines, totalExclTaxCents: 2006, totalTaxCents: 402, totalInclTaxCents: 2408 }),
    );
    expect(ok).toMatchObject({ ok: true, breakdown: [{ rate: '20', basisCents: 2006, taxCents: 402 }] });
    const far = checkLines(
      demoSource({ lines, totalExclTaxCents: 2006, totalTaxCents: 410, totalInclTaxCents: 2416 }),
    );
    expect(far).toMatchObject({ ok: false, problems: [{ code: 'vat-differs' }] });
  });

  it('flags a line whose quantity × price is not its amount, and a VAT rate on a VAT-free invoice', () => {
    const bad = checkLines(
      demoSource({
        lines: [{ description: 'X', quantity: '3', unitPrice: '250', vatRate: '20', amountCents: 125000 }],
      }),
    );
    expect(bad).toMatchObject({
      ok: false,
      problems: [{ code: 'line-product', index: 0, expectedCents: 75000 }],
    });
    const f = franchiseSource();
    f.lines[0]!.vatRate = '20';
    expect(checkLines(f)).toMatchObject({ ok: false, problems: [{ code: 'franchise-rate', index: 0 }] });
  });
});
