import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBotApi } from '../bot/fake-bot-api/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'facteur-start-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('facteur start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'runs the embedded simulator, logs JSON lines and stops cleanly on %s',
    async (signal) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'bin/facteur.js'), 'start'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', FACTEUR_DATA_DIR: path.join(dir, signal), LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      for (let i = 0; i < 1200 && !err.includes('facteur started'); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(err).toContain('facteur started');
      child.kill(signal);
      expect(await closed).toBe(0);
      const lines = err
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { msg: string; app: string });
      expect(lines.every((l) => l.app === 'facteur')).toBe(true);
      const msgs = lines.map((l) => l.msg);
      expect(msgs).toContain('embedded Chorus Pro simulator listening');
      expect(msgs[msgs.length - 1]).toBe('facteur stopped');
    },
  );

  it('refuses an invalid configuration with a French message', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/facteur.js'), 'start'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        FACTEUR_DATA_DIR: path.join(dir, 'bad'),
        CHORUS_ENV: 'production',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(err).toContain('PISTE_CLIENT_ID est obligatoire');
  });

  it('stops with code 1 when the Telegram channel stops for good (another process polls with its token)', async () => {
    const api = await startFakeBotApi();
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/facteur.js'), 'start'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        FACTEUR_DATA_DIR: path.join(dir, 'telegram-409'),
        TELEGRAM_BOT_TOKEN: api.token,
        TELEGRAM_API_ROOT: api.url,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      for (let i = 0; i < 1200 && !err.includes('telegram long polling started'); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(err).toContain('telegram long polling started');
      // A rival poller: Telegram ends Facteur's long poll with 409 (bounded: at most 100 polls).
      for (let i = 0; i < 100 && child.exitCode === null; i++) {
        await fetch(`${api.url}/bot${api.token}/getUpdates`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ timeout: 0 }),
        });
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(await closed).toBe(1);
      expect(err).toContain('le canal telegram s’est arrêté');
      expect(err).not.toContain(api.token);
    } finally {
      child.kill('SIGKILL');
      await api.close();
    }
  });
});
