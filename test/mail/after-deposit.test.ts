/**
 * The conversation after a deposit by e-mail: a real Dovecot, a real SMTP listener and the real
 * Facteur (createApp with the e-mail channel, the embedded simulator, SQLite).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { createApp, type App } from '../../src/app/index.js';
import { createConfig } from '../../src/config/schema.js';
import { createRecognizer } from '../../src/recognition/index.js';
import type { Recognizer } from '../../src/recognition/types.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { renderPdf, invoiceLines } from '../fixtures/pdf-lib-invoice.js';
import { dovecotMissing, startDovecot, type Dovecot } from './helpers/dovecot.js';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.js';
import { appendAll, buildMail, type ImapAccount } from './helpers/compose.js';
import { untilWithin } from './helpers/until.js';

const AUTHSERV = 'mx.facteur.test';
const CAMILLE = 'camille@example.fr';
const EXEMPLE = readFileSync('examples/facture-exemple.pdf');
const PASS = [
  `${AUTHSERV}; spf=pass smtp.mailfrom=example.fr; dkim=pass header.d=example.fr; dmarc=pass header.from=example.fr`,
];
const USER = { user: 'after@facteur.test', password: 'secret-after' };

let dovecot: Dovecot;
let smtp: SmtpSink;
let recognizer: Recognizer;
let app: App;
let dataDir: string;
const account: ImapAccount = { host: '127.0.0.1', port: 0, user: USER.user, password: USER.password };
const until = untilWithin(60_000);

beforeAll(async () => {
  if (dovecotMissing) return;
  [dovecot, smtp] = await Promise.all([startDovecot([USER]), startSmtpSink()]);
  recognizer = createRecognizer({ poolSize: 1 });
  account.port = dovecot.port;
  dataDir = mkdtempSync(join(tmpdir(), 'facteur-mail-after-'));
  app = await createApp(
    createConfig({
      FACTEUR_DATA_DIR: dataDir,
      IMAP_URL: `imap://${encodeURIComponent(USER.user)}:${USER.password}@127.0.0.1:${dovecot.port}/INBOX`,
      SMTP_URL: smtp.url,
      MAIL_FROM: `Facteur <${USER.user}>`,
      MAIL_AUTH: 'dmarc',
      MAIL_AUTHSERV_ID: AUTHSERV,
      MAIL_RESCAN_INTERVAL: '5s',
      LOG_LEVEL: 'silent',
    }),
    { logger: createSilentLogger(), recognizer },
  );
  const demo = await app.store.accounts.ensure({ name: 'demo' });
  await app.store.identities.link(demo.id, { channel: 'email', userId: CAMILLE });
  await app.start();
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await recognizer?.close();
  await Promise.all([dovecot?.stop(), smtp?.stop()]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const answersTo = (messageId: string) => smtp.messages.filter((m) => m.inReplyTo === messageId);
async function answerTo(messageId: string): Promise<ParsedMail> {
  await until(() => answersTo(messageId).length >= 1, `an answer to ${messageId}`);
  return answersTo(messageId)[0]!;
}

let seq = 0;
async function reply(
  to: ParsedMail,
  text: string,
  attachments: { filename: string; content: Buffer }[] = [],
) {
  const messageId = `<after-${++seq}@example.fr>`;
  await appendAll(account, 'INBOX', [
    await buildMail({
      from: `Camille Martin <${CAMILLE}>`,
      to: USER.user,
      subject: `Re: ${to.subject}`,
      messageId,
      inReplyTo: to.messageId,
      references: [
        ...(Array.isArray(to.references) ? to.references : to.references ? [to.references] : []),
        to.messageId!,
      ],
      text: `${text}\n\nLe jeu. 26 nov. 2026 à 10:02, Facteur <${USER.user}> a écrit :\n> ${(to.text ?? '').split('\n').join('\n> ')}`,
      authResults: PASS,
      attachments,
    }),
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
      smtp.messages.filter((m) => (m.text ?? '').includes('Facture déposée sur Chorus Pro')),
    ).toHaveLength(1);
    expect(
      smtp.messages.flatMap((m) => m.attachments).filter((a) => a.contentType === 'application/pdf'),
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
