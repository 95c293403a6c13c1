/**
 * The `facturx` section on the generated Factur-X fixtures: the fast report (detection + parse,
 * `valid: null`), then the validated one, asserted exactly (contract keys), with the violations.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectInThread, validateFacturxInThread } from '../../../src/recognition/index.js';
import type { InspectionReport } from '../../../src/recognition/types.js';
import { FACTURX_FIXTURES, type FacturxFixture } from '../../fixtures/facturx/facturx-fixtures.js';

const contractPart = (r: InspectionReport) => {
  if (!r.facturx) return r.facturx ?? null;
  const { invoice: _invoice, xmp: _xmp, ...rest } = r.facturx;
  return rest;
};
const facturxRules = (r: InspectionReport) =>
  r.violations.filter((v) => v.rule.startsWith('facturx')).map((v) => v.rule);

const built = new Map<string, { fast: InspectionReport; full: InspectionReport }>();

beforeAll(async () => {
  for (const f of FACTURX_FIXTURES) {
    const bytes = await f.build();
    const fast = await inspectInThread(bytes, `${f.name}.pdf`);
    built.set(f.name, { fast, full: await validateFacturxInThread(bytes, fast) });
  }
}, 120_000);

describe('Factur-X fixtures', () => {
  it.each(FACTURX_FIXTURES.map((f) => [f.name, f] as [string, FacturxFixture]))('%s', (name, f) => {
    const { fast, full } = built.get(name)!;
    expect(contractPart(full)).toEqual(f.expected);
    expect(facturxRules(full)).toEqual(f.rules);
    if (f.expected === null) {
      expect(fast.facturx).toBeNull();
      return;
    }
    // The first report does not wait for the validation.
    expect(fast.facturx?.valid).toBeNull();
    expect(fast.facturx?.errors).toEqual([]);
    expect(facturxRules(fast)).toEqual(f.rules.filter((r) => r !== 'facturx-invalid'));
  });

  it('keeps reading the printed pages as Chorus Pro does', () => {
    const { full } = built.get('fx-mismatch')!;
    expect(full.fields.invoiceNumber?.value).toBe('F-2026-0042');
    const { full: xmlOnly } = built.get('fx-xml-only')!;
    expect(xmlOnly.fields.supplierIban).toBeUndefined();
    expect(xmlOnly.fields.engagementNumber).toBeUndefined();
  });

  it('says in French what to do about each Factur-X rule', () => {
    const mismatch = built.get('fx-mismatch')!.full.violations.find((v) => v.rule === 'facturx-mismatch');
    expect(mismatch).toMatchObject({ field: 'invoiceNumber' });
    expect(mismatch?.message).toContain('F-2026-0042');
    expect(mismatch?.message).toContain('F-2026-0043');
    const refused = built
      .get('fx-minimum')!
      .full.violations.find((v) => v.rule === 'facturx-profile-refused');
    expect(refused?.message).toContain('MINIMUM');
    const invalid = built
      .get('fx-schematron-invalid')!
      .full.violations.find((v) => v.rule === 'facturx-invalid');
    expect(invalid?.message).toContain('3 erreurs');
  });

  it('gives the whole invoice model beside the 14 fields', () => {
    const invoice = built.get('fx-en16931')!.full.facturx?.invoice;
    expect(invoice).toMatchObject({
      typeCode: '380',
      businessProcess: 'A1',
      dueDate: '2026-04-14',
      deliveryDate: '2026-03-13',
      buyer: { legalId: { value: '21330063500017', scheme: '0002' } },
      seller: { legalId: { value: '91234567500017', scheme: '0002' }, vatNumber: 'FR65912345675' },
      paymentMeans: [{ typeCode: '30', iban: 'FR7630006000011234567890189', bic: 'BNPAFRPPXXX' }],
      vatBreakdown: [{ categoryCode: 'S', ratePercent: '20', basisCents: 125000, taxCents: 25000 }],
      lines: [
        {
          id: '1',
          name: 'Développement du portail citoyen',
          quantity: '5',
          unitCode: 'DAY',
          netUnitPrice: '250',
          vatRatePercent: '20',
          netAmountCents: 125000,
        },
      ],
    });
    expect(built.get('fx-en16931')!.full.facturx?.xmp).toEqual({
      documentType: 'INVOICE',
      documentFileName: 'factur-x.xml',
      version: '1.0',
      conformanceLevel: 'EN 16931',
    });
  });
});
