import { autoRetry } from '@grammyjs/auto-retry';
import type { Api, Transformer } from 'grammy';
import type { Update } from 'grammy/types';
import type { DependencyWatch } from '../app/dependency-watch.js';
import type { Metrics } from '../shared/metrics.js';
import { attemptTimeouts, createApiGuard } from './api-guard.js';
import { createThrottler, type ThrottleLimits } from './throttle.js';

export interface TelegramApiSetup {
  pollingTimeoutSeconds: number;
  /** Outgoing rate limits (Telegram's by default); false: none (benchmarks of the app alone). */
  throttle: false | Partial<ThrottleLimits>;
  /** Chats whose sends go first when the global limit makes calls wait (a report awaited). */
  urgent?: (chatId: number) => boolean;
  /** Stores the updates a poll fetched before Telegram forgets them. */
  record: (updates: Update[]) => Promise<void>;
  watch: DependencyWatch;
  metrics: Metrics;
  stop: () => AbortSignal;
  backoff?: { initialMs: number; maxMs: number };
}

/**
 * The transformers of the bot's API, innermost first: per-attempt timeouts, Telegram's rate
 * limits (throttle.ts, urgent chats first), 429/5xx retries (auto-retry; network errors are the guard's),
 * the journal of fetched updates, then the guard (backoff, warnings, health, stop).
 */
export function configureTelegramApi(api: Api, setup: TelegramApiSetup): void {
  api.config.use(attemptTimeouts(setup.pollingTimeoutSeconds));
  if (setup.throttle !== false) api.config.use(createThrottler(setup.throttle, setup.urgent));
  api.config.use(autoRetry({ maxRetryAttempts: 6, maxDelaySeconds: 60, rethrowHttpErrors: true }));
  const recordFetched: Transformer = async (prev, method, payload, signal) => {
    if (method !== 'getUpdates') return prev(method, payload, signal);
    const res = await prev(method, payload, signal);
    if (res.ok) await setup.record(res.result as Update[]);
    return res;
  };
  api.config.use(recordFetched);
  api.config.use(
    createApiGuard({ watch: setup.watch, metrics: setup.metrics, stop: setup.stop, backoff: setup.backoff }),
  );
}
