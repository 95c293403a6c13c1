import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChorusInputError,
  ChorusRefusedError,
  createChorusClientFactory,
  createFollowUpService,
  FOLLOW_UP_SIM_CODES,
  type FollowUpService,
} from '../../src/deposit/index.js';
import { attachmentName } from '../../src/deposit/follow-up-service.js';
import { DEMO, SIRET, depositFresh, invoicePdf, startHarness, submission, type Harness } from './helpers.js';

let h: Harness;
let pdf: Uint8Array;
let fu: FollowUpService;

beforeAll(async () => {
  h = await startHarness({ lifecycle: { routingAfterMs: 60_000, availableAfterMs: 300_000 } });
  pdf = await invoicePdf();
  fu = createFollowUpService({ clientFor: createChorusClientFactory(h.installation), pageSize: 2 });
});
afterAll(() => h?.close());

async function deposit(overrides = {}): Promise<number> {
  const receipt = await h.service.submit(DEMO, submission(await depositFresh(h, pdf), overrides));
  return receipt.chorusInvoiceId;
}

const pdfFile = (name = 'bon-de-livraison.pdf') => ({
  fileName: name,
  mimeType: 'application/pdf',
  bytes: new TextEncoder().encode('%PDF-1.4 bon de livraison'),
});

describe('the changed-invoice search', () => {
  it('lists only the invoices whose status changed since the instant, every page', async () => {
    const before = h.sim.now().toISOString();
    await h.sim.advanceClock(1_000);
    const ids = [await deposit(), await deposit(), await deposit()];
    const all = await fu.changedSince(DEMO, before);
    expect(all.invoices.map((i) => i.chorusInvoiceId).sort()).toEqual([...ids].sort());
    expect(all.calls).toBe(2); // page size 2: three changes, two pages
    expect(all.invoices[0]).toMatchObject({ status: 'DEPOSEE', totalInclTaxCents: 150_000 });

    await h.sim.advanceClock(1_000);
    const later = h.sim.now().toISOString();
    await h.sim.setInvoiceStatus(ids[1]!, 'SUSPENDUE', 'Bon de livraison manquant');
    const changed = await fu.changedSince(DEMO, later);
    expect(changed.invoices).toEqual([
      expect.objectContaining({
        chorusInvoiceId: ids[1],
        status: 'SUSPENDUE',
        statusComment: 'Bon de livraison manquant',
      }),
    ]);
    expect(changed.calls).toBe(1);
  });
});

describe('statuses moved by time', () => {
  it('each search and look-up brings what it returns up to date, whatever was read before', async () => {
    const [a, b] = [await deposit(), await deposit()];
    const before = h.sim.now().toISOString();
    await h.sim.advanceClock(400_000); // routed, then available, with nothing read meanwhile
    expect((await fu.history(DEMO, b)).status).toBe('MISE_A_DISPOSITION');
    // `a` was not read by the look-up of `b`: the search moves it, dated when it moved.
    const changed = await fu.changedSince(DEMO, before);
    const found = changed.invoices.find((i) => i.chorusInvoiceId === a);
    expect(found).toMatchObject({ status: 'MISE_A_DISPOSITION' });
    expect(Date.parse(found!.statusAt)).toBeGreaterThan(Date.parse(before));
    expect(Date.parse(found!.statusAt)).toBeLessThanOrEqual(h.sim.now().getTime());
  });
});

