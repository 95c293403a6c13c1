/**
 * `facteur start` as a real process, its dependencies unreachable in each way they fail in
 * production: it says so (a warning naming the dependency and the next retry), reports it on
 * /healthz, recovers when the dependency comes back, and exits within 10 s of SIGTERM whatever
 * the dependency does. Stop durations are printed, not asserted beyond the 10 s contract.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.js';
import { startFakeBotApi, type FakeBotApi } from '../bot/fake-bot-api/index.js';
import { cleanInvoice } from '../bot/helpers/telegram-app.js';
import {
  opsUrl,
  refusedPort,
  startFacteur,
  startSilentServer,
  type FacteurProcess,
} from './helpers/facteur-process.js';

const STOP_LIMIT_MS = 10_000;
const dirs: string[] = [];
const running: FacteurProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.kill()));
  for (const c of cleanups) await c();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'facteur-stop-'));
  dirs.push(dir);
  return dir;
}

function run(env: Record<string, string>): FacteurProcess {
  const p = startFacteur({ FACTEUR_DATA_DIR: dataDir(), ...env });
  running.push(p);
  return p;
}

async function stopWithin(p: FacteurProcess, what: string): Promise<void> {
  const { code, ms } = await p.stop();
  console.log(`facteur start stopped in ${ms} ms (${what})`);
  expect(code).toBe(0);
  expect(ms, p.output().slice(-4000)).toBeLessThan(STOP_LIMIT_MS);
  // Everything was closed (calls abandoned on a silent dependency may be said after it).
  expect(p.lines.map((l) => l.msg)).toContain('facteur stopped');
}

const TOKEN = '123456789:AAFakeTokenForTestsOnly_xyz-0123456789';

describe('facteur start with unreachable dependencies', () => {
  it('Telegram refusing connections: warns with the next retry, /healthz 503, recovers when it comes back, stops in time', async () => {
    const port = await refusedPort();
    const p = run({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: `http://127.0.0.1:${port}`,
      FACTEUR_HTTP_PORT: '0',
    });
    const warning = await p.waitForLog(
      (l) => l.dependency === 'telegram' && l.msg === 'telegram unreachable; retrying',
      'telegram warning',
      60_000,
    );
    expect(warning.retryInMs).toEqual(expect.any(Number));
    expect(String(warning.err)).toContain('ECONNREFUSED');
    await p.waitForLog((l) => l.msg === 'facteur started', 'started while Telegram is down', 60_000);
    const ops = await opsUrl(p);
    const down = await fetch(`${ops}/healthz`);
    expect(down.status).toBe(503);
    const report = (await down.json()) as { status: string; components: Record<string, { state: string }> };
    expect(report.status).toBe('down');
    expect(report.components.telegram?.state).toBe('down');
    expect(report.components.store?.state).toBe('up');
    expect(Object.keys(report.components).sort()).toEqual(['chorus-pro', 'store', 'telegram']);

    // Telegram comes back where it was: the bot connects and polls, /healthz turns 200.
    const api: FakeBotApi = await startFakeBotApi({ port });
    cleanups.push(() => api.close());
    await p.waitForLog((l) => l.msg === 'telegram reachable again', 'recovery', 90_000);
    await p.waitForLog((l) => l.msg === 'telegram long polling started', 'polling after recovery', 30_000);
    let healthy: Response | undefined;
    for (let i = 0; i < 100; i++) {
      healthy = await fetch(`${ops}/healthz`);
      if (healthy.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(healthy?.status).toBe(200);
    const metrics = await (await fetch(`${ops}/metrics`)).text();
    expect(metrics).toMatch(/^facteur_channel_errors_total\{channel="telegram",kind="network"\} [1-9]/m);
    await stopWithin(p, 'Telegram back after refusing');
  }, 150_000);

  it('Telegram never answering: stops in time', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const p = run({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: silent.url });
    await p.waitForLog((l) => l.msg === 'chorus simulator listening', 'simulator up', 60_000);
    await new Promise((r) => setTimeout(r, 1_000)); // getMe is now waiting for an answer
    await stopWithin(p, 'Telegram never answering');
  }, 120_000);

  it('an IMAP server that accepts and then hangs: stops in time', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const smtp = await refusedPort();
    const p = run({
      IMAP_URL: `imap://facteur:secret@127.0.0.1:${silent.port}/INBOX`,
      IMAP_TLS: 'false',
      SMTP_URL: `smtp://127.0.0.1:${smtp}`,
      MAIL_FROM: 'facteur@example.fr',
      MAIL_AUTH: 'none',
    });
    await p.waitForLog((l) => l.msg === 'chorus simulator listening', 'simulator up', 60_000);
    await new Promise((r) => setTimeout(r, 1_000)); // the IMAP greeting is now awaited
    await stopWithin(p, 'IMAP accepting then hanging');
  }, 120_000);

  it('Chorus Pro never answering while a document is analysed: warns, stops in time', async () => {
    const chorus = await startSilentServer();
    const api = await startFakeBotApi();
    cleanups.push(
      () => chorus.close(),
      () => api.close(),
    );
    const dir = dataDir();
    const user = api.users.user(4242, 'Camille');
    const store = await createStore({ dataDir: dir });
    const demo = await store.accounts.ensure({ name: 'demo' });
    await store.identities.link(demo.id, { channel: 'telegram', userId: String(user.id) });
    await store.close();
    const p = startFacteur({
      FACTEUR_DATA_DIR: dir,
      CHORUS_API_URL: `${chorus.url}/cpro`,
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.url,
    });
    running.push(p);
    await p.waitForLog((l) => l.msg === 'telegram long polling started', 'polling', 60_000);
    api.users.sendDocument(user, {
      fileName: 'facture.pdf',
      mimeType: 'application/pdf',
      bytes: await cleanInvoice('F-STOP-1'),
    });
    await api.waitFor(() => api.messagesIn(user.id).length > 0, 'the « Analyse… » status');
    const warning = await p.waitForLog(
      (l) => l.dependency === 'chorus-pro' && l.msg === 'chorus-pro unreachable; retrying',
      'chorus warning',
      30_000,
    );
    expect(warning.retryInMs).toEqual(expect.any(Number));
    await stopWithin(p, 'Chorus Pro never answering, a document in hand');
  }, 150_000);
});
