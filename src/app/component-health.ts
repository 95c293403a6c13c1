import { deadlineSignal } from '../shared/abort.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/types.js';
import { createDependencyWatch, type DependencyWatch } from './dependency-watch.js';
import { describeError, type ComponentHealth } from './health.js';

const STORE_PROBE_TIMEOUT_MS = 3_000;
const CHORUS_PROBE_TIMEOUT_MS = 5_000;

/** The store answers a small read within 3 s (SQLite: at once; PostgreSQL: one round trip). */
export async function storeHealth(store: Store): Promise<ComponentHealth> {
  const since = new Date().toISOString();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      store.channelState.get('ops', 'health'),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('store did not answer within 3 s')),
          STORE_PROBE_TIMEOUT_MS,
        );
      }),
    ]);
    return { state: 'up', since };
  } catch (error) {
    return { state: 'down', since, detail: describeError(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Chorus Pro is only called when users act, so its reachability is also probed: any HTTP answer
 * of the API base (even a 404) within 5 s means it is there. Every minute while up; with backoff
 * (1 s … 60 s) while down. Real calls also feed the watch (see `instrumentDeposit`).
 */
export function createChorusWatch(deps: { apiUrl: string; logger: Logger }): DependencyWatch {
  return createDependencyWatch({
    name: 'chorus-pro',
    logger: deps.logger,
    intervalMs: 60_000,
    probe: async (signal) => {
      const deadline = deadlineSignal(CHORUS_PROBE_TIMEOUT_MS, [signal]);
      try {
        const res = await fetch(deps.apiUrl, { method: 'GET', signal: deadline.signal });
        await res.arrayBuffer().catch(() => undefined);
      } finally {
        deadline.dispose();
      }
    },
  });
}
