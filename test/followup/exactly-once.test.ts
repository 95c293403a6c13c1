/**
 * Exactly-once notifications across instances and crashes: two `facteur start` processes (dist/)
 * on one PostgreSQL, one simulator, the fake Bot API; each instance is killed with SIGKILL in the
 * middle of a cycle (slow `consulter/historique`) and restarted. Every status change of every
 * invoice reaches its Telegram chat exactly once. The accounts and notifications the killed
 * process held are taken over by either instance once its leases lapse (30 s, no longer renewed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBotApi, type FakeBotApi, type FakeUser } from '../bot/fake-bot-api/index.js';
import { freePort } from '../bot/helpers/chat.js';
import { startFacteur, type FacteurProcess } from '../cli/helpers/facteur-process.js';
import { DEMO, depositFresh, invoicePdf, submission, type Harness } from '../deposit/helpers.js';
import { followUpHarness } from './helpers.js';
import { untilWithin } from '../mail/helpers/until.js';
import { createBackend, TEST_KEY, type Backend } from '../store/helpers.js';

const ACCOUNTS = 4;
const PER_ACCOUNT = 3;

let api: FakeBotApi;
let db: Backend;
let h: Harness;
const dirs: string[] = [];
const running: FacteurProcess[] = [];

beforeAll(async () => {
  [api, db, h] = await Promise.all([startFakeBotApi(), createBackend('postgres'), followUpHarness()]);
}, 60_000);
afterAll(async () => {
  await Promise.all(running.map((p) => p.kill()));
  await Promise.all([api?.close(), db?.dispose(), h?.close()]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const until = untilWithin(120_000);

/** The timeout's error with the tail of each process's log (what was polled, sent, taken over). */
function withLogs(...ps: FacteurProcess[]) {
  return (e: unknown): never => {
    throw new Error(`${String(e)}\n${ps.map((p) => p.output().slice(-4000)).join('\n-----\n')}`);
  };
}

