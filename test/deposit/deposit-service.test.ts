import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChorusInputError,
  ChorusRefusedError,
  type RefusalCode,
  type Submission,
} from '../../src/deposit/index.js';
import {
  DEMO,
  SIRET,
  SUPPLIER_ID,
  depositFresh,
  invoicePdf,
  startHarness,
  submission,
  type Harness,
} from './helpers.js';

let h: Harness;
let pdf: Uint8Array;

beforeAll(async () => {
  h = await startHarness({ lifecycle: { routingAfterMs: 60_000, availableAfterMs: 300_000 } });
  pdf = await invoicePdf();
});
afterAll(() => h?.close());

describe('the supplier sequence against the simulator', () => {
  it('lists the demo freelancer’s two structures and its bank details, factor included', async () => {
    const structures = await h.service.supplierStructures(DEMO);
    expect(structures.map((s) => s.siret)).toEqual(['91234567500017', '91234567500025']);
    const accounts = await h.service.bankAccounts(DEMO, structures[0]!.idStructureCPP);
    expect(accounts.map((a) => a.label)).toEqual([
      'Compte pro',
      'Compte épargne pro',
      'Affacturage Sud-Ouest SA',
    ]);
    expect(accounts[0]).toMatchObject({ id: 116050, ibanHint: 'FR76 •••• 0189' });
    expect(accounts[0]!.isFactor).toBe(false);
    expect(accounts[2]!.isFactor).toBe(true);
  });

  it('searches recipients by SIRET prefix, active ones first, and by full SIRET', async () => {
    const byPrefix = await h.service.searchStructures(DEMO, '213 30');
    expect(byPrefix.map((s) => s.siret)).toEqual(['21330063500017', '21330063500025', SIRET.inactive]);
    expect(byPrefix.at(-1)!.active).toBe(false);
    const exact = await h.service.searchStructures(DEMO, SIRET.hospital);
    expect(exact).toEqual([
      {
        idStructureCPP: 25000201,
        siret: SIRET.hospital,
        name: 'Centre hospitalier de Libourne-Est',
        active: true,
      },
    ]);
    await expect(h.service.searchStructures(DEMO, '12')).rejects.toMatchObject({
      code: 'chorus-input-invalid',
    });
    expect(await h.service.searchStructures(DEMO, '99999')).toEqual([]);
  });

  it('gives each recipient’s rules: the four combinations, services active and inactive', async () => {
    const id = async (siret: string) => (await h.service.searchStructures(DEMO, siret))[0]!.idStructureCPP;
    const commune = await h.service.recipientRules(DEMO, await id(SIRET.commune));
    expect(commune).toMatchObject({
      serviceCodeRequired: false,
      engagementRequired: false,
      engagementOrServiceRequired: false,
      services: [],
    });
    const hospital = await h.service.recipientRules(DEMO, await id(SIRET.hospital));
    expect(hospital).toMatchObject({ serviceCodeRequired: true, engagementRequired: false });
    expect(hospital.services.map((s) => [s.code, s.active, s.engagementRequired ?? false])).toEqual([
      ['FACTURATION', true, false],
      ['PHARMACIE', true, true],
      ['BLANCHISSERIE', false, false],
    ]);
    expect(await h.service.recipientRules(DEMO, await id(SIRET.university))).toMatchObject({
      serviceCodeRequired: false,
      engagementRequired: true,
    });
    expect(await h.service.recipientRules(DEMO, await id(SIRET.ministry))).toMatchObject({
      serviceCodeRequired: true,
      engagementRequired: true,
    });
    expect(await h.service.recipientRules(DEMO, await id(SIRET.agency))).toMatchObject({
      serviceCodeRequired: false,
      engagementRequired: false,
      engagementOrServiceRequired: true,
    });
  });

  it('deposits the PDF, reads it like Chorus’ OCR, submits it and follows it up', async () => {
    const recognition = await h.service.depositPdf(DEMO, { fileName: 'facture-exemple.pdf', bytes: pdf });
    expect(recognition).toMatchObject({
      invoiceNumber: 'F-2026-0042',
      invoiceDate: '2026-03-15',
      recipientSiret: SIRET.commune,
      supplierId: '91234567500017',
      currency: 'EUR',
      invoiceType: 'FACTURE',
    });
    expect(recognition.totalInclTaxCents).toBe(recognition.totalExclTaxCents! + recognition.totalTaxCents!);
    const s: Submission = {
      ...submission(recognition.pieceJointeId),
      invoiceNumber: recognition.invoiceNumber!,
      invoiceDate: recognition.invoiceDate!,
      totalExclTaxCents: recognition.totalExclTaxCents!,
      totalTaxCents: recognition.totalTaxCents!,
      totalInclTaxCents: recognition.totalInclTaxCents!,
      fileName: 'facture-exemple.pdf',
      fileSize: pdf.byteLength,
    };
    expect(await h.service.precheck(DEMO, s)).toEqual([]);
    const receipt = await h.service.submit(DEMO, s);
    expect(receipt).toMatchObject({
      invoiceNumber: 'F-2026-0042',
      status: 'DEPOSEE',
      recipientSiret: SIRET.commune,
      recipientName: 'Commune de Saint-Aubin-sur-Garonne',
      supplierSiret: '91234567500017',
      cadre: 'A1',
      totalInclTaxCents: s.totalInclTaxCents,
      currency: 'EUR',
    });
    expect(receipt.certificateFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(Number.isNaN(Date.parse(receipt.depositedAt))).toBe(false);

    const listed = h.sim.listInvoices().filter((i) => i.number === 'F-2026-0042');
    expect(listed).toHaveLength(1);
    expect(listed[0]!.id).toBe(receipt.chorusInvoiceId);

    expect(await h.service.findDeposited(DEMO, 'F-2026-0042', '2026-03-15')).toMatchObject({
      chorusInvoiceId: receipt.chorusInvoiceId,
      totalInclTaxCents: s.totalInclTaxCents,
      recipientName: 'Commune de Saint-Aubin-sur-Garonne',
    });
    expect(await h.service.findDeposited(DEMO, 'F-2026-0042', '2026-03-16')).toBeNull();

    // Time passes: routed, then made available; then the buyer suspends it with a reason.
    await h.sim.advanceClock(6 * 60_000);
    await h.sim.setInvoiceStatus(
      receipt.chorusInvoiceId,
      'SUSPENDUE',
      'Merci de joindre le bon de livraison.',
    );
    const followUp = await h.service.followUp(DEMO, receipt.chorusInvoiceId);
    expect(followUp.status).toBe('SUSPENDUE');
    expect(followUp.history.map((e) => e.status)).toEqual([
      'DEPOSEE',
      'EN_COURS_ACHEMINEMENT',
      'MISE_A_DISPOSITION',
      'SUSPENDUE',
    ]);
    expect(followUp.history.at(-1)!.comment).toBe('Merci de joindre le bon de livraison.');
    await h.sim.setInvoiceStatus(receipt.chorusInvoiceId, 'MISE_EN_PAIEMENT');
    expect((await h.service.followUp(DEMO, receipt.chorusInvoiceId)).status).toBe('MISE_EN_PAIEMENT');
  });
});

describe('refusals: precheck lists them, soumettre refuses with the same reason', () => {
  const cases: Array<[RefusalCode, Partial<Submission>]> = [
    ['recipient-unknown', { recipientSiret: '21330044100010' }],
    ['recipient-inactive', { recipientSiret: SIRET.inactive }],
    ['service-required', { recipientSiret: SIRET.hospital }],
    ['service-unknown', { recipientSiret: SIRET.hospital, serviceCode: 'CUISINE' }],
    ['service-inactive', { recipientSiret: SIRET.hospital, serviceCode: 'BLANCHISSERIE' }],
    ['engagement-required', { recipientSiret: SIRET.university }],
    ['engagement-required', { recipientSiret: SIRET.hospital, serviceCode: 'PHARMACIE' }],
    ['engagement-or-service-required', { recipientSiret: SIRET.agency }],
    ['invoice-number-invalid', { invoiceNumber: 'F 2026 #42' }],
    ['invoice-number-invalid', { invoiceNumber: 'F-2026-000000000000042' }],
    ['bank-account-invalid', { bankAccountId: 116053 }],
    ['bank-account-invalid', { bankAccountId: 116060 }],
    ['bank-account-invalid', { bankAccountId: undefined }],
    ['totals-mismatch', { totalInclTaxCents: 150_001 }],
    ['validator-required', { cadre: 'A9' }],
  ];

  for (const [code, overrides] of cases) {
    it(`${code} ${JSON.stringify(overrides)}`, async () => {
      const piece = await depositFresh(h, pdf);
      const s = submission(piece, overrides);
      const refusals = await h.service.precheck(DEMO, s);
      expect(refusals.map((r) => r.code)).toEqual([code]);
      expect(refusals[0]!.message.length).toBeGreaterThan(10);
      const error = await h.service.submit(DEMO, s).catch((e: unknown) => e);
      expect((error as ChorusRefusedError).refusal?.code).toBe(code);
      expect((error as ChorusRefusedError).operation).toBe('soumettreFacture');
      expect((error as ChorusRefusedError).userMessage).toBe(refusals[0]!.message);
      if (s.invoiceNumber.length > 20) {
        // Beyond Chorus' 20 characters our own request schema stops it before sending.
        expect(error).toBeInstanceOf(ChorusInputError);
      } else {
        expect(error).toBeInstanceOf(ChorusRefusedError);
        expect((error as ChorusRefusedError).codeRetour).toBeGreaterThan(0);
      }
    });
  }

  it('invoice-number-used: a number already deposited by this supplier', async () => {
    const first = submission(await depositFresh(h, pdf));
    await h.service.submit(DEMO, first);
    const again = submission(await depositFresh(h, pdf), { invoiceNumber: first.invoiceNumber });
    expect((await h.service.precheck(DEMO, again)).map((r) => r.code)).toEqual(['invoice-number-used']);
    await expect(h.service.submit(DEMO, again)).rejects.toMatchObject({
      refusal: { code: 'invoice-number-used' },
    });
  });

  it('file too large and file name too long are found before anything is sent', async () => {
    const s = submission(1, { fileSize: 10 * 1024 * 1024 + 1, fileName: `${'x'.repeat(201)}.pdf` });
    expect((await h.service.precheck(DEMO, s)).map((r) => r.code)).toEqual([
      'file-too-large',
      'file-name-too-long',
    ]);
  });

  it('lists every reason at once, in a stable order', async () => {
    const s = submission(await depositFresh(h, pdf), {
      recipientSiret: SIRET.ministry,
      invoiceNumber: 'trop long pour chorus pro',
      bankAccountId: 999,
      totalTaxCents: 1,
    });
    expect((await h.service.precheck(DEMO, s)).map((r) => r.code)).toEqual([
      'service-required',
      'engagement-required',
      'invoice-number-invalid',
      'bank-account-invalid',
      'totals-mismatch',
    ]);
  });

  it('accepts each rule once satisfied (ministry with service and engagement, agency with either)', async () => {
    for (const overrides of [
      { recipientSiret: SIRET.ministry, serviceCode: 'SG-DNUM', engagementNumber: '1300012345' },
      { recipientSiret: SIRET.agency, engagementNumber: 'BC-77' },
      { recipientSiret: SIRET.agency, serviceCode: 'ACHATS' },
      { recipientSiret: SIRET.hospital, serviceCode: 'PHARMACIE', engagementNumber: 'EJ-1' },
      { cadre: 'A12' as const, validatorSiret: '91234567500025' },
      { bankAccountId: 116052 },
    ]) {
      const s = submission(await depositFresh(h, pdf), overrides);
      expect(await h.service.precheck(DEMO, s)).toEqual([]);
      expect((await h.service.submit(DEMO, s)).status).toBe('DEPOSEE');
    }
  });

  it('refuses a supplier structure the technical account does not hold, and a reused attachment', async () => {
    const piece = await depositFresh(h, pdf);
    await expect(h.service.submit(DEMO, submission(piece, { supplierId: 26200001 }))).rejects.toBeInstanceOf(
      ChorusRefusedError,
    );
    await h.service.submit(DEMO, submission(piece));
    const reused = await h.service.submit(DEMO, submission(piece)).catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(ChorusRefusedError);
    expect((reused as ChorusRefusedError).userMessage).toMatch(/déposez-le à nouveau/);
    expect(SUPPLIER_ID).toBe(26100001);
  });
});
