import { HttpError, type Transformer } from 'grammy';
import { describe, expect, it } from 'vitest';
import { createApiGuard } from '../../src/bot/api-guard.js';
import { noopMetrics } from '../../src/shared/metrics.js';

describe('Telegram API guard backoff', () => {
  it('counts calls failing together once: the retries do not climb to a minute', async () => {
    const waits: number[] = [];
    const guard = createApiGuard({
      watch: {
        name: 'telegram',
        health: () => ({ state: 'up' }) as never,
        succeeded: () => undefined,
        failed: (_error, retryInMs) => void waits.push(retryInMs ?? 0),
        start: () => undefined,
        stop: () => undefined,
      },
      metrics: noopMetrics,
      stop: () => new AbortController().signal,
      backoff: { initialMs: 20, maxMs: 60_000 },
    });
    let calls = 0;
    // Each call's first attempt fails (a pooled connection reset), its retry answers.
    const seen = new Set<number>();
    const prev = ((_method: string, payload: { chat_id: number }) => {
      calls += 1;
      if (!seen.has(payload.chat_id)) {
        seen.add(payload.chat_id);
        return Promise.reject(new HttpError('Network request failed', new Error('ECONNRESET')));
      }
      return Promise.resolve({ ok: true, result: true });
    }) as unknown as Parameters<Transformer>[0];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        guard(prev, 'sendMessage', { chat_id: i, text: 'x' } as never, undefined),
      ),
    );
    expect(calls).toBe(60);
    // One doubling at most (20 ms → 40 ms, ±20 % jitter), not 20 · 2^29.
    expect(Math.max(...waits)).toBeLessThanOrEqual(48);
  });
});
