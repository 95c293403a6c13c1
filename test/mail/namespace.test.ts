/**
 * A server whose personal namespace has a prefix (`INBOX.`, separator `.`, as Courier or Cyrus):
 * the Facteur folders are created under it and found again after a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, type Store } from '../../src/store/index.js';
import { createMailChannel } from '../../src/mail/index.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { dovecotMissing, startDovecot, type Dovecot } from './helpers/dovecot.js';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.js';
import { appendAll, buildMail, countIn, pdfBytes, withImap, type ImapAccount } from './helpers/compose.js';
import { createFakeConversation } from './helpers/fake-conversation.js';

const USER = { user: 'prefixed@facteur.test', password: 'pw' };
let dovecot: Dovecot;
let smtp: SmtpSink;
let store: Store;
let dataDir: string;

beforeAll(async () => {
  if (dovecotMissing) return;
  [dovecot, smtp] = await Promise.all([startDovecot([USER], { namespace: { prefix: 'INBOX.', separator: '.' } }), startSmtpSink()]);
  dataDir = mkdtempSync(join(tmpdir(), 'facteur-mail-ns-'));
  store = await createStore({ dataDir, secretKey: Buffer.alloc(32, 3).toString('base64') });
});

afterAll(async () => {
  await store?.close();
  await Promise.all([dovecot?.stop(), smtp?.stop()]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(dovecotMissing)('mailbox with a namespace prefix', () => {
  it('creates INBOX.Facteur.Traités, moves handled messages there, and reuses it after a restart', async () => {
    const account: ImapAccount = { host: dovecot.host, port: dovecot.port, ...USER };
    const conversation = createFakeConversation(['camille@example.fr']);
    const make = () =>
      createMailChannel({
        mail: {
          imap: { host: dovecot.host, port: dovecot.port, secure: false, user: USER.user, password: USER.password, mailbox: 'INBOX' },
          smtpUrl: smtp.url,
          from: USER.user,
          auth: 'none',
          rescanIntervalMs: 60_000,
        },
        conversations: conversation.service,
        channelState: store.channelState,
        logger: createSilentLogger(),
      });
    for (const round of [1, 2]) {
      const channel = make();
      await channel.start();
      await appendAll(account, 'INBOX', [
        await buildMail({ from: 'camille@example.fr', to: USER.user, subject: `n${round}`, attachments: [{ filename: 'a.pdf', content: pdfBytes(`R${round}`) }] }),
      ]);
      await smtp.waitFor(round);
      const deadline = Date.now() + 10_000;
      while ((await countIn(account, 'INBOX.Facteur.Traités')) < round && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await channel.stop();
    }
    expect(await countIn(account, 'INBOX.Facteur.Traités')).toBe(2);
    const folders = await withImap(account, async (client) => (await client.list()).map((m) => m.path).sort());
    expect(folders).toEqual(['INBOX', 'INBOX.Facteur', 'INBOX.Facteur.Refusés', 'INBOX.Facteur.Traités']);
  });
});
