/**
 * A status change reaches the e-mail thread where the draft started: a real Dovecot, a real SMTP
 * listener, the real app with its follow-up poller on a fixed 1 s interval.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/index.js';
import { createConfig } from '../../src/config/schema.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { appendAll, buildMail, type ImapAccount } from '../mail/helpers/compose.js';
import { dovecotMissing, startDovecot, type Dovecot } from '../mail/helpers/dovecot.js';
import { startSmtpSink, type SmtpSink } from '../mail/helpers/smtp-sink.js';
import { untilWithin } from '../mail/helpers/until.js';

const AUTHSERV = 'mx.facteur.test';
const CAMILLE = 'camille@example.fr';
const USER = { user: 'suivi@facteur.test', password: 'secret-fu' };
const PASS = [
  `${AUTHSERV}; spf=pass smtp.mailfrom=example.fr; dkim=pass header.d=example.fr; dmarc=pass header.from=example.fr`,
];
const until = untilWithin(90_000);

let dovecot: Dovecot;
let smtp: SmtpSink;
let app: App;
let dataDir: string;

beforeAll(async () => {
  if (dovecotMissing) return;
  [dovecot, smtp] = await Promise.all([startDovecot([USER]), startSmtpSink()]);
  dataDir = mkdtempSync(join(tmpdir(), 'facteur-fu-mail-'));
  app = await createApp(
    createConfig({
      FACTEUR_DATA_DIR: dataDir,
      IMAP_URL: `imap://${encodeURIComponent(USER.user)}:${USER.password}@127.0.0.1:${dovecot.port}/INBOX`,
      SMTP_URL: smtp.url,
      MAIL_FROM: `Facteur <${USER.user}>`,
      MAIL_AUTH: 'dmarc',
      MAIL_AUTHSERV_ID: AUTHSERV,
      MAIL_RESCAN_INTERVAL: '2s',
      FACTEUR_FOLLOW_UP_INTERVAL: '1s',
      LOG_LEVEL: 'silent',
    }),
    { logger: createSilentLogger() },
  );
  const demo = await app.store.accounts.ensure({ name: 'demo' });
  await app.store.identities.link(demo.id, { channel: 'email', userId: CAMILLE });
  await app.start();
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await Promise.all([dovecot?.stop(), smtp?.stop()]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(dovecotMissing)('follow-up notifications by e-mail', () => {
  it('a suspension is a reply in the invoice’s thread, once, with the comment and « Compléter »', async () => {
    const account: ImapAccount = { host: '127.0.0.1', port: dovecot.port, ...USER };
    const answersTo = (id: string) => smtp.messages.filter((m) => m.inReplyTo === id);
    const answer = async (id: string): Promise<ParsedMail> => {
      await until(() => answersTo(id).length > 0, `an answer to ${id}`);
      return answersTo(id)[0]!;
    };
    const reply = (to: ParsedMail, messageId: string, text: string) =>
      buildMail({
        from: CAMILLE,
        to: USER.user,
        subject: `Re: ${to.subject}`,
        messageId,
        inReplyTo: to.messageId,
        references: [to.messageId!],
        text,
        authResults: PASS,
      });
    await appendAll(account, 'INBOX', [
      await buildMail({
        from: CAMILLE,
        to: USER.user,
        subject: 'Facture à suivre',
        messageId: '<fu-1@example.fr>',
        attachments: [
          { filename: 'facture-exemple.pdf', content: readFileSync('examples/facture-exemple.pdf') },
        ],
        authResults: PASS,
      }),
    ]);
    const report = await answer('<fu-1@example.fr>');
    await appendAll(account, 'INBOX', [await reply(report, '<fu-2@example.fr>', 'confirmer')]);
    const summary = await answer('<fu-2@example.fr>');
    await appendAll(account, 'INBOX', [await reply(summary, '<fu-3@example.fr>', 'confirmer')]);
    const receipt = await answer('<fu-3@example.fr>');
    expect(receipt.text).toContain('Facture déposée sur Chorus Pro');

    const invoice = app.simulator!.listInvoices()[0]!;
    await app.simulator!.setInvoiceStatus(invoice.id, 'SUSPENDUE', 'Il manque le bon de commande');
    const isNotice = (m: ParsedMail) => (m.text ?? '').includes(`Facture ${invoice.number} suspendue`);
    await until(() => smtp.messages.some(isNotice), 'the suspension notification');
    const notice = smtp.messages.find(isNotice)!;
    expect(notice.subject).toBe(report.subject); // the invoice's thread
    expect(notice.to && 'text' in notice.to ? notice.to.text : '').toContain(CAMILLE);
    // A reply to Facteur's last message of the thread (the receipt), referencing the thread.
    expect(notice.inReplyTo).toBe(receipt.messageId);
    const refs = Array.isArray(notice.references) ? notice.references : [notice.references ?? ''];
    expect(refs).toContain(report.messageId);
    expect(notice.text).toContain('Il manque le bon de commande');
    expect(notice.text).toContain('Compléter');
    await new Promise((r) => setTimeout(r, 3_000));
    expect(smtp.messages.filter(isNotice)).toHaveLength(1);
  }, 240_000);
});
