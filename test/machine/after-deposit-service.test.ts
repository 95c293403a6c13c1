/**
 * The conversation after a deposit with real parts (createApp: SQLite store, recognition, the
 * deposit client over HTTP to the embedded simulator): small talk on a finished draft, « mes
 * factures », « statut <numéro> », notifications off / on.
 */
import { describe, expect, it } from 'vitest';
import { TERMINAL_IDENTITY } from '../../src/app/create-app.js';
import type { UserInput } from '../../src/machine/conversation-port.js';
import type { View } from '../../src/machine/view.js';
import { invoiceLines, renderPdf } from '../fixtures/pdf-lib-invoice.js';
import { useRealApp } from './helpers/real-app.js';

let now = new Date('2026-03-20T09:00:00.000Z');
const clock = { now: () => now };
const bench = useRealApp('facteur-after-', () => ({ clock }));
const { say } = bench;
const deposit = (number: string) => bench.deposit({ number });
const me = TERMINAL_IDENTITY;
const text = (t: string): UserInput => ({ type: 'text', text: t });

const noReceipt = (views: View[]) => {
  for (const v of views) {
    expect(v.kind).not.toBe('receipt');
    expect(v.attachments ?? []).toEqual([]);
  }
};

describe('after a deposit', { timeout: 120_000 }, () => {
  it('answers « merci », « ok », « bonjour » with one short line and never sends the receipt again', async () => {
    const receipt = await deposit('F-2026-0501');
    expect(receipt.attachments?.[0]?.kind).toBe('receipt-pdf');
    const thanks = await say('merci !');
    noReceipt(thanks);
    expect(thanks).toHaveLength(1);
    expect(thanks[0]!.lines).toEqual(['Avec plaisir ! Envoyez une nouvelle facture PDF quand vous voulez.']);
    const okay = await say('ok');
    noReceipt(okay);
    expect(okay[0]!.lines[0]).toContain('Parfait');
    const other = await say('je voudrais changer le montant');
    noReceipt(other);
    expect(other[0]!.lines[0]).toContain('La facture F-2026-0501 est déposée');
    expect(other[0]!.choices.map((c) => c.id)).toContain('invoices:1');
    // An old button of the deposited draft: a short line, not the receipt.
    const draftId = receipt.draftId!;
    const old = await bench.app.conversations.handle(me, {
      type: 'choice',
      choiceId: 'ok',
      draftId,
      revision: 2,
    });
    noReceipt(old.views);
  });

  it('50 quick messages after a deposit send nothing twice', async () => {
    await deposit('F-2026-0502');
    now = new Date(now.getTime() + 10 * 60_000);
    const words = ['merci', 'ok', 'merci !', 'super', 'bonjour', 'et après ?', 'Merci beaucoup', '👍', 'top'];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        bench.app.conversations.handle(me, text(words[i % words.length]!), { idempotencyKey: `quick:${i}` }),
      ),
    );
    const views = results.flatMap((r) => r.views);
    noReceipt(views);
    const sent = views.map((v) => v.lines.join('\n'));
    expect(new Set(sent).size).toBe(sent.length);
    // thanks, okay, hello and the help line: each once.
    expect(sent.length).toBe(4);
    // A replayed message gets the answer it got first (or nothing, as first).
    const replay = await bench.app.conversations.handle(me, text('merci'), { idempotencyKey: 'quick:0' });
    expect(replay.duplicate).toBe(true);
    expect(replay.views).toEqual(results[0]!.views);
  });

  it('lists the deposited invoices newest first, a page at a time', async () => {
    for (const n of ['F-2026-0503', 'F-2026-0504', 'F-2026-0505', 'F-2026-0506']) {
      await deposit(n);
      now = new Date(now.getTime() + 60_000);
    }
    const [page1] = await say('mes factures');
    expect(page1!.title).toBe('Vos factures déposées');
    expect(page1!.lines[0]).toBe('Factures 1 à 5 sur 6, les plus récentes d’abord.');
    const numbers = page1!.lines.map((l) => /F-2026-\d{4}/.exec(l)?.[0]).filter(Boolean);
    expect(numbers).toEqual(['F-2026-0506', 'F-2026-0505', 'F-2026-0504', 'F-2026-0503', 'F-2026-0502']);
    expect(page1!.lines[1]).toMatch(
      /F-2026-0506 — Commune de Saint-Aubin-sur-Garonne — [\d  ]+,\d\d € — Déposée/,
    );
    const next = page1!.choices.find((c) => c.label === 'Suivantes')!;
    const page2 = (await bench.app.conversations.handle(me, { type: 'choice', choiceId: next.id })).views[0]!;
    expect(page2.lines.filter((l) => l.startsWith('•'))).toHaveLength(1);
    expect(page2.lines.join('\n')).toContain('F-2026-0501');
    expect(page2.choices.map((c) => c.label)).toContain('Précédentes');
  });

  it('« statut <numéro> » finds an invoice by its own number, provisional number or Chorus id', async () => {
    const [byNumber] = await say('statut F-2026-0503');
    expect(byNumber!.kind).toBe('status');
    expect(byNumber!.lines[0]).toContain('facture déposée sur Chorus Pro');
    const prov = byNumber!.provisionalNumber!;
    const chorusId = /n° (\d+)/.exec(byNumber!.lines[0]!)![1]!;
    expect((await say(`statut ${prov}`))[0]!.lines[0]).toContain(`n° ${chorusId}`);
    expect((await say(`statut ${chorusId}`))[0]!.provisionalNumber).toBe(prov);
    // Once the follow-up has polled Chorus Pro: the current status and the payment deadline.
    await bench.app.simulator!.setInvoiceStatus(Number(chorusId), 'MISE_A_DISPOSITION');
    await bench.app.followUp.runOnce();
    const [list] = await say('mes factures');
    expect(list!.lines.find((l) => l.includes('F-2026-0503'))).toMatch(
      /Mise à disposition[^—]* — paiement attendu au plus tard le \d\d\/\d\d\/\d{4}/,
    );
    const [followed] = await say('statut F-2026-0503');
    expect(followed!.lines.join('\n')).toMatch(/Paiement attendu au plus tard le \d\d\/\d\d\/\d{4}/);
    const missing = await say('statut F-1999-0001');
    expect(missing[0]!.kind).toBe('error');
    expect(missing[0]!.lines[0]).toContain('Aucune facture ni brouillon « F-1999-0001 »');
  });

  it('turns notifications off and on for the account', async () => {
    const account = (await bench.app.store.identities.findAccount(me))!;
    expect(await bench.app.store.followUps.notificationsEnabled(account.id)).toBe(true);
    const off = await say('notifications off');
    expect(off[0]!.lines[0]).toContain('Notifications désactivées');
    expect(await bench.app.store.followUps.notificationsEnabled(account.id)).toBe(false);
    const state = await say('notifications');
    expect(state[0]!.lines[0]).toContain('désactivées');
    const on = await bench.app.conversations.handle(me, {
      type: 'choice',
      choiceId: state[0]!.choices[0]!.id,
    });
    expect(on.views[0]!.lines[0]).toContain('Notifications activées');
    expect(await bench.app.store.followUps.notificationsEnabled(account.id)).toBe(true);
  });

  it('a second PDF while a draft is open can join it as a supporting document (ajouter/fichier)', async () => {
    const invoice = await renderPdf(invoiceLines({ number: 'F-2026-0510' }));
    const first = await bench.app.conversations.handle(me, {
      type: 'file',
      fileName: 'F-2026-0510.pdf',
      mimeType: 'application/pdf',
      bytes: invoice,
    });
    const draftA = first.views[0]!.draftId!;
    const bon = await renderPdf(invoiceLines({ number: 'BC-2026-77' }));
    const second = await bench.app.conversations.handle(me, {
      type: 'file',
      fileName: 'bon-de-commande.pdf',
      mimeType: 'application/pdf',
      bytes: bon,
    });
    const note = second.views[0]!;
    expect(note.lines.join(' ')).toContain('pièce jointe de PROV-');
    const choice = note.choices.find((c) => c.label.startsWith('Pièce jointe de'))!;
    const draftB = note.draftId!;
    const attached = await bench.app.conversations.handle(me, {
      type: 'choice',
      choiceId: choice.id,
      draftId: draftB,
      revision: note.revision,
    });
    expect(attached.views[0]!.lines[0]).toContain('est supprimé : son PDF est joint à');
    expect(attached.views.at(-1)!.draftId).toBe(draftA);
    expect(attached.views.at(-1)!.lines.join('\n')).toContain(
      'Pièce jointe ajoutée : « bon-de-commande.pdf »',
    );
    expect((await bench.app.store.conversations.get(draftB))?.status).toBe('cancelled');
    expect(await bench.app.store.conversations.getCurrent(me)).toBe(draftA);
    // Pressed again (a replayed button): nothing attached twice.
    const again = await bench.app.conversations.handle(me, {
      type: 'choice',
      choiceId: choice.id,
      draftId: draftB,
    });
    expect(again.views.some((v) => v.lines.join(' ').includes('Pièce jointe ajoutée'))).toBe(false);
    let views: View[] = attached.views;
    for (let i = 0; i < 8 && views.at(-1)?.kind !== 'summary'; i++) views = await say('ok');
    expect(views.at(-1)!.lines).toContain('📎 bon-de-commande.pdf');
    views = await say('confirmer');
    const receipt = views.at(-1)!;
    expect(receipt.kind).toBe('receipt');
    expect(receipt.lines).toContain('📎 bon-de-commande.pdf');
    const deposited = bench.app.simulator!.listInvoices().find((i) => i.number === 'F-2026-0510')!;
    expect(deposited.extraPieceIds).toHaveLength(1);
  });
});
