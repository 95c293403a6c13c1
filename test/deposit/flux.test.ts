/**
 * The Factur-X flux deposit, client ↔ simulator over HTTP: deposer/flux, the integration report
 * until integrated or rejected, the invoice it becomes, the checks before sending, the plain-PDF
 * copy, an unknown outcome that never deposits twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FluxNotDepositableError } from '../../src/deposit/flux-errors.js';
import { checkFacturxFlux } from '../../src/recognition/facturx/flux-check.js';
import { fluxConfirmed, fluxPdf } from '../fixtures/facturx/flux-fixtures.js';
import { DEMO, SIRET, nextNumber, startHarness, type Harness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ fluxTimings: { processingAfterMs: 100, doneAfterMs: 300 } });
}, 60_000);
afterAll(async () => h?.close());

const MINISTRY = { siret: SIRET.ministry, name: 'Ministère de la Transition numérique' };

describe('flux deposit', () => {
  it('deposits a valid Factur-X, follows the report until integrated, and finds the invoice', async () => {
    const number = nextNumber('FX');
    const bytes = await fluxPdf({ number });
    const flux = await h.service.depositFlux(
      DEMO,
      { fileName: 'facture.pdf', bytes },
      fluxConfirmed({ number }),
    );
    expect(flux.fluxNumber).toMatch(/^CPP\d+$/);
    expect(flux.receipt).toBeUndefined();
    const sent = h.sent.find((s) => s.url.endsWith('/factures/v1/deposer/flux'))?.body as Record<
      string,
      unknown
    >;
    expect(sent.syntaxeFlux).toBe('IN_DP_E2_CII_FACTURX');
    expect(sent.nomFichier).toBe('facture.pdf');
    expect(Buffer.from(String(sent.fichierFlux), 'base64').equals(Buffer.from(bytes))).toBe(true);

    const first = await h.service.fluxReport(DEMO, flux.fluxNumber);
    expect(first.outcome).toBe('pending');
    expect(['IN_RECU', 'IN_EN_COURS_TRAITEMENT_CPP']).toContain(first.state);

    const result = await h.service.awaitFlux(DEMO, flux, { timeoutMs: 20_000 });
    expect(result.outcome).toBe('integrated');
    if (result.outcome !== 'integrated') throw new Error('not integrated');
    expect(result.report.state).toBe('IN_INTEGRE');
    expect(result.receipt).toMatchObject({
      invoiceNumber: number,
      status: 'DEPOSEE',
      recipientSiret: SIRET.commune,
      totalInclTaxCents: 150_000,
      cadre: 'A1',
    });
    // The existing search and follow-up calls return it.
    const found = await h.service.findDeposited(DEMO, number, '2026-03-15');
    expect(found?.chorusInvoiceId).toBe(result.receipt.chorusInvoiceId);
    const follow = await h.service.followUp(DEMO, result.receipt.chorusInvoiceId);
    expect(follow.status).toBe('DEPOSEE');
    expect(h.sim.listInvoices().find((i) => i.id === result.receipt.chorusInvoiceId)?.fluxNumber).toBe(
      flux.fluxNumber,
    );
  }, 60_000);

  it('reports a rejected flow with Chorus Pro’s reasons (service code and engagement required)', async () => {
    const number = nextNumber('FX');
    const bytes = await fluxPdf({ number, buyer: MINISTRY });
    const flux = await h.service.depositFlux(
      DEMO,
      { fileName: 'facture.pdf', bytes },
      fluxConfirmed({ number, buyer: MINISTRY }),
    );
    const result = await h.service.awaitFlux(DEMO, flux, { timeoutMs: 20_000 });
    expect(result.outcome).toBe('rejected');
    expect(result.report.state).toBe('IN_REJETE');
    expect(result.report.reasons.join(' ')).toMatch(/code service/i);
    expect(result.report.reasons.join(' ')).toMatch(/engagement/i);
    expect(await h.service.findDeposited(DEMO, number, '2026-03-15')).toBeNull();
  }, 60_000);

  it('rejects a second flow with an invoice number already used', async () => {
    const number = nextNumber('FX');
    const bytes = await fluxPdf({ number });
    const one = await h.service.depositFlux(DEMO, { fileName: 'a.pdf', bytes }, fluxConfirmed({ number }));
    expect((await h.service.awaitFlux(DEMO, one, { timeoutMs: 20_000 })).outcome).toBe('integrated');
    const two = await h.service.depositFlux(DEMO, { fileName: 'b.pdf', bytes }, fluxConfirmed({ number }));
    const result = await h.service.awaitFlux(DEMO, two, { timeoutMs: 20_000 });
    expect(result.outcome).toBe('rejected');
    expect(result.report.reasons.join(' ')).toContain('déjà été utilisé');
  }, 60_000);

  it('never sends a Factur-X whose XML contradicts what was confirmed, an invalid one, or a refused profile', async () => {
    const before = h.sim.requestCount('deposerFluxFacture');
    const number = nextNumber('FX');
    const bytes = await fluxPdf({ number });
    const changed = { ...fluxConfirmed({ number }), totalInclTaxCents: 150_100, totalTaxCents: 25_100 };
    const error = await h.service
      .depositFlux(DEMO, { fileName: 'f.pdf', bytes }, changed)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FluxNotDepositableError);
    expect((error as FluxNotDepositableError).reason).toBe('contradiction');
    expect((error as FluxNotDepositableError).fields).toEqual(['totalTaxCents', 'totalInclTaxCents']);
    expect((error as FluxNotDepositableError).userMessage).toContain('montant TTC');

    const minimum = await fluxPdf({ number, profile: 'MINIMUM' });
    const refused = await h.service
      .depositFlux(DEMO, { fileName: 'f.pdf', bytes: minimum }, fluxConfirmed({ number }))
      .catch((e: unknown) => e);
    expect((refused as FluxNotDepositableError).reason).toBe('profile-refused');

    const invalid = await fluxPdf({
      number,
      xmlEdit: (xml) =>
        xml.replace(
          '<ram:TypeCode>380</ram:TypeCode>',
          '<ram:TypeCode>380</ram:TypeCode><ram:Remark>x</ram:Remark>',
        ),
    });
    const bad = await h.service
      .depositFlux(DEMO, { fileName: 'f.pdf', bytes: invalid }, fluxConfirmed({ number }))
      .catch((e: unknown) => e);
    expect((bad as FluxNotDepositableError).reason).toBe('xml-invalid');
    expect(h.sim.requestCount('deposerFluxFacture')).toBe(before);
  }, 60_000);

  it('the simulator rejects a flow whose XML breaks a business rule (Schematron), with the rule', async () => {
    const number = nextNumber('FX');
    const bytes = await fluxPdf({ number, mutate: (i) => (i.totals.grandTotalCents = 160_000) });
    const confirmed = { ...fluxConfirmed({ number }), totalInclTaxCents: 160_000 };
    const flux = await h.service.depositFlux(DEMO, { fileName: 'f.pdf', bytes }, confirmed);
    const result = await h.service.awaitFlux(DEMO, flux, { timeoutMs: 20_000 });
    expect(result.outcome).toBe('rejected');
    expect(result.report.reasons.join(' ')).toMatch(/règle BR-CO-15/);
  }, 60_000);

  it('after a lost answer, finds the integrated invoice instead of depositing again', async () => {
    const number = nextNumber('FX');
    const bytes = await fluxPdf({ number });
    h.sim.injectFault({ kind: 'drop-after-apply', operation: '/factures/v1/deposer/flux' });
    const before = h.sim.requestCount('deposerFluxFacture');
    const flux = await h.service.depositFlux(DEMO, { fileName: 'f.pdf', bytes }, fluxConfirmed({ number }));
    expect(flux.receipt?.invoiceNumber).toBe(number);
    expect(h.sim.requestCount('deposerFluxFacture')).toBe(before + 1);
    expect(h.sim.listInvoices().filter((i) => i.number === number)).toHaveLength(1);
  }, 60_000);

  it('makes a plain-PDF copy without the invoice XML, pages unchanged', async () => {
    const bytes = await fluxPdf({ number: nextNumber('FX') });
    expect(await checkFacturxFlux(bytes.slice())).not.toBeNull();
    const plain = await h.service.plainPdfCopy(bytes);
    expect(await checkFacturxFlux(plain.slice())).toBeNull();
    const text = Buffer.from(plain).toString('latin1');
    expect(text).not.toContain('factur-x.xml');
    expect(text).not.toContain('CrossIndustryDocument');
    const original = await h.recognizer.inspect(bytes.slice(), 'a.pdf');
    const copy = await h.recognizer.inspect(plain.slice(), 'b.pdf');
    expect(copy.facturx).toBeNull();
    expect(copy.pageCount).toBe(original.pageCount);
    expect(copy.fields).toEqual(original.fields);
  }, 60_000);
});
