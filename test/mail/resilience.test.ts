/**
 * Exactly-once under trouble, against a real Dovecot: the IMAP connection cut server-side in the
 * middle of a batch, and the channel stopped and restarted mid-batch. (The crash of a whole
 * `facteur start` process and the 500-message burst are in scenarios.test.ts, with the real app.)
 */
import { describe, expect, it } from 'vitest';
import { createServer, type Socket } from 'node:net';
import { createMailChannel, type MailConfig, type WatcherEvent } from '../../src/mail/index.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import type { Channel } from '../../src/app/channel.js';
import { dovecotMissing } from './helpers/dovecot.js';
import { useMailBench } from './helpers/channel-bench.js';
import { appendAll, buildMail, countIn, pdfBytes, type ImapAccount } from './helpers/compose.js';
import { createFakeConversation } from './helpers/fake-conversation.js';
import { untilWithin } from './helpers/until.js';

const USERS = Array.from({ length: 4 }, (_, i) => ({ user: `res${i}@facteur.test`, password: `pw${i}` }));
const CAMILLE = 'camille@example.fr';

const bench = useMailBench(USERS, { dirPrefix: 'facteur-mail-res-', keyByte: 9 });

const until = untilWithin(60_000);

function setup(delayMs = 0, rescanIntervalMs = 60_000) {
  const u = bench.nextUser();
  const account: ImapAccount = { host: bench.dovecot.host, port: bench.dovecot.port, user: u.user, password: u.password };
  const conversation = createFakeConversation([CAMILLE], { delayMs });
  const events: WatcherEvent[] = [];
  const listeners: Array<(e: WatcherEvent) => void> = [];
  const mail: MailConfig = {
    imap: { host: bench.dovecot.host, port: bench.dovecot.port, secure: false, user: u.user, password: u.password, mailbox: 'INBOX' },
    smtpUrl: bench.smtp.url,
    from: `Facteur <${u.user}>`,
    auth: 'none',
    rescanIntervalMs,
  };
  const start = async () => {
    const channel = createMailChannel({
      mail,
      conversations: conversation.service,
      channelState: bench.store.channelState,
      logger: createSilentLogger(),
      watcher: { backoff: { initialMs: 100, maxMs: 400 }, batchSize: 10 },
      onEvent: (e) => {
        events.push(e);
        for (const l of listeners) l(e);
      },
    });
    bench.running.push(channel);
    await channel.start();
    return channel;
  };
  const handled = () => events.filter((e) => e.type === 'handled' && e.outcome !== 'retry').length;
  return { account, conversation, events, listeners, start, handled, address: u.user };
}

const invoices = (to: string, n: number, prefix: string) =>
  Promise.all(
    Array.from({ length: n }, (_, i) =>
      buildMail({
        from: CAMILLE,
        to,
        subject: `${prefix} ${i + 1}`,
        messageId: `<${prefix}-${i + 1}@example.fr>`,
        attachments: [{ filename: `f${i + 1}.pdf`, content: pdfBytes(`${prefix}-${i + 1}`) }],
      }),
    ),
  );

/** Every message got exactly one answer and one applied input, in the order of arrival. */
function expectExactlyOnce(t: ReturnType<typeof setup>, prefix: string, n: number) {
  const expected = Array.from({ length: n }, (_, i) => `<${prefix}-${i + 1}@example.fr>`);
  const answered = bench.smtp.messages.map((m) => m.inReplyTo);
  expect([...answered].sort()).toEqual([...expected].sort());
  expect(new Set(bench.smtp.messages.map((m) => m.messageId)).size).toBe(n);
  const applied = t.conversation.applied.map((a) => (a.input.type === 'file' ? a.input.fileName : '?'));
  expect(applied).toEqual(Array.from({ length: n }, (_, i) => `f${i + 1}.pdf`));
}

describe.skipIf(dovecotMissing)('mail channel resilience', () => {
  it('survives the IMAP connection cut server-side in the middle of a batch: every message exactly once', async () => {
    const t = setup(15);
    // Appended before the start: the kick must cut the watcher's session, not the test's own.
    await appendAll(t.account, 'INBOX', await invoices(t.address, 30, 'cut'));
    let kicked = false;
    t.listeners.push((e) => {
      if (e.type === 'handled' && !kicked && t.handled() === 7) {
        kicked = true;
        void bench.dovecot.kick(t.address);
      }
    });
    await t.start();
    await until(() => bench.smtp.messages.length >= 30, '30 answers');
    await until(async () => (await countIn(t.account, 'Facteur/Traités')) === 30, 'all moved');
    expect(kicked).toBe(true);
    expect(t.events.filter((e) => e.type === 'disconnected').length).toBeGreaterThanOrEqual(1);
    expect(t.events.filter((e) => e.type === 'connected').length).toBeGreaterThanOrEqual(2);
    expect(await countIn(t.account, 'INBOX')).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expectExactlyOnce(t, 'cut', 30);
  });

  it('stopped and restarted mid-batch, picks up where it stopped: every message exactly once', async () => {
    const t = setup(10);
    await appendAll(t.account, 'INBOX', await invoices(t.address, 30, 'restart'));
    let stopping: Promise<void> | undefined;
    const first: { channel?: Channel } = {};
    t.listeners.push((e) => {
      if (e.type === 'handled' && !stopping && t.handled() === 12) stopping = first.channel?.stop();
    });
    first.channel = await t.start();
    await until(() => stopping !== undefined, 'first channel stopping');
    await stopping;
    const before = bench.smtp.messages.length;
    expect(before).toBeGreaterThanOrEqual(12);
    expect(before).toBeLessThan(30);
    await t.start();
    await until(() => bench.smtp.messages.length >= 30, '30 answers');
    await until(async () => (await countIn(t.account, 'Facteur/Traités')) === 30, 'all moved');
    await new Promise((r) => setTimeout(r, 300));
    expectExactlyOnce(t, 'restart', 30);
  });

  it('re-scans the mailbox periodically, whatever IDLE says', async () => {
    const t = setup(0, 200);
    await t.start();
    await until(() => t.events.filter((e) => e.type === 'scanned').length >= 4, 'four scans');
    expect(t.events.filter((e) => e.type === 'connected')).toHaveLength(1);
  });

  it('stops at once while a connection attempt hangs (server that never greets)', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const conversation = createFakeConversation([CAMILLE]);
    const channel = createMailChannel({
      mail: {
        imap: { host: '127.0.0.1', port, secure: false, user: 'x', password: 'y', mailbox: 'INBOX' },
        smtpUrl: bench.smtp.url,
        from: 'facteur@facteur.test',
        auth: 'none',
        rescanIntervalMs: 60_000,
      },
      conversations: conversation.service,
      channelState: bench.store.channelState,
      logger: createSilentLogger(),
    });
    try {
      const starting = channel.start();
      await until(() => sockets.length > 0, 'a connection attempt');
      const t0 = Date.now();
      await channel.stop();
      await starting;
      // Not a speed measure: without the abort, stop() waits for imapflow's 16 s greeting timeout.
      expect(Date.now() - t0).toBeLessThan(5_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});
