import { createActor, waitFor } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  afterChoiceToCommand,
  AFTER_CHOICE,
  parseAfterCommand,
  smallTalkOf,
} from '../../src/machine/after-deposit-commands.js';
import { prefillFrom } from '../../src/machine/after-deposit-draft.js';
import { finishedDraftAnswer } from '../../src/machine/after-deposit-talk.js';
import { invoicesView, type InvoiceRow } from '../../src/machine/after-deposit-invoices.js';
import { renderDraft, stepOf } from '../../src/machine/render.js';
import type { ConversationRecord } from '../../src/store/types.js';
import { fakeMachine, say, startDraft } from './fakes.js';

const BON = { pieceJointeId: 555, fileName: 'bon-de-commande.pdf', fileSize: 2048 };

describe('after-deposit commands', () => {
  it('tells courtesy from other text', () => {
    for (const t of ['merci', 'Merci beaucoup !', 'merci 🙏', 'super, merci', 'Thanks'])
      expect(smallTalkOf(t), t).toBe('thanks');
    for (const t of ['ok', 'OK !', 'super', 'top', '👍', 'ça marche', 'bien reçu'])
      expect(smallTalkOf(t), t).toBe('okay');
    for (const t of ['Bonjour', 'salut !', 'hello']) expect(smallTalkOf(t), t).toBe('hello');
    for (const t of ['bonne journée', 'au revoir', 'à bientôt']) expect(smallTalkOf(t), t).toBe('bye');
    for (const t of ['quand serai-je payé ?', 'F-2026-0042', 'ok pour la facture de mars', '1500', ''])
      expect(smallTalkOf(t), t).toBeUndefined();
  });

  it('parses « mes factures », « statut <numéro> » and « notifications off / on »', () => {
    expect(parseAfterCommand('Mes factures')).toEqual({ kind: 'invoices', page: 1 });
    expect(parseAfterCommand('/factures')).toEqual({ kind: 'invoices', page: 1 });
    expect(parseAfterCommand('factures 3')).toEqual({ kind: 'invoices', page: 3 });
    expect(parseAfterCommand('statut F-2026-0042')).toEqual({ kind: 'status-of', reference: 'F-2026-0042' });
    expect(parseAfterCommand('Statut de la facture n°F-2026-0042 ?')).toEqual({
      kind: 'status-of',
      reference: 'F-2026-0042',
    });
    expect(parseAfterCommand('statut PROV-2026-0007')).toEqual({
      kind: 'status-of',
      reference: 'PROV-2026-0007',
    });
    expect(parseAfterCommand('notifications off')).toEqual({ kind: 'notifications', on: false });
    expect(parseAfterCommand('Notifications ON')).toEqual({ kind: 'notifications', on: true });
    expect(parseAfterCommand('couper les notifications')).toEqual({ kind: 'notifications', on: false });
    expect(parseAfterCommand('notifications')).toEqual({ kind: 'notifications', on: null });
    expect(parseAfterCommand('Pièce jointe de PROV-2026-0001')).toEqual({
      kind: 'attach-typed',
      to: 'PROV-2026-0001',
    });
    expect(parseAfterCommand("c'est une pièce jointe")).toEqual({ kind: 'attach-typed' });
    expect(parseAfterCommand('statut')).toBeUndefined();
    expect(parseAfterCommand('merci')).toBeUndefined();
  });

  it('round-trips its choice ids within 32 characters', () => {
    const ids = [
      AFTER_CHOICE.invoices(12),
      AFTER_CHOICE.statusOf('abcdefghijk'),
      AFTER_CHOICE.attachDraft('abcdefghijk', 'ABCDEFGHIJK'),
      AFTER_CHOICE.notifications(false),
    ];
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(32);
    expect(afterChoiceToCommand(ids[0]!)).toEqual({ kind: 'invoices', page: 12 });
    expect(afterChoiceToCommand(ids[1]!)).toEqual({ kind: 'status-of', reference: 'abcdefghijk' });
    expect(afterChoiceToCommand(ids[2]!)).toEqual({
      kind: 'attach-draft',
      draftId: 'abcdefghijk',
      to: 'ABCDEFGHIJK',
    });
    expect(afterChoiceToCommand(ids[3]!)).toEqual({ kind: 'notifications', on: false });
    expect(afterChoiceToCommand('ok')).toBeUndefined();
  });
});

describe('a finished draft answers in one short line', () => {
  const record = (status: ConversationRecord['status'], invoiceNumber?: string): ConversationRecord => ({
    id: 'd1',
    accountId: 'a',
    startedBy: { channel: 'terminal', userId: 'local' },
    provisionalNumber: 'PROV-2026-0001',
    status,
    snapshot: invoiceNumber ? { context: { receipt: { invoiceNumber } } } : null,
    machineVersion: 1,
    revision: 9,
    createdAt: '',
    updatedAt: '',
    lastActivityAt: '',
  });

  it('thanks, greets, or says what can be done now; never the receipt', () => {
    const thanks = finishedDraftAnswer(record('submitted', 'F-1'), 'merci !');
    expect(thanks.lines).toHaveLength(1);
    expect(thanks.lines[0]).toContain('Avec plaisir');
    expect(thanks.kind).toBe('info');
    expect(thanks.attachments).toBeUndefined();
    expect(finishedDraftAnswer(record('submitted', 'F-1'), 'Bonjour', 'Camille').lines[0]).toContain(
      'Bonjour Camille',
    );
    const help = finishedDraftAnswer(record('submitted', 'F-1'), 'et maintenant ?');
    expect(help.lines[0]).toContain('La facture F-1 est déposée');
    expect(help.choices.map((c) => c.id)).toEqual(['invoices:1', 'statut:d1', 'help']);
    const cancelled = finishedDraftAnswer(record('cancelled'), 'on continue');
    expect(cancelled.lines[0]).toContain('PROV-2026-0001 est terminé');
    expect(cancelled.choices.map((c) => c.id)).toContain('drafts');
  });
});

