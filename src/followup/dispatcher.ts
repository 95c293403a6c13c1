import type { ChannelIdentity, ChannelKind } from '../machine/conversation-port.js';
import type { View } from '../machine/view.js';
import type { Logger } from '../shared/logger.js';
import type { OutboxEntry, Store } from '../store/index.js';
import { notificationView, type NotificationPayload } from './views.js';

/**
 * Sends the outbox's notifications on the channel where each draft started. A row is claimed
 * (leased) and marked delivered before it is sent, so two instances never send the same one and a
 * restart after a kill does not send it again; a send that fails is given back and retried later
 * with a growing delay. `key` is stable per notification: a
 * channel that can deduplicate (e-mail Message-ID) uses it.
 */
export type Deliver = (identity: ChannelIdentity, view: View, key: string) => Promise<void>;

export interface DispatcherDeps {
  store: Store;
  logger: Logger;
  owner: string;
  clock: { now(): Date };
  /** The channels able to send now (Telegram, e-mail); the terminal reads its own at `facteur chat`. */
  deliverers: () => Partial<Record<ChannelKind, Deliver>>;
  leaseMs?: number;
  batch?: number;
}

export function renderEntry(entry: OutboxEntry): View {
  return notificationView(entry.payload as unknown as NotificationPayload);
}

export function createDispatcher(deps: DispatcherDeps) {
  const leaseMs = deps.leaseMs ?? 60_000;
  const log = deps.logger.child({ component: 'follow-up-notify' });

  async function dispatchOnce(): Promise<{ sent: number; failed: number }> {
    const deliverers = deps.deliverers();
    const channels = (Object.keys(deliverers) as ChannelKind[]).filter((c) => deliverers[c]);
    const rows = await deps.store.outbox.claim(channels, deps.owner, leaseMs, deps.batch ?? 50);
    let sent = 0;
    let failed = 0;
    for (const row of rows) {
      const deliver = deliverers[row.channel]!;
      // Marked delivered before the send: an instance killed while sending (the message almost
      // always already out) must not send it again on restart. A send that fails gives it back.
      if (!(await deps.store.outbox.markDelivered(row.id, deps.owner))) continue;
      try {
        await deliver({ channel: row.channel, userId: row.userId }, renderEntry(row), row.dedupKey);
        sent++;
        log.info(
          { notification: row.id, channel: row.channel, status: row.status, kind: row.kind },
          'notification sent',
        );
      } catch (error) {
        failed++;
        const delay = Math.min(60_000 * 2 ** Math.min(row.attempts - 1, 8), 6 * 3_600_000);
        await deps.store.outbox.markFailed(
          row.id,
          deps.owner,
          error instanceof Error ? error.message : String(error),
          new Date(deps.clock.now().getTime() + delay),
        );
        log.warn(
          { err: error, notification: row.id, channel: row.channel, retryInMs: delay },
          'notification not sent',
        );
      }
    }
    return { sent, failed };
  }

  return { dispatchOnce };
}

/** The terminal's pending notifications, shown when `facteur chat` starts (then marked delivered). */
export async function takeTerminalNotifications(
  store: Store,
  userId: string,
  owner: string,
  show: (views: View[]) => Promise<void>,
): Promise<number> {
  const rows = await store.outbox.claimFor('terminal', userId, owner, 60_000);
  if (rows.length === 0) return 0;
  await show(rows.map(renderEntry));
  for (const row of rows) await store.outbox.markDelivered(row.id, owner);
  return rows.length;
}
