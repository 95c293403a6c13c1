/**
 * A Factur-X deposited by e-mail, end to end: a real Dovecot, a real SMTP listener, the real app
 * (createApp: conversation, recognition, store, embedded simulator with its flux channel). A flux
 * on the embedded values; a flux Chorus Pro rejects, explained, then the PDF alone.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { ParsedMail } from 'mailparser';
import { fluxPdf } from '../fixtures/facturx/flux-fixtures.js';
import { dovecotMissing } from './helpers/dovecot.js';
import { appendAll, buildMail } from './helpers/compose.js';
import { answersOf, CAMILLE, PASS, threadReply, useMailApp } from './helpers/mail-app.js';
import { untilWithin } from './helpers/until.js';

const FACTURX = readFileSync('examples/facture-facturx.pdf');
const USER = { user: 'facturx@facteur.test', password: 'secret-fx' };

const bench = useMailApp(USER, { dirPrefix: 'facteur-mail-fx-' });
const account = bench.account;
const { answerTo } = answersOf(() => bench.smtp, untilWithin(90_000));
const reply = (to: ParsedMail, messageId: string, text: string) =>
  threadReply(to, { facteur: USER.user, messageId, text });

const send = async (messageId: string, subject: string, fileName: string, content: Uint8Array) =>
  appendAll(account, 'INBOX', [
    await buildMail({
      from: `Camille Martin <${CAMILLE}>`,
      to: USER.user,
      subject,
      messageId,
      attachments: [{ filename: fileName, content: Buffer.from(content) }],
      authResults: PASS,
    }),
  ]);

describe.skipIf(dovecotMissing)('Factur-X by e-mail with the real app', () => {
  it('report « lu dans le Factur-X » → « confirmer » → summary → « confirmer » → flux integrated, receipt', async () => {
    await send('<fx-1@example.fr>', 'Facture Factur-X', 'facture-facturx.pdf', FACTURX);
    const report = await answerTo('<fx-1@example.fr>');
    expect(report.text).toContain('Factur-X (profil EN 16931) : données exactes lues dans la facture');
    expect(report.text).toContain('Numéro de facture : F-2026-0051 (lu dans le Factur-X');
    await appendAll(account, 'INBOX', [await reply(report, '<fx-1-r1@example.fr>', 'confirmer')]);
    const summary = await answerTo('<fx-1-r1@example.fr>');
    expect(summary.text).toContain('La facture sera déposée comme flux Factur-X');
    await appendAll(account, 'INBOX', [await reply(summary, '<fx-1-r2@example.fr>', 'confirmer')]);
    const receipt = await answerTo('<fx-1-r2@example.fr>');
    expect(receipt.text).toContain('Facture déposée sur Chorus Pro');
    expect(receipt.text).toContain('Statut : Déposée');
    expect(receipt.attachments[0]!.content.subarray(0, 5).toString()).toBe('%PDF-');
    const fluxes = await bench.app.simulator!.listFluxes();
    expect(fluxes.map((f) => f.state)).toEqual(['IN_INTEGRE']);
    const invoices = bench.app.simulator!.listInvoices().filter((i) => i.number === 'F-2026-0051');
    expect(invoices).toHaveLength(1);
    expect(invoices[0]!.fluxNumber).toBe(fluxes[0]!.number);
  }, 180_000);

  it('a rejected flux is explained in French, the draft stays open, « PDF simple » deposits the PDF alone', async () => {
    const pdf = await fluxPdf({
      number: 'F-2026-0079',
      mutate: (i) => (i.paymentMeans = []),
    });
    await send('<fx-2@example.fr>', 'Facture sans paiement', 'sans-paiement.pdf', pdf);
    const report = await answerTo('<fx-2@example.fr>');
    await appendAll(account, 'INBOX', [
      await reply(report, '<fx-2-r1@example.fr>', 'banque: 116050\nconfirmer'),
    ]);
    const summary = await answerTo('<fx-2-r1@example.fr>');
    expect(summary.text).toContain('Récapitulatif avant envoi');
    await appendAll(account, 'INBOX', [await reply(summary, '<fx-2-r2@example.fr>', 'confirmer')]);
    const rejected = await answerTo('<fx-2-r2@example.fr>');
    expect(rejected.text).toContain('Flux Factur-X rejeté par Chorus Pro');
    expect(rejected.text).toContain('PaymentMeans.TypeCode.value est obligatoire');
    expect(rejected.text).toContain('Le brouillon reste ouvert');
    await appendAll(account, 'INBOX', [await reply(rejected, '<fx-2-r3@example.fr>', 'confirmer')]);
    const plain = await answerTo('<fx-2-r3@example.fr>');
    expect(plain.text).toContain('Vous avez choisi le dépôt en PDF simple');
    await appendAll(account, 'INBOX', [await reply(plain, '<fx-2-r4@example.fr>', 'confirmer')]);
    const receipt = await answerTo('<fx-2-r4@example.fr>');
    expect(receipt.text).toContain('Facture déposée sur Chorus Pro');
    const invoices = bench.app.simulator!.listInvoices().filter((i) => i.number === 'F-2026-0079');
    expect(invoices).toHaveLength(1);
    expect(invoices[0]!.modeDepot).toBe('DEPOT_PDF_API');
  }, 180_000);
});
