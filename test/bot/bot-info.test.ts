import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBotUsername } from '../../src/bot/bot-info.js';
import { TelegramApiError, TelegramTokenError } from '../../src/bot/errors.js';
import { startFakeBotApi, type FakeBotApi } from './fake-bot-api/index.js';

describe('getBotUsername', () => {
  let api: FakeBotApi;
  beforeAll(async () => {
    api = await startFakeBotApi({ username: 'facteur_demo_bot' });
  });
  afterAll(() => api.close());

  it('returns the bot username from getMe', async () => {
    expect(await getBotUsername({ token: api.token, apiRoot: api.url })).toBe('facteur_demo_bot');
    expect(api.callsOf('getMe')).toHaveLength(1);
  });

  it('reports a refused token without printing it', async () => {
    const token = '999:WrongTokenWrongToken';
    const error = await getBotUsername({ token, apiRoot: api.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramTokenError);
    expect(JSON.stringify({ m: (error as Error).message, s: (error as Error).stack })).not.toContain(
      'WrongToken',
    );
  });

  it('reports an unreachable server in French, without the token', async () => {
    const error = await getBotUsername({ token: api.token, apiRoot: 'http://127.0.0.1:1' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TelegramApiError);
    const e = error as TelegramApiError;
    expect(e.userMessage).toMatch(/TELEGRAM_API_ROOT/);
    expect(`${e.message} ${e.stack}`).not.toContain(api.token.split(':')[1]);
  });
});
