/**
 * The throttler's queueing rules without a network (throttle.test.ts proves the limits against the
 * fake Bot API's 429s): calls without a chat are not queued, one chat's calls go one at a time in
 * order, and when the global limit makes calls wait the urgent chats' calls go first.
 */
import type { Transformer } from 'grammy';
import { describe, expect, it } from 'vitest';
import { createThrottler } from '../../src/bot/throttle.js';

type Prev = Parameters<Transformer>[0];

function recorder() {
  const started: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const prev = (async (method: string, payload: Record<string, unknown>) => {
    started.push(`${method}:${String(payload?.chat_id ?? '-')}:${String(payload?.text ?? '')}`);
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    await new Promise((r) => setTimeout(r, 5));
    running -= 1;
    return { ok: true, result: true };
  }) as unknown as Prev;
  return { prev, started, maxRunning: () => maxRunning };
}

const send = (t: Transformer, prev: Prev, chatId: number | undefined, text = '') =>
  t(prev, 'sendMessage', (chatId === undefined ? { text } : { chat_id: chatId, text }) as never);

describe('throttler queueing', () => {
  it('lets calls without a chat through at once', async () => {
    const r = recorder();
    const t = createThrottler({ globalPerSecond: 1 });
    await Promise.all([
      send(t, r.prev, 1, 'a'),
      send(t, r.prev, undefined, 'x'),
      send(t, r.prev, undefined, 'y'),
    ]);
    expect(r.started.slice(0, 3).sort()).toEqual(
      ['sendMessage:-:x', 'sendMessage:-:y', 'sendMessage:1:a'].sort(),
    );
  });

  it('sends one chat’s calls one at a time, in order', async () => {
    const r = recorder();
    const t = createThrottler({ globalPerSecond: 1000, perChatBurst: 5 });
    await Promise.all(Array.from({ length: 5 }, (_, i) => send(t, r.prev, 7, String(i))));
    expect(r.started).toEqual(Array.from({ length: 5 }, (_, i) => `sendMessage:7:${i}`));
    expect(r.maxRunning()).toBe(1);
  });

  it('puts the urgent chats first when the global limit makes calls wait', async () => {
    const r = recorder();
    const urgent = new Set([99]);
    const t = createThrottler({ globalPerSecond: 50 }, (chat) => urgent.has(chat));
    const calls = [1, 2, 3, 4, 5, 99].map((chat) => send(t, r.prev, chat, `c${chat}`));
    await Promise.all(calls);
    // The first call left before the others were queued; the urgent one comes right after it.
    expect(r.started[1]).toBe('sendMessage:99:c99');
  });

  it('forgets the chats of past users: a stream of new chats does not grow it', async () => {
    const r = recorder();
    // One call each from 2,500 chats; limits back to full 20 ms after each call (after it ends).
    const t = createThrottler({ globalPerSecond: 1000, perChatBurst: 1, perChatPerSecond: 50 });
    for (let wave = 0; wave < 5; wave++) {
      await Promise.all(Array.from({ length: 500 }, (_, i) => send(t, r.prev, 10_000 + wave * 500 + i)));
    }
    expect(r.started).toHaveLength(2_500);
    expect(t.chatsHeld()).toBeLessThanOrEqual(2_000);
  });
});
