import { setMaxListeners } from 'node:events';
import { HttpError, type Transformer } from 'grammy';
import type { DependencyWatch } from '../app/dependency-watch.js';
import { anySignal, deadlineSignal } from '../shared/abort.js';
import type { Metrics } from '../shared/metrics.js';

/** grammY's signals (the abort-controller package's), handed to `anySignal` / `deadlineSignal`. */
type ShimSignal = Parameters<Transformer>[3];
export const shim = (signal: AbortSignal): ShimSignal => signal as unknown as ShimSignal;
/** Calls of the start-up and of polling: their callers loop, the guard only waits before failing. */
const CALLER_RETRIES = new Set(['getUpdates', 'getMe', 'setWebhook', 'deleteWebhook', 'setMyCommands']);
/** Attempts of any other call (a message to send) on network errors before it fails. */
const SEND_ATTEMPTS = 3;

export interface ApiGuardOptions {
  watch: DependencyWatch;
  metrics: Metrics;
  /** Aborted when the channel gives up on its work in hand (end of the stop's grace period). */
  stop: () => AbortSignal;
  backoff?: { initialMs: number; maxMs: number };
}

/**
 * The Telegram Bot API as a dependency that may be unreachable (refused, never answering): every
 * network failure is reported to the watch — one warning naming Telegram and the next retry —
 * and followed by a backoff (1 s doubling to 60 s, shared by all calls, reset by any answer).
 * Start-up and polling calls then fail so that their loop tries again; a send is tried again up
 * to 3 times. Everything stops waiting at once when `stop` is aborted, so a stop never hangs on
 * Telegram. Answers from Telegram (even errors) mean it is reachable.
 */
export function createApiGuard(options: ApiGuardOptions): Transformer {
  const backoff = options.backoff ?? { initialMs: 1_000, maxMs: 60_000 };
  let failures = 0;
  let bumpedAt = -Infinity;
  let bumpCeiling = 0;
  // Calls failing together (a burst's pooled connections reset at once) count as one failure:
  // the backoff doubles at most once per backoff period, not once per call in flight (50 resets
  // at once used to push the next retries to a minute).
  const nextDelay = () => {
    const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** failures);
    const now = Date.now();
    if (now - bumpedAt >= bumpCeiling) {
      failures += 1;
      bumpedAt = now;
      bumpCeiling = ceiling;
    }
    return Math.round(ceiling * (0.8 + Math.random() * 0.4));
  };

  return async (prev, method, payload, signal) => {
    const stop = options.stop();
    // Every call in flight listens to the one stop signal (and removes its listener after): a
    // burst has hundreds at once, which is no leak, so Node's warning past 10 is turned off.
    setMaxListeners(0, stop);
    const combined = anySignal([signal, stop]);
    const abort = combined.signal;
    try {
      return await guarded(prev, method, payload, abort);
    } finally {
      combined.dispose();
    }
  };

  async function guarded(
    prev: Parameters<Transformer>[0],
    method: Parameters<Transformer>[1],
    payload: Parameters<Transformer>[2],
    abort: AbortSignal,
  ): Promise<Awaited<ReturnType<Transformer>>> {
    for (let attempt = 1; ; attempt++) {
      if (abort.aborted) throw new Error(`telegram ${method} abandoned: the channel stops`);
      try {
        const result = await untilAborted(prev(method, payload, shim(abort)), abort, method);
        failures = 0;
        bumpCeiling = 0;
        options.watch.succeeded();
        return result;
      } catch (error) {
        if (!(error instanceof HttpError) || abort.aborted) throw error;
        const wait = nextDelay();
        options.watch.failed(error, wait);
        options.metrics.channelError('telegram', method === 'getUpdates' ? 'poll' : 'network');
        await sleep(wait, abort);
        if (CALLER_RETRIES.has(method) || attempt >= SEND_ATTEMPTS) throw error;
      }
    }
  }
}

/** The call's answer, or a rejection as soon as `signal` aborts (a queued send may never run). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal, method: string): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error(`telegram ${method} abandoned: the channel stops`));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error(`telegram ${method} abandoned: the channel stops`));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Resolves after `ms`, or at once when `signal` aborts (the caller sees the abort next). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Per-attempt timeouts (innermost, so a wait in the rate-limit queue or a 429 pause does not
 * count): a Bot API that accepts the connection and never answers fails like one that refuses it.
 */
export function attemptTimeouts(pollingTimeoutSeconds: number): Transformer {
  return (prev, method, payload, signal) => {
    const ms =
      method === 'getUpdates'
        ? (pollingTimeoutSeconds + 15) * 1000
        : method === 'sendDocument' || method === 'sendPhoto'
          ? 60_000
          : 15_000;
    const combined = deadlineSignal(ms, [signal]);
    return prev(method, payload, shim(combined.signal)).finally(combined.dispose);
  };
}
