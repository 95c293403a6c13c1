import type { ChannelIdentity, ChannelKind } from '../machine/conversation-port.js';
import type { View } from '../machine/view.js';
import type { Logger } from '../shared/logger.js';
import type { OutboxEntry, Store } from '../store/index.js';
import { keepLease } from './lease-keeper.js';
import { notificationView, type NotificationPayload } from './views.js';

/**
 * Sends the outbox's notifications on the channel where each draft started. Rows are claimed one
 * at a time (leased to this process, the claim renewed while the send waits, so two instances
 * never send the same one) and marked delivered as soon as the channel has accepted them. A kill
 * while a row is leased gives it back when the short claim lapses (`leaseMs`, 30 s by default),
 * to whichever instance comes first, so nothing is lost; the only duplicate left is a kill
 * in the instant between the channel's acceptance and the mark (the e-mail channel removes even
 * that one by its stable Message-ID, `key`). Marking before the send would lose every
 * notification still waiting in the Telegram throttler's queue at a kill. A send that fails is
 * given back and retried later with a growing delay.
 */
export type Deliver = (identity: ChannelIdentity, view: View, key: string) => Promise<void>;

export interface DispatcherDeps {
  store: Store;
  logger: Logger;
  owner: string;
  clock: { now(): Date };
  /** The channels able to send now (Telegram, e-mail); the terminal reads its own at `facteur chat`. */
  deliverers: () => Partial<Record<ChannelKind, Deliver>>;
  /** Claim length (default 30 s, renewed every third of it while the send runs). */
  leaseMs?: number;
  /** A send longer than this stops renewing its claim (default 15 min). */
  maxSendMs?: number;
  batch?: number;
}

export function renderEntry(entry: OutboxEntry): View {
  return notificationView(entry.payload as unknown as NotificationPayload);
}

export function createDispatcher(deps: DispatcherDeps) {
  const leaseMs = deps.leaseMs ?? 30_000;
  const maxSendMs = deps.maxSendMs ?? 15 * 60_000;
  const log = deps.logger.child({ component: 'follow-up-notify' });

  async function dispatchOnce(): Promise<{ sent: number; failed: number }> {
    const deliverers = deps.deliverers();
    const channels = (Object.keys(deliverers) as ChannelKind[]).filter((c) => deliverers[c]);
    let sent = 0;
    let failed = 0;
    // One row claimed at a time: a lease never runs out while rows wait behind earlier sends.
    for (let n = 0; n < (deps.batch ?? 50); n++) {
      const [row] = await deps.store.outbox.claim(channels, deps.owner, leaseMs, 1);
      if (!row) break;
      const deliver = deliverers[row.channel]!;
      const claim = keepLease(() => deps.store.outbox.extendClaim(row.id, deps.owner, leaseMs), {
        leaseMs,
        maxMs: maxSendMs,
        logger: log.child({ notification: row.id }),
        what: 'notification',
      });
      try {
        await deliver({ channel: row.channel, userId: row.userId }, renderEntry(row), row.dedupKey);
      } catch (error) {
        claim.stop(); // given back below: no renewal may race with it
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
        continue;
      } finally {
        claim.stop();
      }
      sent++;
      if (!(await deps.store.outbox.markDelivered(row.id, deps.owner)))
        log.warn({ notification: row.id }, 'notification sent after its lease ended');
      log.info(
        { notification: row.id, channel: row.channel, status: row.status, kind: row.kind },
        'notification sent',
      );
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