describe('« mes factures » view', () => {
  const row = (i: number, due?: string): InvoiceRow => ({
    draftId: `d${i}`,
    invoiceNumber: `F-2026-${String(i).padStart(4, '0')}`,
    chorusInvoiceId: 100 + i,
    recipient: 'Commune de Saint-Aubin-sur-Garonne',
    totalInclTaxCents: 150000 + i,
    currency: 'EUR',
    depositedAt: `2026-03-${String(i).padStart(2, '0')}T09:00:00.000Z`,
    status: 'MISE_A_DISPOSITION',
    ...(due ? { follow: { status: 'MISE_A_DISPOSITION', paymentDueBy: due } } : {}),
  });

  it('lists number, recipient, amount, status and the payment date when known, with page buttons', () => {
    const view = invoicesView([row(7, '2026-04-14'), row(6)], 2, 7);
    const text = view.lines.join('\n');
    expect(text).toContain(
      'F-2026-0007 — Commune de Saint-Aubin-sur-Garonne — 1 500,07 € — Mise à disposition',
    );
    expect(text).toContain('paiement attendu au plus tard le 14/04/2026');
    expect(view.lines.find((l) => l.includes('F-2026-0006'))).not.toContain('paiement attendu');
    expect(view.choices.map((c) => c.id)).toEqual(['statut:d7', 'statut:d6', 'invoices:1']);
    const first = invoicesView([row(1), row(2), row(3), row(4), row(5)], 1, 7);
    expect(first.choices.at(-1)).toMatchObject({ id: 'invoices:2', label: 'Suivantes' });
    expect(invoicesView([], 1, 0).lines[0]).toContain('Aucune facture déposée');
  });
});

describe('draft machine: attachments and a pre-filled draft', () => {
  it('ATTACH adds a supporting document shown in the summary, sent with the invoice, on the receipt', async () => {
    const d = await startDraft();
    await d.send({ type: 'ATTACH', attachment: BON });
    await d.send({ type: 'ATTACH', attachment: BON });
    expect(d.snapshot.context.attachments).toEqual([BON]);
    expect(renderDraft(d.snapshot).at(-1)!.lines.join('\n')).toContain('Pièce jointe ajoutée');
    for (let i = 0; i < 4; i++) await say(d, 'ok');
    expect(d.snapshot.value).toEqual({ active: 'summary' });
    expect(renderDraft(d.snapshot)[0]!.lines).toContain('📎 bon-de-commande.pdf');
    const receipt = await say(d, 'confirmer');
    expect(d.calls.submit[0]!.attachments).toEqual([{ pieceJointeId: 555, fileName: 'bon-de-commande.pdf' }]);
    expect(receipt[0]!.lines).toContain('📎 bon-de-commande.pdf');
  });

  it('DISCARD ends a draft as cancelled', async () => {
    const d = await startDraft();
    await d.send({ type: 'DISCARD' });
    expect(d.snapshot.value).toBe('cancelled');
    expect(d.snapshot.context.endReason).toBe('user');
  });

  it('a draft pre-filled from a rejected invoice keeps its values and asks a new number', async () => {
    const { machine } = fakeMachine();
    const prefill = prefillFrom(
      {
        invoiceNumber: 'F-2026-001',
        invoiceDate: '2026-03-10',
        recipient: '21330063500017',
        supplier: 7001,
        totalExclTax: 125000,
        totalTax: 25000,
        totalInclTax: 150000,
        engagement: 'EJ-77',
      },
      'F-2026-001',
      true,
    );
    const actor = createActor(machine, {
      input: { draftId: 'd2', provisionalNumber: 'PROV-2026-0002', fileName: 'f.pdf', fileSize: 1, prefill },
    });
    actor.start();
    await waitFor(actor, (s) => !s.hasTag('busy'));
    const snap = actor.getSnapshot();
    expect(snap.context.values.invoiceNumber).toBeUndefined();
    expect(snap.context.values.invoiceDate).toBe('2026-03-10');
    expect(snap.context.values.engagement).toBe('EJ-77');
    const report = renderDraft(snap)[0]!;
    expect(report.lines[0]).toContain('pré-rempli depuis la facture rejetée F-2026-001');
    expect(report.lines[1]).toContain('nouveau numéro');
    actor.send({ type: 'CONFIRM' });
    expect(stepOf(actor.getSnapshot().value)).toMatchObject({
      kind: 'block',
      block: 'identification',
      mode: 'editing',
    });
    expect(actor.getSnapshot().context.editing).toBe('invoiceNumber');
    actor.stop();
  });
});