describe('follow-up notifications with two instances and kill -9', () => {
  it('notify every status change once, repeating at most the message in flight at a kill', async () => {
    const pdf = await invoicePdf();
    const users: FakeUser[] = [];
    const invoices: Array<{ id: number; number: string; user: FakeUser }> = [];
    {
      const store = await db.open();
      for (let a = 0; a < ACCOUNTS; a++) {
        const account = await store.accounts.create({ name: `client-${a}` });
        const user = api.users.user(9_200 + a, `Client ${a}`);
        users.push(user);
        api.state.knownChats.add(user.id); // the user deposited from this chat before
        await store.identities.link(account.id, { channel: 'telegram', userId: String(user.id) });
        for (let i = 0; i < PER_ACCOUNT; i++) {
          const r = await h.service.submit(DEMO, submission(await depositFresh(h, pdf)));
          await store.followUps.track({
            accountId: account.id,
            chorusInvoiceId: r.chorusInvoiceId,
            channel: 'telegram',
            userId: String(user.id),
            invoiceNumber: r.invoiceNumber,
            recipientSiret: r.recipientSiret,
            totalInclTaxCents: r.totalInclTaxCents,
            currency: r.currency,
            depositedAt: r.depositedAt,
            status: r.status,
          });
          invoices.push({ id: r.chorusInvoiceId, number: r.invoiceNumber, user });
        }
      }
      await store.close();
    }
    const [portA, portB] = [await freePort(), await freePort()];
    const common = {
      DATABASE_URL: db.databaseUrl ?? '',
      FACTEUR_SECRET_KEY: TEST_KEY,
      CHORUS_API_URL: h.sim.apiUrl,
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.url,
      TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${portA}/hook`,
      TELEGRAM_WEBHOOK_SECRET: 'hook-secret',
      FACTEUR_FOLLOW_UP_INTERVAL: '1s',
    };
    const dirA = mkdtempSync(path.join(tmpdir(), 'facteur-fu-a-'));
    const dirB = mkdtempSync(path.join(tmpdir(), 'facteur-fu-b-'));
    dirs.push(dirA, dirB);
    const start = (dir: string, port: number) => {
      const p = startFacteur({ ...common, FACTEUR_DATA_DIR: dir, TELEGRAM_WEBHOOK_PORT: String(port) });
      running.push(p);
      return p;
    };
    const slowHistories = () =>
      h.sim.injectFault({
        kind: 'latency',
        latencyMs: 250,
        operation: '/factures/v1/consulter/historique',
        times: 1_000,
      });
    const sentBy = (p: FacteurProcess) => p.lines.filter((l) => l.msg === 'notification sent').length;
    const notices = (number: string, word: string) =>
      invoices
        .filter((i) => i.number === number)
        .flatMap((i) => api.messagesIn(i.user.id))
        .filter((m) => (m.text ?? '').includes(`Facture ${number} ${word}`));

    let a = start(dirA, portA);
    let b = start(dirB, portB);
    await Promise.all([a, b].map((p) => p.waitForLog((l) => l.msg === 'facteur started', 'started', 90_000)));

    // Round 1: every invoice suspended; A dies in the middle of the cycle, then comes back.
    slowHistories();
    for (const i of invoices) await h.sim.setInvoiceStatus(i.id, 'SUSPENDUE', `Pièce manquante ${i.id}`);
    await until(() => sentBy(a) + sentBy(b) >= 1, 'a first notification').catch(withLogs(a, b));
    await a.kill();
    const aKilled = a;
    a = start(dirA, portA);
    // The killed instance's leases and claims lapse (30 s) and are taken over by either instance.
    await until(
      () => invoices.every((i) => notices(i.number, 'suspendue').length >= 1),
      'every suspension notified',
    ).catch(withLogs(aKilled, a, b));

    // Round 2: every invoice rejected; B dies in the middle of the cycle, then comes back.
    await a.waitForLog((l) => l.msg === 'facteur started', 'A restarted', 90_000);
    slowHistories();
    const before = sentBy(a) + sentBy(b);
    for (const i of invoices) await h.sim.setInvoiceStatus(i.id, 'REJETEE', `Cadre erroné ${i.id}`);
    await until(() => sentBy(a) + sentBy(b) > before, 'a first rejection notification').catch(withLogs(a, b));
    await b.kill();
    const bKilled = b;
    b = start(dirB, portB);
    await until(
      () => invoices.every((i) => notices(i.number, 'rejetée').length >= 1),
      'every rejection notified',
    ).catch(withLogs(a, bKilled, b));
    h.sim.clearFaults();
    // Time for a duplicate to show up if one were coming (cycles every second on both).
    await new Promise((r) => setTimeout(r, 5_000));

    // Nothing lost, nothing sent twice by the two instances. A kill -9 can repeat only the one
    // message whose send Telegram had accepted when the process died, before its mark was written
    // (Telegram has no idempotency key): at most one repeat per kill, never more.
    for (const word of ['suspendue', 'rejetée']) {
      const counts = invoices.map((i) => notices(i.number, word).length);
      expect(Math.min(...counts), `every invoice ${word}`).toBe(1);
      const repeats = counts.reduce((sum, n) => sum + (n - 1), 0);
      expect(repeats, `${word}: repeats beyond the kill's message in flight`).toBeLessThanOrEqual(1);
    }
    for (const i of invoices)
      expect(notices(i.number, 'suspendue')[0]!.text).toContain(`Pièce manquante ${i.id}`);
    const total = users.reduce((sum, u) => sum + api.messagesIn(u.id).length, 0);
    expect(total).toBeGreaterThanOrEqual(2 * invoices.length);
    expect(total).toBeLessThanOrEqual(2 * invoices.length + 2);
    for (const p of [a, b]) await p.stop();
  }, 400_000);
});
