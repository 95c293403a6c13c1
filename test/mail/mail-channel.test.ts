/**
 * The channel against a real Dovecot and a real SMTP listener, with the real SQLite channel
 * state, and a recording stand-in for the conversation (the end-to-end scenarios with the real
 * app are in scenarios.test.ts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { createMailChannel, type MailConfig } from '../../src/mail/index.js';
import type { WatcherEvent } from '../../src/mail/index.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import type { Channel } from '../../src/app/channel.js';
import { startDovecot, type Dovecot } from './helpers/dovecot.js';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.js';
import { appendAll, buildMail, countIn, pdfBytes, type ImapAccount } from './helpers/compose.js';
import { createFakeConversation } from './helpers/fake-conversation.js';

const USERS = Array.from({ length: 12 }, (_, i) => ({ user: `box${i}@facteur.test`, password: `pw${i}` }));
const CAMILLE = 'camille@example.fr';

let dovecot: Dovecot;
let smtp: SmtpSink;
let store: Store;
let dataDir: string;
let nextUser = 0;
const running: Channel[] = [];

beforeAll(async () => {
  [dovecot, smtp] = await Promise.all([startDovecot(USERS), startSmtpSink()]);
  dataDir = mkdtempSync(join(tmpdir(), 'facteur-mail-'));
  store = await createStore({ dataDir, secretKey: Buffer.alloc(32, 7).toString('base64') });
});

afterAll(async () => {
  await Promise.all(running.map((c) => c.stop()));
  await store?.close();
  await Promise.all([dovecot?.stop(), smtp?.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
  smtp.messages.length = 0;
});

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function setup(options: { auth?: MailConfig['auth']; allowed?: string[] } = {}) {
  const u = USERS[nextUser++]!;
  const account: ImapAccount = { host: dovecot.host, port: dovecot.port, user: u.user, password: u.password };
  const conversation = createFakeConversation(options.allowed ?? [CAMILLE]);
  const events: WatcherEvent[] = [];
  const mail: MailConfig = {
    imap: { host: dovecot.host, port: dovecot.port, secure: false, user: u.user, password: u.password, mailbox: 'INBOX' },
    smtpUrl: smtp.url,
    from: `Facteur <${u.user}>`,
    auth: options.auth ?? 'none',
    authservId: 'mx.facteur.test',
    rescanIntervalMs: 60_000,
  };
  const make = () =>
    createMailChannel({
      mail,
      conversations: conversation.service,
      channelState: store.channelState,
      logger: createSilentLogger(),
      watcher: { backoff: { initialMs: 100, maxMs: 400 }, batchSize: 10 },
      onEvent: (e) => events.push(e),
    });
  const start = async () => {
    const channel = make();
    running.push(channel);
    await channel.start();
    return channel;
  };
  const handled = () => events.filter((e) => e.type === 'handled' && e.outcome !== 'retry').length;
  return { account, conversation, events, start, handled, address: u.user };
}

describe('mail channel', () => {
  it('answers a forwarded invoice in the same thread, then a « confirmer » reply with the receipt', async () => {
    const t = setup();
    await t.start();
    const inner = await buildMail({
      from: 'compta@client.fr',
      to: CAMILLE,
      subject: 'Facture mars',
      text: 'Ci-joint.',
      attachments: [{ filename: 'facture.pdf', content: pdfBytes('21330063500017'), contentType: 'application/pdf' }],
    });
    const forward = await buildMail({
      from: `Camille Martin <${CAMILLE}>`,
      to: t.address,
      subject: 'Fwd: Facture mars',
      messageId: '<fwd-1@example.fr>',
      text: 'À déposer, merci.',
      attachments: [{ filename: 'transfert.eml', content: inner, contentType: 'message/rfc822' }],
    });
    await appendAll(t.account, 'INBOX', [forward]);
    const [report] = await smtp.waitFor(1);
    expect(report!.inReplyTo).toBe('<fwd-1@example.fr>');
    expect(report!.subject).toBe('Re: Facture mars [PROV-2026-0001]');
    expect(report!.to && !Array.isArray(report!.to) ? report!.to.text : '').toContain(CAMILLE);
    expect(report!.text).toContain('Destinataire : 21330063500017');
    expect(report!.text).toContain('« Confirmer »');
    expect(report!.html).toContain('<b>21330063500017</b>');
    expect(t.conversation.applied).toHaveLength(1);
    expect(t.conversation.applied[0]!.input.type).toBe('file');

    // The user replies « confirmer » above the quoted history (French Gmail attribution).
    const reply = await buildMail({
      from: CAMILLE,
      to: t.address,
      subject: `Re: ${report!.subject}`,
      messageId: '<reply-1@example.fr>',
      inReplyTo: report!.messageId,
      references: ['<fwd-1@example.fr>', report!.messageId!],
      text: `Bonjour,\n\nconfirmer\n\nMerci !\nCamille\n\nLe jeu. 26 nov. 2026 à 10:02, Facteur <${t.address}> a écrit :\n> Destinataire : 21330063500017\n> Répondez « Confirmer »\n`,
    });
    await appendAll(t.account, 'INBOX', [reply]);
    const mails = await smtp.waitFor(2);
    const receipt = mails[1]!;
    expect(t.conversation.applied).toHaveLength(2);
    expect(t.conversation.applied[1]!.input).toEqual({ type: 'choice', choiceId: 'confirm', draftId: 'd1', revision: 1 });
    expect(receipt.inReplyTo).toBe('<reply-1@example.fr>');
    expect(receipt.references).toContain(report!.messageId);
    expect(receipt.subject).toBe('Re: Facture mars [PROV-2026-0001]');
    expect(receipt.attachments.map((a) => a.filename)).toEqual(['recepisse-PROV-2026-0001.pdf']);
    await until(async () => (await countIn(t.account, 'Facteur/Traités')) === 2, 'both messages moved');
    expect(await countIn(t.account, 'INBOX')).toBe(0);
  });

  it('routes a correction by plus-address when the client dropped the thread headers', async () => {
    const t = setup();
    await t.start();
    await appendAll(t.account, 'INBOX', [
      await buildMail({
        from: CAMILLE,
        to: t.address,
        subject: 'facture',
        attachments: [{ filename: 'a.pdf', content: pdfBytes('AAA') }],
      }),
    ]);
    const [first] = await smtp.waitFor(1);
    const replyTo = first!.replyTo!.value[0]!.address!;
    expect(replyTo).toMatch(/^box\d+\+d\d+@facteur\.test$/);
    await appendAll(t.account, 'INBOX', [
      await buildMail({
        from: CAMILLE,
        to: replyTo,
        subject: 'correction',
        text: 'destinataire: 110 046 018 00013\r\n\r\n-- \r\nCamille Martin\r\n06 12 34 56 78',
      }),
    ]);
    const mails = await smtp.waitFor(2);
    const draftId = replyTo.split('+')[1]!.split('@')[0];
    expect(t.conversation.applied[1]!.input).toEqual({ type: 'text', text: 'destinataire: 110 046 018 00013' });
    expect(t.conversation.applied[1]!.options?.draftId).toBe(draftId);
    expect(mails[1]!.text).toContain('Destinataire : 110 046 018 00013');
  });

  it('starts one draft per PDF, answers each in its own reply and lists ignored attachments', async () => {
    const t = setup();
    await t.start();
    await appendAll(t.account, 'INBOX', [
      await buildMail({
        from: CAMILLE,
        to: t.address,
        subject: 'deux factures',
        messageId: '<two@example.fr>',
        attachments: [
          { filename: 'un.pdf', content: pdfBytes('UN') },
          { filename: 'photo.jpg', content: Buffer.from('jpeg'), contentType: 'image/jpeg' },
          { filename: 'deux.pdf', content: pdfBytes('DEUX'), contentType: 'application/octet-stream' },
        ],
      }),
    ]);
    const mails = await smtp.waitFor(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(mails).toHaveLength(2);
    expect(mails.map((m) => m.subject).sort()).toEqual(['Re: deux factures [PROV-2026-0001]', 'Re: deux factures [PROV-2026-0002]']);
    expect(mails.every((m) => m.inReplyTo === '<two@example.fr>')).toBe(true);
    expect(mails[0]!.text).toContain('« photo.jpg » ignorée');
    expect(mails[1]!.text).not.toContain('photo.jpg');
    expect(t.conversation.applied.map((a) => (a.input.type === 'file' ? a.input.fileName : ''))).toEqual(['un.pdf', 'deux.pdf']);
  });
});
