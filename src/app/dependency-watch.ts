import type { Logger } from '../shared/logger.js';
import { describeError, type ComponentHealth, type ComponentState } from './health.js';

/**
 * The reachability of one outside dependency (Telegram, the IMAP server, Chorus Pro), as seen by
 * the part that uses it. The part says what happened (`succeeded`, `failed` with the delay of its
 * next attempt); the watch keeps the state for `/healthz` and logs the transitions: a warning
 * naming the dependency and the next retry each time it fails, an info line when it is back.
 * With a `probe`, the watch also checks by itself: with backoff while down, every `intervalMs`
 * while up (for dependencies only called when users act, like Chorus Pro).
 */
export interface DependencyWatch {
  readonly name: string;
  health(): ComponentHealth;
  succeeded(): void;
  /** `retryInMs`: when the caller tries again (the watch's own backoff when it probes). */
  failed(error: unknown, retryInMs?: number): void;
  /** Starts the probe loop (no-op without a probe). */
  start(): void;
  /** Stops the probe loop and aborts a probe in flight. */
  stop(): void;
}

export interface DependencyWatchOptions {
  /** As logged and shown in /healthz: `telegram`, `email`, `chorus-pro`. */
  name: string;
  logger: Logger;
  probe?: (signal: AbortSignal) => Promise<void>;
  /** Probe period while up (default 60 s). */
  intervalMs?: number;
  /** Probe backoff while down (default 1 s doubling up to 60 s). */
  backoff?: { initialMs: number; maxMs: number };
  now?: () => number;
  /** The part logs its failures itself: only keep the state (and say when it is back). */
  quiet?: boolean;
}

export function createDependencyWatch(options: DependencyWatchOptions): DependencyWatch {
  const { name, logger } = options;
  const now = options.now ?? Date.now;
  const backoff = options.backoff ?? { initialMs: 1_000, maxMs: 60_000 };
  let state: ComponentState = 'starting';
  let since = now();
  let detail: string | undefined;
  let retryAt: number | undefined;
  let downSince: number | undefined;
  let delay = backoff.initialMs;
  let timer: NodeJS.Timeout | undefined;
  let controller: AbortController | undefined;
  let running = false;

  function move(next: ComponentState): void {
    if (state !== next) {
      state = next;
      since = now();
    }
  }

  function succeeded(): void {
    if (state === 'down') {
      logger.info({ dependency: name, downForMs: now() - (downSince ?? now()) }, `${name} reachable again`);
    }
    move('up');
    detail = undefined;
    retryAt = undefined;
    downSince = undefined;
    delay = backoff.initialMs;
  }

  function failed(error: unknown, retryInMs?: number): void {
    if (state !== 'down') downSince = now();
    move('down');
    detail = describeError(error);
    retryAt = retryInMs === undefined ? undefined : now() + retryInMs;
    if (options.quiet) return;
    logger.warn(
      {
        dependency: name,
        err: detail,
        ...(retryInMs !== undefined ? { retryInMs: Math.round(retryInMs) } : {}),
      },
      `${name} unreachable; retrying`,
    );
  }

  function schedule(ms: number): void {
    clearTimeout(timer);
    if (!running) return;
    timer = setTimeout(() => void probeOnce(), ms);
    timer.unref();
  }

  async function probeOnce(): Promise<void> {
    const probe = options.probe;
    if (!probe || !running) return;
    controller = new AbortController();
    try {
      await probe(controller.signal);
      if (!running) return;
      succeeded();
      schedule(options.intervalMs ?? 60_000);
    } catch (error) {
      if (!running) return;
      const wait = Math.round(delay * (0.8 + Math.random() * 0.4));
      delay = Math.min(delay * 2, backoff.maxMs);
      failed(error, wait);
      schedule(wait);
    } finally {
      controller = undefined;
    }
  }

  return {
    name,
    health() {
      const h: ComponentHealth = { state, since: new Date(since).toISOString() };
      if (detail) h.detail = detail;
      if (state === 'down' && retryAt !== undefined) h.retryInMs = Math.max(0, retryAt - now());
      return h;
    },
    succeeded,
    failed(error, retryInMs) {
      // A user's call failed between two probes: probe again soon, with the backoff.
      if (retryInMs === undefined && running && options.probe) {
        const wait = Math.round(delay * (0.8 + Math.random() * 0.4));
        delay = Math.min(delay * 2, backoff.maxMs);
        failed(error, wait);
        schedule(wait);
        return;
      }
      failed(error, retryInMs);
    },
    start() {
      if (running || !options.probe) return;
      running = true;
      void probeOnce();
    },
    stop() {
      running = false;
      clearTimeout(timer);
      controller?.abort();
    },
  };
}
