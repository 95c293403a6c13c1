/**
 * Two `facteur start` processes on one PostgreSQL: Telegram in webhook mode, each instance on its
 * own port, every update delivered to both (the fake Bot API to the first, the test again to the
 * second, as a load balancer re-sending would), and both watching the same Dovecot mailbox.
 * Every update and every mail is handled exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBotApi, type FakeBotApi } from '../bot/fake-bot-api/index.js';
import { freePort } from '../bot/helpers/chat.js';
import { appendAll, buildMail, countIn, type ImapAccount } from '../mail/helpers/compose.js';
import { dovecotMissing, startDovecot, type Dovecot } from '../mail/helpers/dovecot.js';
import { startSmtpSink, type SmtpSink } from '../mail/helpers/smtp-sink.js';
import { createBackend, TEST_KEY, type Backend } from '../store/helpers.js';
import { startFacteur, type FacteurProcess } from './helpers/facteur-process.js';
import { untilWithin } from '../mail/helpers/until.js';

const MAILBOX = { user: 'facteur@example.fr', password: 'secret-two' };
const CAMILLE = 'camille@example.fr';
const N_UPDATES = 8;
const N_MAILS = 8;

let api: FakeBotApi;
let dovecot: Dovecot;
let smtp: SmtpSink;
let db: Backend;
const dirs: string[] = [];
const running: FacteurProcess[] = [];

beforeAll(async () => {
  if (dovecotMissing) return;
  [api, dovecot, smtp, db] = await Promise.all([
    startFakeBotApi(),
    startDovecot([MAILBOX]),
    startSmtpSink(),
    createBackend('postgres'),
  ]);
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.kill()));
  await Promise.all([api?.close(), dovecot?.stop(), smtp?.stop(), db?.dispose()]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const until = untilWithin(90_000);

describe.skipIf(dovecotMissing)('two instances on one PostgreSQL', () => {
  it('handle every webhook update and every mail exactly once', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const hook = `http://127.0.0.1:${portA}/hook`;
    const users = Array.from({ length: N_UPDATES }, (_, i) => api.users.user(8100 + i, `Client ${i}`));
    {
      const store = await db.open();
      const demo = await store.accounts.ensure({ name: 'demo' });
      for (const user of users)
        await store.identities.link(demo.id, { channel: 'telegram', userId: String(user.id) });
      await store.identities.link(demo.id, { channel: 'email', userId: CAMILLE });
      await store.close();
    }
    const common = {
      DATABASE_URL: db.databaseUrl ?? '',
      FACTEUR_SECRET_KEY: TEST_KEY,
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.url,
      TELEGRAM_WEBHOOK_URL: hook,
      TELEGRAM_WEBHOOK_SECRET: 'hook-secret',
      IMAP_URL: `imap://${encodeURIComponent(MAILBOX.user)}:${MAILBOX.password}@127.0.0.1:${dovecot.port}/INBOX`,
      SMTP_URL: smtp.url,
      MAIL_FROM: `Facteur <${MAILBOX.user}>`,
      MAIL_AUTH: 'none',
      MAIL_RESCAN_INTERVAL: '2s',
    };
    const instance = (port: number) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'facteur-two-'));
      dirs.push(dir);
      const p = startFacteur({ ...common, FACTEUR_DATA_DIR: dir, TELEGRAM_WEBHOOK_PORT: String(port) });
      running.push(p);
      return p;
    };
    const [a, b] = [instance(portA), instance(portB)];
    await Promise.all([a, b].map((p) => p.waitForLog((l) => l.msg === 'facteur started', 'started', 60_000)));

    // The mails land in the one mailbox both instances watch.
    const account: ImapAccount = { host: '127.0.0.1', port: dovecot.port, ...MAILBOX };
    const ids = Array.from({ length: N_MAILS }, (_, i) => `<two-${i}@example.fr>`);
    await appendAll(
      account,
      'INBOX',
      await Promise.all(
        ids.map((messageId) =>
          buildMail({ from: CAMILLE, to: MAILBOX.user, subject: 'Aide', messageId, text: 'aide' }),
        ),
      ),
    );
    // Each update goes to both instances: the fake Bot API delivers to the webhook URL (A), the
    // test posts the same update to B.
    for (const user of users) {
      const { updateId } = api.users.sendText(user, 'aide');
      const update = api.update(updateId);
      const res = await fetch(`http://127.0.0.1:${portB}/hook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'hook-secret' },
        body: JSON.stringify(update),
      });
      expect(res.status).toBe(200);
    }

    await until(() => users.every((u) => api.messagesIn(u.id).length >= 1), 'an answer in every chat');
    await until(
      () => ids.every((id) => smtp.messages.some((m) => m.inReplyTo === id)),
      'an answer to every mail',
    );
    await until(async () => (await countIn(account, 'Facteur/Traités')) === N_MAILS, 'every mail moved');
    // Time for a duplicate to show up if one were coming: both instances rescan every 2 s.
    await new Promise((r) => setTimeout(r, 5_000));

    for (const user of users) expect(api.messagesIn(user.id), `chat ${user.id}`).toHaveLength(1);
    for (const id of ids) {
      const answers = smtp.messages.filter((m) => m.inReplyTo === id);
      expect(answers, id).toHaveLength(1);
    }
    expect(await countIn(account, 'INBOX')).toBe(0);
    // Both instances saw updates the other one took.
    const skipped = [a, b].map(
      (p) => p.lines.filter((l) => l.msg === 'update handled by another instance').length,
    );
    expect(skipped[0]! + skipped[1]!).toBe(N_UPDATES);

    for (const p of [a, b]) {
      const { code } = await p.stop();
      expect(code).toBe(0);
    }
  }, 240_000);
});
