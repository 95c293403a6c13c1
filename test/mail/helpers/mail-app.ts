/**
 * For the suites that run the real Facteur on the e-mail channel (createApp against a real Dovecot
 * and an SMTP sink): Camille's address and DMARC-passing results, the app's mail environment, the
 * app started with Camille linked to the « demo » account, the answers awaited by Message-ID, and
 * Camille's replies in a thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll } from 'vitest';
import { createApp, type App } from '../../../src/app/index.js';
import { createConfig } from '../../../src/config/schema.js';
import type { Recognizer } from '../../../src/recognition/types.js';
import { createSilentLogger } from '../../../src/shared/logger.js';
import { buildMail, type ImapAccount } from './compose.js';
import { dovecotMissing, startDovecot, type Dovecot, type DovecotUser } from './dovecot.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';
import type { untilWithin } from './until.js';

export const AUTHSERV = 'mx.facteur.test';
export const CAMILLE = 'camille@example.fr';
/** The Authentication-Results of a message from Camille's domain that passes DMARC. */
export const PASS = [
  `${AUTHSERV}; spf=pass smtp.mailfrom=example.fr; dkim=pass header.d=example.fr; dmarc=pass header.from=example.fr`,
];

/** The environment of `createConfig` for a Facteur reading `user`'s mailbox. */
export const mailEnv = (
  user: DovecotUser,
  servers: { imapPort: number; smtpUrl: string },
  dataDir: string,
  auth: 'dmarc' | 'none' = 'dmarc',
): Record<string, string> => ({
  FACTEUR_DATA_DIR: dataDir,
  IMAP_URL: `imap://${encodeURIComponent(user.user)}:${user.password}@127.0.0.1:${servers.imapPort}/INBOX`,
  SMTP_URL: servers.smtpUrl,
  MAIL_FROM: `Facteur <${user.user}>`,
  MAIL_AUTH: auth,
  MAIL_AUTHSERV_ID: AUTHSERV,
  MAIL_RESCAN_INTERVAL: '5s',
  LOG_LEVEL: 'silent',
});

/** The app of `env`, Camille linked to the « demo » account, started. */
export async function startMailApp(env: Record<string, string>, recognizer?: Recognizer): Promise<App> {
  const app = await createApp(createConfig(env), {
    logger: createSilentLogger(),
    ...(recognizer ? { recognizer } : {}),
  });
  const demo = await app.store.accounts.ensure({ name: 'demo' });
  await app.store.identities.link(demo.id, { channel: 'email', userId: CAMILLE });
  await app.start();
  return app;
}

export interface MailAppBench {
  readonly dovecot: Dovecot;
  readonly smtp: SmtpSink;
  readonly app: App;
  /** Facteur's mailbox, to append Camille's messages to. */
  readonly account: ImapAccount;
}

/** One Dovecot user, the SMTP sink and the started app for the whole file (stopped after it). */
export function useMailApp(
  user: DovecotUser,
  options: { dirPrefix: string; recognizer?: () => Recognizer },
): MailAppBench {
  let dovecot: Dovecot;
  let smtp: SmtpSink;
  let recognizer: Recognizer | undefined;
  let app: App;
  let dataDir: string;
  const account: ImapAccount = { host: '127.0.0.1', port: 0, user: user.user, password: user.password };

  beforeAll(async () => {
    if (dovecotMissing) return;
    [dovecot, smtp] = await Promise.all([startDovecot([user]), startSmtpSink()]);
    recognizer = options.recognizer?.();
    account.port = dovecot.port;
    dataDir = mkdtempSync(join(tmpdir(), options.dirPrefix));
    app = await startMailApp(
      mailEnv(user, { imapPort: dovecot.port, smtpUrl: smtp.url }, dataDir),
      recognizer,
    );
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await recognizer?.close();
    await Promise.all([dovecot?.stop(), smtp?.stop()]);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  return {
    get dovecot() {
      return dovecot;
    },
    get smtp() {
      return smtp;
    },
    get app() {
      return app;
    },
    account,
  };
}

/** The answers Facteur sent to a message, and waiting for them. */
export function answersOf(smtp: () => SmtpSink, until: ReturnType<typeof untilWithin>) {
  const answersTo = (messageId: string) => smtp().messages.filter((m) => m.inReplyTo === messageId);
  /** Resolves once `count` answers to `messageId` came, with all those that came. */
  async function waitForAnswers(messageId: string, count = 1): Promise<ParsedMail[]> {
    await until(() => answersTo(messageId).length >= count, `${count} answer(s) to ${messageId}`);
    return answersTo(messageId);
  }
  /** The first answer to `messageId`, once it came. */
  const answerTo = async (messageId: string): Promise<ParsedMail> => (await waitForAnswers(messageId))[0]!;
  return { answersTo, waitForAnswers, answerTo };
}

/**
 * Camille's reply to `to` in its thread (In-Reply-To, References), passing DMARC; `quote` adds the
 * quoted history a mail client writes below the text.
 */
export function threadReply(
  to: ParsedMail,
  reply: {
    facteur: string;
    messageId: string;
    text: string;
    quote?: boolean;
    attachments?: { filename: string; content: Buffer }[];
  },
): Promise<Buffer> {
  const quoted = reply.quote
    ? `\n\nLe jeu. 26 nov. 2026 à 10:02, Facteur <${reply.facteur}> a écrit :\n> ${(to.text ?? '').split('\n').join('\n> ')}`
    : '';
  return buildMail({
    from: `Camille Martin <${CAMILLE}>`,
    to: reply.facteur,
    subject: `Re: ${to.subject}`,
    messageId: reply.messageId,
    inReplyTo: to.messageId,
    references: [
      ...(Array.isArray(to.references) ? to.references : to.references ? [to.references] : []),
      to.messageId!,
    ],
    text: `${reply.text}${quoted}`,
    authResults: PASS,
    ...(reply.attachments ? { attachments: reply.attachments } : {}),
  });
}
