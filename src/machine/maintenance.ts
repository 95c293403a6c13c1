import type { ChannelKind } from './conversation-port.js';
import type { Logger } from '../shared/logger.js';
import type { ConversationRecord, IdentityKey, Store } from '../store/types.js';
import { reminderView } from './service-views.js';
import type { View } from './view.js';

/**
 * Reminders and expiry of inactive drafts. Times come from the injected clock; the store marks a
 * reminder once per inactivity period (also across processes). A reminder waits while no channel
 * of the draft's kind is listening, so it is never marked sent without being delivered.
 */

export interface MaintenanceDeps {
  store: Store;
  logger: Logger;
  clock: { now(): Date };
  reminderAfterMs: number;
  expireAfterMs: number;
  intervalMs: number;
  hasListener: (channel: ChannelKind) => boolean;
  notify: (identity: IdentityKey, view: View) => Promise<boolean>;
  currentViews: (record: ConversationRecord) => Promise<View[]>;
  lock: <T>(conversationId: string, task: () => Promise<T>) => Promise<T>;
  expire: (record: ConversationRecord) => Promise<View[]>;
}

/**
 * How often reminders and expiry are checked when not configured: a tenth of the shorter delay,
 * between 5 s and 5 min (often enough to be on time, rarely enough not to load the store).
 */
export function defaultMaintenanceIntervalMs(reminderAfterMs: number, expireAfterMs: number): number {
  return Math.min(300_000, Math.max(5_000, Math.floor(Math.min(reminderAfterMs, expireAfterMs) / 10)));
}

export function createMaintenance(deps: MaintenanceDeps) {
  const { store, logger } = deps;
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<unknown> = Promise.resolve();

  async function runOnce(): Promise<{ reminded: number; expired: number }> {
    const now = deps.clock.now().getTime();
    let expired = 0;
    let reminded = 0;
    const stale = await store.conversations.listInactive({
      before: new Date(now - deps.expireAfterMs),
      statuses: ['open'],
      limit: 200,
    });
    for (const candidate of stale) {
      await deps.lock(candidate.id, async () => {
        const record = await store.conversations.get(candidate.id);
        if (
          !record ||
          record.status !== 'open' ||
          Date.parse(record.lastActivityAt) >= now - deps.expireAfterMs
        )
          return;
        try {
          const views = await deps.expire(record);
          expired++;
          await store.audit.record({
            action: 'draft.expired',
            accountId: record.accountId,
            conversationId: record.id,
          });
          const last = views[views.length - 1];
          if (last) await deps.notify(record.startedBy, last);
        } catch (error) {
          logger.error({ err: error, conversation: record.id }, 'draft expiry failed');
        }
      });
    }
    const inactive = await store.conversations.listInactive({
      before: new Date(now - deps.reminderAfterMs),
      statuses: ['open'],
      notReminded: true,
      limit: 200,
    });
    for (const record of inactive) {
      if (!deps.hasListener(record.startedBy.channel)) continue;
      if (!(await store.conversations.markReminded(record.id))) continue;
      const views = await deps.currentViews(record);
      const current = views[views.length - 1];
      await deps.notify(record.startedBy, reminderView(record.provisionalNumber, record.id));
      if (current) await deps.notify(record.startedBy, current);
      reminded++;
    }
    if (expired + reminded > 0) logger.info({ expired, reminded }, 'draft maintenance');
    return { reminded, expired };
  }

  return {
    runOnce(): Promise<{ reminded: number; expired: number }> {
      const next = running.then(runOnce, runOnce);
      running = next.catch(() => undefined);
      return next;
    },
    start(): void {
      if (timer) return;
      timer = setInterval(() => {
        running = running
          .then(runOnce)
          .catch((error: unknown) => logger.error({ err: error }, 'draft maintenance failed'));
      }, deps.intervalMs);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    idle(): Promise<unknown> {
      return running;
    },
  };
}
