/**
 * The conversation after a deposit by e-mail: a real Dovecot, a real SMTP listener and the real
 * Facteur (createApp with the e-mail channel, the embedded simulator, SQLite).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { ParsedMail } from 'mailparser';
import { createRecognizer } from '../../src/recognition/index.js';
import { renderPdf, invoiceLines } from '../fixtures/pdf-lib-invoice.js';
import { dovecotMissing } from './helpers/dovecot.js';
import { appendAll, buildMail } from './helpers/compose.js';
import { answersOf, CAMILLE, PASS, threadReply, useMailApp } from './helpers/mail-app.js';
import { untilWithin } from './helpers/until.js';

const EXEMPLE = readFileSync('examples/facture-exemple.pdf');
const USER = { user: 'after@facteur.test', password: 'secret-after' };

const bench = useMailApp(USER, {
  dirPrefix: 'facteur-mail-after-',
  recognizer: () => createRecognizer({ poolSize: 1 }),
});
const account = bench.account;
const { answersTo, answerTo } = answersOf(() => bench.smtp, untilWithin(60_000));

let seq = 0;
async function reply(
  to: ParsedMail,
  text: string,
  attachments: { filename: string; content: Buffer }[] = [],
) {
  const messageId = `<after-${++seq}@example.fr>`;
  await appendAll(account, 'INBOX', [
    await threadReply(to, { facteur: USER.user, messageId, text, quote: true, attachments }),
  ]);
  return messageId;
}

async function sendPdf(subject: string, filename: string, content: Buffer): Promise<ParsedMail> {
  const messageId = `<after-${++seq}@example.fr>`;
  await appendAll(account, 'INBOX', [
    await buildMail({
      from: CAMILLE,
      to: USER.user,
      subject,
      messageId,
      attachments: [{ filename, content }],
      authResults: PASS,
    }),
  ]);
  return answerTo(messageId);
}

describe.skipIf(dovecotMissing)('e-mail after a deposit', () => {
  it('a « merci » reply to the receipt gets one short line, no receipt again; « mes factures » and « statut »', async () => {
    const report = await sendPdf('Facture de mars', 'facture-exemple.pdf', EXEMPLE);
    const summary = await answerTo(await reply(report, 'confirmer'));
    expect(summary.text).toContain('Récapitulatif avant envoi');
    const receipt = await answerTo(await reply(summary, 'confirmer'));
    expect(receipt.text).toContain('Facture déposée sur Chorus Pro');
    expect(receipt.attachments).toHaveLength(1);

    const thanks = await answerTo(await reply(receipt, 'Merci beaucoup !'));
    expect(thanks.subject).toBe(receipt.subject);
    expect(thanks.text).toContain('Avec plaisir !');
    expect(thanks.text).not.toContain('Facture déposée sur Chorus Pro');
    expect(thanks.attachments).toHaveLength(0);

    const again = await reply(receipt, 'merci');
    const list = await answerTo(await reply(receipt, 'mes factures'));
    expect(list.text).toContain('Vos factures déposées');
    expect(list.text).toMatch(/F-2026-0042 — Commune de Saint-Aubin-sur-Garonne — 1 500,00 € — Déposée/);
    // The second « merci », handled before « mes factures », got nothing: the line was just sent.
    expect(answersTo(again)).toHaveLength(0);

    const status = await answerTo(await reply(receipt, 'statut F-2026-0042'));
    expect(status.text).toMatch(/facture déposée sur Chorus Pro \(n° \d+\), statut actuel : Déposée/);
    expect(
      bench.smtp.messages.filter((m) => (m.text ?? '').includes('Facture déposée sur Chorus Pro')),
    ).toHaveLength(1);
    expect(
      bench.smtp.messages.flatMap((m) => m.attachments).filter((a) => a.contentType === 'application/pdf'),
    ).toHaveLength(1);
  }, 120_000);

  it('a second PDF while a draft is open becomes its supporting document when the user says so', async () => {
    const report = await sendPdf(
      'Facture avril',
      'facture-avril.pdf',
      Buffer.from(await renderPdf(invoiceLines({ number: 'F-2026-0801' }))),
    );
    const prov = /\[(PROV-\d{4}-\d{4})\]/.exec(report.subject ?? '')![1]!;
    const bon = Buffer.from(await renderPdf(invoiceLines({ number: 'BC-12' })));
    const asked = await sendPdf('Bon de commande', 'bon-de-commande.pdf', bon);
    expect(asked.text).toContain(`pièce jointe de ${prov}`);
    const answer = await answerTo(await reply(asked, `Pièce jointe de ${prov}`));
    expect(answer.text).toContain(`son PDF est joint à ${prov}`);
    expect(answer.text).toContain('Pièce jointe ajoutée : « bon-de-commande.pdf »');
  }, 120_000);
});
