/**
 * Simulator mode, kill -9 and an immediate restart, repeated: the new process owns the embedded
 * simulator's data directory at once (the dead owner's lock went with it) and never calls the
 * dead simulator's port — no « Chorus Pro ne répond pas » (ECONNREFUSED) reply to users.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.js';
import { startFakeBotApi, type FakeBotApi } from '../bot/fake-bot-api/index.js';
import { cleanInvoice } from '../bot/helpers/telegram-app.js';
import { startFacteur, type FacteurProcess } from './helpers/facteur-process.js';

const ROUNDS = 3;
let api: FakeBotApi;
let dir: string;
const running: FacteurProcess[] = [];
beforeAll(async () => {
  api = await startFakeBotApi();
  dir = mkdtempSync(path.join(tmpdir(), 'facteur-crash-'));
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.kill()));
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('kill -9 and immediate restart in simulator mode', () => {
  it('the restarted process runs its own simulator and answers every document with a report', async () => {
    const user = api.users.user(9100, 'Camille');
    const store = await createStore({ dataDir: dir });
    const demo = await store.accounts.ensure({ name: 'demo' });
    await store.identities.link(demo.id, { channel: 'telegram', userId: String(user.id) });
    await store.close();
    const env = { FACTEUR_DATA_DIR: dir, TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.url };
    let previous: FacteurProcess | undefined;
    for (let round = 1; round <= ROUNDS; round++) {
      const p = startFacteur(env);
      running.push(p);
      await p.waitForLog((l) => l.msg === 'telegram long polling started', `polling, round ${round}`, 60_000);
      // Its own simulator, never the dead one's URL.
      expect(p.lines.some((l) => l.msg === 'chorus simulator listening')).toBe(true);
      expect(p.lines.some((l) => l.msg === 'using the simulator of another Facteur process')).toBe(false);
      if (previous)
        expect(p.lines.find((l) => l.msg === 'chorus simulator listening')?.url).not.toBe(
          previous.lines.find((l) => l.msg === 'chorus simulator listening')?.url,
        );
      const number = `F-CRASH-${round}`;
      api.users.sendDocument(user, {
        fileName: `${number}.pdf`,
        mimeType: 'application/pdf',
        bytes: await cleanInvoice(number),
      });
      await api.waitFor(
        () => api.messagesIn(user.id).some((m) => (m.text ?? '').includes(number)),
        `the report of ${number}`,
        60_000,
      );
      await p.kill(); // kill -9, and the next round starts at once
      previous = p;
    }
    const texts = api.messagesIn(user.id).map((m) => m.text ?? m.caption ?? '');
    expect(texts.filter((t) => t.includes('ne répond pas'))).toEqual([]);
    for (const p of running) expect(p.output()).not.toContain('ECONNREFUSED');
  }, 240_000);
});
