/**
 * The actions of status notifications, with real parts (createApp, the simulator moving the
 * invoice's status as a buyer would): « Compléter » → completer, « Corriger le destinataire » →
 * recycler, « Préparer une nouvelle facture » → a pre-filled draft with a new number.
 */
import { describe, expect, it } from 'vitest';
import { followUpChoiceId } from '../../src/followup/actions.js';
import type { UserInput } from '../../src/machine/conversation-port.js';
import { invoiceLines, renderPdf } from '../fixtures/pdf-lib-invoice.js';
import { useRealApp } from './helpers/real-app.js';

const bench = useRealApp('facteur-actions-');
const { handle, say, press } = bench;
const pdfFile = async (number: string, fileName = `${number}.pdf`): Promise<UserInput> => ({
  type: 'file',
  fileName,
  mimeType: 'application/pdf',
  bytes: await renderPdf(invoiceLines({ number })),
});

/** Deposits invoice `number`: its id on the simulator. */
async function deposit(number: string): Promise<number> {
  await bench.deposit({ number });
  return bench.app.simulator!.listInvoices().find((i) => i.number === number)!.id;
}

describe('actions from status notifications', { timeout: 120_000 }, () => {
  it('« Compléter »: a comment, a supporting PDF, then completer → COMPLETEE', async () => {
    const id = await deposit('F-2026-0601');
    await bench.app.simulator!.setInvoiceStatus(id, 'MISE_A_DISPOSITION');
    await bench.app.simulator!.setInvoiceStatus(id, 'SUSPENDUE', 'Bon de commande manquant');
    const [ask] = await press(followUpChoiceId('complete', id));
    expect(ask!.title).toBe('Compléter la facture F-2026-0601');
    expect(ask!.expectsText).toBeDefined();
    const [noted] = await say('Voici le bon de commande signé.');
    expect(noted!.lines[0]).toContain('Commentaire noté');
    // The PDF answers the action: it is not a new invoice.
    const drafts = await bench.app.store.conversations.count({});
    const [withPdf] = await handle(await pdfFile('BC-9', 'bon-de-commande.pdf'));
    expect(withPdf!.lines).toContain('📎 bon-de-commande.pdf');
    expect(await bench.app.store.conversations.count({})).toBe(drafts);
    const [done] = await press(withPdf!.choices.find((c) => c.label === 'Envoyer')!.id);
    expect(done!.lines[0]).toContain('est complétée');
    const invoice = bench.app.simulator!.listInvoices().find((i) => i.id === id)!;
    expect(invoice.status).toBe('COMPLETEE');
    expect(invoice.extraPieceIds).toHaveLength(1);
    expect(invoice.history.at(-1)?.comment).toBe('Voici le bon de commande signé.');
    // The action is over: text goes back to the usual answers.
    expect((await say('merci'))[0]?.lines[0] ?? '').not.toContain('Commentaire');
  });

  it('« Compléter » on an invoice no longer suspended gets Chorus Pro’s refusal; « annuler » stops', async () => {
    const id = await deposit('F-2026-0602');
    await press(followUpChoiceId('complete', id));
    await say('Pièce fournie');
    const refused = await say('envoyer');
    expect(refused[0]!.kind).toBe('error');
    expect(refused[0]!.lines[0]).toMatch(/SUSPENDUE|suspendue/);
    const cancelled = await say('annuler');
    expect(cancelled[0]!.lines[0]).toContain('rien n’a été envoyé');
  });

  it('« Corriger le destinataire »: directory search, the service rules, then recycler', async () => {
    const id = await deposit('F-2026-0603');
    await bench.app.simulator!.setInvoiceStatus(id, 'MISE_A_DISPOSITION');
    await bench.app.simulator!.setInvoiceStatus(id, 'A_RECYCLER', 'Mauvais service');
    const [ask] = await press(followUpChoiceId('fix-recipient', id));
    expect(ask!.lines.join(' ')).toContain('Tapez le SIRET du bon destinataire');
    const [list] = await say('26330');
    const hospital = list!.choices.find((c) => c.id === 'act:siret:26330002200013')!;
    expect(hospital.label).toContain('Centre hospitalier de Libourne-Est');
    const [services] = await press(hospital.id);
    expect(services!.lines.join(' ')).toContain('choisissez le service');
    // Required here: no « sans code service ».
    expect(services!.choices.some((c) => c.id === 'act:svc:-')).toBe(false);
    const [confirm] = await press(services!.choices[0]!.id);
    expect(confirm!.lines[0]).toMatch(
      /Renvoyer la facture à Centre hospitalier de Libourne-Est, service \S+/,
    );
    const [done] = await press('act:send');
    expect(done!.lines[0]).toContain('est renvoyée à Centre hospitalier de Libourne-Est');
    const invoice = bench.app.simulator!.listInvoices().find((i) => i.id === id)!;
    expect(invoice.recipientSiret).toBe('26330002200013');
    expect(invoice.number).toBe('F-2026-0603');
  });

  it('« Préparer une nouvelle facture »: a draft pre-filled from the rejected one, with a new number', async () => {
    const id = await deposit('F-2026-0604');
    await bench.app.simulator!.setInvoiceStatus(id, 'MISE_A_DISPOSITION');
    await bench.app.simulator!.setInvoiceStatus(id, 'REJETEE', 'Mauvais cadre');
    const views = await press(followUpChoiceId('new-invoice', id));
    const report = views.find((v) => v.kind === 'report')!;
    expect(report.lines[0]).toContain('pré-rempli depuis la facture rejetée F-2026-0604');
    expect(report.lines[1]).toContain('nouveau numéro');
    let step = views.at(-1)!;
    for (let i = 0; i < 3 && step.expectsText?.field !== 'invoiceNumber'; i++)
      step = (await say('ok')).at(-1)!;
    expect(step.expectsText?.field).toBe('invoiceNumber');
    let next = await say('F-2026-0614');
    for (let i = 0; i < 8 && next.at(-1)?.kind !== 'summary'; i++) next = await say('ok');
    next = await say('confirmer');
    expect(next.at(-1)!.kind).toBe('receipt');
    expect(bench.app.simulator!.listInvoices().filter((i) => i.number === 'F-2026-0614')).toHaveLength(1);
    // Pressed again: the same draft, not a second one.
    const again = await press(followUpChoiceId('new-invoice', id));
    expect(again.find((v) => v.draftId)?.draftId).toBe(report.draftId);
  });
});
