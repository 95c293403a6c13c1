import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../store/helpers.js';
import { startFakeBotApi, type FakeBotApi } from './fake-bot-api/index.js';
import { cleanInvoice, depositWithButtons, startTelegramApp } from './helpers/telegram-app.js';

/**
 * The Telegram channel on PostgreSQL (DATABASE_URL, a schema of its own): a deposit end to end,
 * and an update left in the journal by a crash handled at the next start.
 */
let backend: Backend;
let api: FakeBotApi;

beforeAll(async () => {
  backend = await createBackend('postgres');
  api = await startFakeBotApi();
});
afterAll(async () => {
  await api?.close();
  await backend?.dispose();
});

describe('Telegram with PostgreSQL', { timeout: 120_000 }, () => {
  it('deposits, and replays at start what a crash left in the journal', async () => {
    const user = api.users.user(6_100_001, 'Camille');
    const botId = api.token.split(':')[0];
    // A message Telegram delivered just before a crash, never handled.
    const store = await backend.open();
    await store.channelState.set('telegram', `journal:${botId}`, {
      pending: [
        {
          update_id: 3,
          message: {
            message_id: 1,
            date: 0,
            chat: { id: user.id, type: 'private' },
            from: { ...user, is_bot: false },
            text: '/aide',
          },
        },
      ],
      done: [],
    });
    await store.close();
    api.state.knownChats.add(user.id);

    const tg = await startTelegramApp(api, {
      dataDir: backend.dataDir,
      env: { DATABASE_URL: backend.databaseUrl! },
    });
    try {
      expect(tg.app.store.kind).toBe('postgres');
      // Answered whether or not the link below came first (help, or how to get access).
      await api.waitFor(() => api.messagesIn(user.id).length > 0, 'the replayed /aide answered', 30_000);
      await tg.link(user);
      const receipt = await depositWithButtons(api, user, await cleanInvoice('F-2026-0401'), 'f.pdf');
      expect(receipt.kind).toBe('document');
    } finally {
      await tg.stop();
    }
    const after = await backend.open();
    // The crash's single-value journal was taken over as one entry per update, and all handled.
    const legacy = await after.channelState.get('telegram', `journal:${botId}`);
    const entries = await after.channelState.list(`telegram:journal:${botId}`);
    await after.close();
    expect(legacy).toBeUndefined();
    expect(entries.filter((e) => e.key.startsWith('p:'))).toEqual([]);
    expect(entries.map((e) => e.key)).toContain('d:000000000003');
  });
});
