/**
 * A bot whose long polling stops for good (another process polls with the same token, or the
 * token is revoked) must not leave `facteur start` running silently without Telegram: the channel
 * reports the failure to the composition root, which stops with exit code 1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/create-app.js';
import { createConfig } from '../../src/config/schema.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { startFakeBotApi, type FakeBotApi } from './fake-bot-api/index.js';
import { eventually } from './helpers/chat.js';

let api: FakeBotApi;
let dir: string;
beforeAll(async () => {
  api = await startFakeBotApi();
  dir = mkdtempSync(path.join(tmpdir(), 'facteur-tg-fail-'));
});
afterAll(async () => {
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('telegram polling that stops for good', () => {
  it('is reported to the composition root when another process polls with the same token', async () => {
    const failures: string[] = [];
    const app: App = await createApp(
      createConfig({
        TELEGRAM_BOT_TOKEN: api.token,
        TELEGRAM_API_ROOT: api.url,
        FACTEUR_DATA_DIR: dir,
      }),
      { logger: createSilentLogger(), onChannelFailure: (channel) => failures.push(channel) },
    );
    try {
      await app.start();
      await eventually(async () => expect(api.callsOf('getUpdates').length).toBeGreaterThan(0));
      expect(failures).toEqual([]);
      // A second instance starts polling: Telegram answers the first one's long poll with 409.
      const rival = setInterval(() => {
        void fetch(`${api.url}/bot${api.token}/getUpdates`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ timeout: 1 }),
        }).catch(() => undefined);
      }, 200);
      try {
        await eventually(async () => expect(failures).toEqual(['telegram']), 20_000);
      } finally {
        clearInterval(rival);
      }
    } finally {
      await app.stop();
    }
    // A stop on purpose is not a failure.
    expect(failures).toEqual(['telegram']);
  });
});
