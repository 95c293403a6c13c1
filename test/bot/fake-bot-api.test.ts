import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBotApi, type FakeBotApi } from './fake-bot-api/index.js';

/** The fake Bot API keeps Telegram's protocol rules, so the scenarios prove something. */

let api: FakeBotApi;
interface Answer {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}
const call = async (
  method: string,
  params: Record<string, unknown> = {},
  token = api.token,
): Promise<Answer> => {
  const res = await fetch(`${api.url}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return (await res.json()) as Answer;
};
const user = { id: 31, first_name: 'Test' };

beforeAll(async () => {
  api = await startFakeBotApi();
});
afterAll(() => api.close());

describe('fake Bot API', () => {
  it('long-polls: waits for an update, and an offset confirms the earlier ones', async () => {
    const waiting = call('getUpdates', { timeout: 5 });
    await new Promise((r) => setTimeout(r, 50));
    api.users.sendText(user, 'un');
    const first = (await waiting).result as Array<{ update_id: number }>;
    expect(first).toHaveLength(1);
    api.users.sendText(user, 'deux');
    const again = (await call('getUpdates', { timeout: 0 })).result as Array<{ update_id: number }>;
    expect(again).toHaveLength(2); // not confirmed yet
    const next = (await call('getUpdates', { offset: first[0]!.update_id + 1, timeout: 0 }))
      .result as unknown[];
    expect(next).toHaveLength(1);
    expect((await call('getUpdates', { timeout: 1 }, '1:bad')).error_code).toBe(401);
    await call('getUpdates', { offset: first[0]!.update_id + 2, timeout: 0 });
    expect(api.pendingUpdates).toBe(0);
  });

  it('ends an older long poll with 409 when a newer one comes, and refuses polling under a webhook', async () => {
    const older = call('getUpdates', { timeout: 5 });
    await new Promise((r) => setTimeout(r, 50));
    const newer = call('getUpdates', { timeout: 0 });
    expect((await older).error_code).toBe(409);
    expect((await newer).ok).toBe(true);
    expect((await call('setWebhook', { url: 'http://127.0.0.1:1/hook' })).ok).toBe(true);
    expect((await call('getUpdates', { timeout: 0 })).error_code).toBe(409);
    expect((await call('deleteWebhook')).ok).toBe(true);
  });

  it('validates messages as Telegram does', async () => {
    api.users.sendText(user, 'bonjour');
    const bad = await call('sendMessage', { chat_id: user.id, text: 'a < b', parse_mode: 'HTML' });
    expect(bad.description).toMatch(/can't parse entities/);
    const long = await call('sendMessage', {
      chat_id: user.id,
      text: 'x',
      reply_markup: { inline_keyboard: [[{ text: 'b', callback_data: 'x'.repeat(65) }]] },
    });
    expect(long.description).toContain('BUTTON_DATA_INVALID');
    expect((await call('sendMessage', { chat_id: 999, text: 'x' })).description).toContain('chat not found');
    const sent = (await call('sendMessage', { chat_id: user.id, text: '<b>ok</b>', parse_mode: 'HTML' }))
      .result as {
      message_id: number;
    };
    const same = await call('editMessageText', {
      chat_id: user.id,
      message_id: sent.message_id,
      text: '<b>ok</b>',
      parse_mode: 'HTML',
    });
    expect(same.description).toContain('message is not modified');
  });

  it('serves files through getFile and the file route, and refuses over 20 MB', async () => {
    const bytes = new Uint8Array([37, 80, 68, 70, 1, 2, 3]);
    api.users.sendDocument(user, { fileName: 'a.pdf', mimeType: 'application/pdf', bytes });
    api.users.sendDocument(user, { fileName: 'b.pdf', mimeType: 'application/pdf', size: 21 * 1024 * 1024 });
    const ids = [...api.state.files.keys()].slice(-2);
    const file = (await call('getFile', { file_id: ids[0] })).result as { file_path: string };
    const download = await fetch(`${api.url}/file/bot${api.token}/${file.file_path}`);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
    expect((await call('getFile', { file_id: ids[1] })).description).toContain('file is too big');
  });

  it('answers 429 with retry_after on demand', async () => {
    api.failNext(1, { methods: ['getMe'], retryAfter: 3 });
    const limited = await call('getMe');
    expect(limited).toMatchObject({ ok: false, error_code: 429, parameters: { retry_after: 3 } });
    expect((await call('getMe')).ok).toBe(true);
  });
});
