import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookServer } from '../../src/bot/webhook-server.js';
import { createSilentLogger } from '../../src/shared/logger.js';

describe('webhook server', () => {
  const accepted: number[] = [];
  let failNext = false;
  let server: Awaited<ReturnType<typeof startWebhookServer>>;
  let url: string;
  beforeAll(async () => {
    server = await startWebhookServer({
      path: '/hook',
      port: 0,
      secret: 's3cret',
      logger: createSilentLogger(),
      accept: async (update) => {
        if (failNext) {
          failNext = false;
          throw new Error('store down');
        }
        accepted.push(update.update_id);
      },
    });
    url = `http://127.0.0.1:${server.port}/hook`;
  });
  afterAll(() => server.close());

  const post = (body: string, secret = 's3cret', to = url) =>
    fetch(to, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body,
    });

  it('accepts an update with the right secret', async () => {
    expect((await post(JSON.stringify({ update_id: 41, message: {} }))).status).toBe(200);
    expect(accepted).toEqual([41]);
  });

  it('refuses a wrong secret, another path, bad JSON and oversized bodies', async () => {
    expect((await post('{"update_id":1}', 'wrong')).status).toBe(401);
    expect((await post('{"update_id":1}', 's3cret', url.replace('/hook', '/other'))).status).toBe(404);
    expect((await post('{not json')).status).toBe(400);
    expect((await post('{"no_update_id":1}')).status).toBe(400);
    const big = await post(JSON.stringify({ update_id: 2, pad: 'x'.repeat(2 * 1024 * 1024) })).catch(() => ({
      status: 413,
    }));
    expect(big.status).toBe(413);
    expect(accepted).toEqual([41]);
  });

  it('answers 503 when the update cannot be stored, so Telegram sends it again', async () => {
    failNext = true;
    expect((await post('{"update_id":42}')).status).toBe(503);
    expect((await post('{"update_id":42}')).status).toBe(200);
    expect(accepted).toEqual([41, 42]);
  });
});