describe('history, completer, recycler, ajouter/fichier', () => {
  it('reads the dated history oldest first with the buyer’s comment', async () => {
    const id = await deposit();
    await h.sim.advanceClock(400_000); // routed, then available
    await h.sim.setInvoiceStatus(id, 'SUSPENDUE', 'Il manque le PV de réception');
    const history = await fu.history(DEMO, id);
    expect(history.status).toBe('SUSPENDUE');
    expect(history.entries.map((e) => e.status)).toEqual([
      'DEPOSEE',
      'EN_COURS_ACHEMINEMENT',
      'MISE_A_DISPOSITION',
      'SUSPENDUE',
    ]);
    expect(history.entries.at(-1)).toMatchObject({ comment: 'Il manque le PV de réception' });
    expect(history.entries.every((e) => typeof e.id === 'number')).toBe(true);
  });

  it('completes a suspended invoice with a comment and an uploaded attachment, once', async () => {
    const id = await deposit();
    await expect(fu.complete(DEMO, { chorusInvoiceId: id, comment: 'Voici le bon' })).rejects.toMatchObject({
      codeRetour: FOLLOW_UP_SIM_CODES.notSuspended,
    });
    await h.sim.setInvoiceStatus(id, 'SUSPENDUE', 'Bon de livraison manquant');
    const done = await fu.complete(DEMO, {
      chorusInvoiceId: id,
      comment: 'Voici le bon de livraison signé.',
      attachments: [pdfFile()],
    });
    expect(done.attachments).toHaveLength(1);
    const history = await fu.history(DEMO, id);
    expect(history.status).toBe('COMPLETEE');
    expect(history.entries.at(-1)!.comment).toBe('Voici le bon de livraison signé.');
    const invoice = h.sim.listInvoices().find((i) => i.id === id)!;
    expect(invoice.extraPieceIds).toEqual([done.attachments[0]!.pieceJointeId]);
    // A second completer is refused: the invoice is no longer suspended.
    await expect(fu.complete(DEMO, { chorusInvoiceId: id, comment: 'encore' })).rejects.toBeInstanceOf(
      ChorusRefusedError,
    );
  });

  it('refuses an attachment used twice, an empty completion and a bad file before sending', async () => {
    const id = await deposit();
    await h.sim.setInvoiceStatus(id, 'SUSPENDUE');
    expect((await fu.history(DEMO, id)).entries.at(-1)!.comment).toMatch(/manquante/); // default reason
    await expect(fu.complete(DEMO, { chorusInvoiceId: id })).rejects.toBeInstanceOf(ChorusInputError);
    await expect(fu.addAttachment(DEMO, pdfFile('virus.exe'))).rejects.toThrow(/n’accepte pas/);
    const sentBefore = h.sent.length;
    await expect(
      fu.addAttachment(DEMO, { ...pdfFile(), bytes: new Uint8Array(10 * 1024 * 1024 + 1) }),
    ).rejects.toMatchObject({ userMessage: expect.stringMatching(/10 Mo/) });
    expect(h.sent.length).toBe(sentBefore);
    const piece = await fu.addAttachment(DEMO, pdfFile());
    await fu.complete(DEMO, { chorusInvoiceId: id, attachments: [piece] });
    const other = await deposit();
    await h.sim.setInvoiceStatus(other, 'SUSPENDUE', 'PV manquant');
    await expect(fu.complete(DEMO, { chorusInvoiceId: other, attachments: [piece] })).rejects.toMatchObject({
      libelle: expect.stringMatching(/déjà utilisée/),
    });
  });

  it('recycles an invoice to a new recipient and service: same number, back to DEPOSEE', async () => {
    const id = await deposit();
    await expect(
      fu.recycle(DEMO, { chorusInvoiceId: id, recipientSiret: SIRET.hospital, serviceCode: 'URGENCES' }),
    ).rejects.toMatchObject({ codeRetour: FOLLOW_UP_SIM_CODES.notToRecycle });
    await h.sim.setInvoiceStatus(id, 'A_RECYCLER', 'Mauvais service');
    // The hospital requires a service code: the routing rules of soumettre apply.
    await expect(
      fu.recycle(DEMO, { chorusInvoiceId: id, recipientSiret: SIRET.hospital }),
    ).rejects.toMatchObject({
      refusal: { code: 'service-required' },
    });
    await expect(
      fu.recycle(DEMO, { chorusInvoiceId: id, recipientSiret: SIRET.inactive }),
    ).rejects.toMatchObject({
      refusal: { code: 'recipient-inactive' },
    });
    const services = (await h.service.recipientRules(DEMO, 25000201)).services.filter((s) => s.active);
    const result = await fu.recycle(DEMO, {
      chorusInvoiceId: id,
      recipientSiret: SIRET.hospital,
      serviceCode: services[0]!.code,
      comment: 'Service corrigé',
    });
    expect(result.status).toBe('DEPOSEE');
    const invoice = h.sim.listInvoices().find((i) => i.id === id)!;
    expect(invoice).toMatchObject({ recipientSiret: SIRET.hospital, serviceCode: services[0]!.code });
    expect((await fu.history(DEMO, id)).entries.at(-1)).toMatchObject({
      status: 'DEPOSEE',
      comment: 'Service corrigé',
    });
  });

  it('keeps Chorus’ 50-character attachment names, extension included', () => {
    const long = `${'x'.repeat(80)}.pdf`;
    expect(attachmentName(long)).toHaveLength(50);
    expect(attachmentName(long).endsWith('.pdf')).toBe(true);
    expect(attachmentName('C:\\Users\\moi\\bon.pdf')).toBe('bon.pdf');
  });
});
