import { FacteurError } from '../shared/errors.js';
import { type StoreContext, clampLimit, nowMs, optionalIsoTime, optionalString } from './context.js';
import type { FollowUpAccountState, FollowUpStore } from './follow-up-types.js';
import { ensureAccount } from './follow-up-rows.js';
import { forUpdate, type SqlExecutor } from './sql/driver.js';

/**
 * The poll side of the follow-up store: which accounts are due, the per-account lease between
 * instances (one poller per account at a time), the cursor, backoff and next-poll times, and the
 * notification switch. A lease is short and renewed while its poll runs: a killed instance's
 * accounts are due again for every instance once it lapses.
 */

/** The account's lease passed to another instance while this one was polling it. */
export class LeaseLostError extends FacteurError {
  readonly code = 'follow-up-lease-lost';
  constructor(readonly accountId: string) {
    super(
      `follow-up lease of account ${accountId} lost`,
      'Le suivi de ce compte a été repris par une autre instance.',
    );
  }
}

/**
 * Inside a write transaction: the account's lease must still be `owner`'s (fencing: a poller
 * whose lease passed to another instance writes nothing more). Locks the account's row on
 * PostgreSQL, so a take-over waits for this transaction.
 */
export async function assertLease(tx: SqlExecutor, accountId: string, owner: string): Promise<void> {
  const row = await tx.one<{ lease_owner: string | null }>(
    `SELECT lease_owner FROM follow_up_accounts WHERE account_id = ?${forUpdate(tx.dialect)}`,
    [accountId],
  );
  if (row?.lease_owner !== owner) throw new LeaseLostError(accountId);
}

type LeaseMethods = Pick<
  FollowUpStore,
  | 'dueAccounts'
  | 'acquireLease'
  | 'renewLease'
  | 'releaseLease'
  | 'accountState'
  | 'reschedule'
  | 'finishPoll'
  | 'setNotifications'
  | 'notificationsEnabled'
>;

export function createFollowUpLeases(ctx: StoreContext): LeaseMethods {
  const { db } = ctx;
  return {
    async dueAccounts(now, limit = 1000) {
      const t = now.getTime();
      // Two index ranges (never polled, due by now): the cost follows the due invoices, not all.
      const rows = await db.all<{ account_id: string }>(
        `SELECT f.account_id FROM (
           SELECT account_id, 0 AS next_poll_at FROM followed_invoices WHERE active = 1 AND next_poll_at IS NULL
           UNION ALL
           SELECT account_id, next_poll_at FROM followed_invoices WHERE active = 1 AND next_poll_at <= ?
         ) f
         LEFT JOIN follow_up_accounts a ON a.account_id = f.account_id
         WHERE (a.retry_at IS NULL OR a.retry_at <= ?) AND (a.lease_until IS NULL OR a.lease_until <= ?)
         GROUP BY f.account_id ORDER BY MIN(f.next_poll_at) LIMIT ?`,
        [t, t, t, clampLimit(limit, 1000)],
      );
      return rows.map((r) => String(r.account_id));
    },

    async acquireLease(accountId, owner, until) {
      const at = nowMs(ctx);
      return db.transaction(async (tx) => {
        await ensureAccount(tx, accountId, at);
        const n = await tx.run(
          `UPDATE follow_up_accounts SET lease_owner = ?, lease_until = ?, updated_at = ?
           WHERE account_id = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until IS NULL OR lease_until <= ?)`,
          [owner, until.getTime(), at, accountId, owner, at],
        );
        return n > 0;
      });
    },

    async renewLease(accountId, owner, until) {
      const n = await db.run(
        'UPDATE follow_up_accounts SET lease_until = ?, updated_at = ? WHERE account_id = ? AND lease_owner = ?',
        [until.getTime(), nowMs(ctx), accountId, owner],
      );
      return n > 0;
    },

    async releaseLease(accountId, owner) {
      await db.run(
        'UPDATE follow_up_accounts SET lease_owner = NULL, lease_until = NULL WHERE account_id = ? AND lease_owner = ?',
        [accountId, owner],
      );
    },

    async accountState(accountId): Promise<FollowUpAccountState> {
      const r = await db.one('SELECT * FROM follow_up_accounts WHERE account_id = ?', [accountId]);
      if (!r) return { accountId, notifications: true, failures: 0 };
      const cursorAt = optionalIsoTime(r.cursor_at);
      const retryAt = optionalIsoTime(r.retry_at);
      const leaseUntil = optionalIsoTime(r.lease_until);
      const lastPollAt = optionalIsoTime(r.last_poll_at);
      return {
        accountId,
        notifications: Number(r.notifications) === 1,
        failures: Number(r.failures),
        ...(cursorAt ? { cursorAt } : {}),
        ...(retryAt ? { retryAt } : {}),
        ...(optionalString(r.lease_owner) ? { leaseOwner: optionalString(r.lease_owner) } : {}),
        ...(leaseUntil ? { leaseUntil } : {}),
        ...(lastPollAt ? { lastPollAt } : {}),
      };
    },

    async reschedule(accountId, now, s, jitterMs) {
      const t = now.getTime();
      const day = 86_400_000;
      const params =
        s.fixedMs !== undefined
          ? [s.fixedMs, s.fixedMs, s.fixedMs]
          : [s.firstDayMs, s.firstWeekMs, s.laterMs];
      await db.transaction(async (tx) => {
        // Too old without a final status (the buyer never reports its payment): stop following.
        if (s.fixedMs === undefined)
          await tx.run(
            `UPDATE followed_invoices SET active = 0, next_poll_at = NULL, updated_at = ?
             WHERE account_id = ? AND active = 1 AND deposited_at < ?`,
            [t, accountId, t - s.maxAgeMs],
          );
        const next = (interval: number) => t + jitterMs + interval;
        // The never-polled and the due, as two index ranges (an OR would read every invoice).
        for (const due of ['next_poll_at IS NULL', 'next_poll_at <= ?'])
          await tx.run(
            `UPDATE followed_invoices SET next_poll_at = CASE WHEN deposited_at > ? THEN CAST(? AS BIGINT)
               WHEN deposited_at > ? THEN CAST(? AS BIGINT) ELSE CAST(? AS BIGINT) END
             WHERE account_id = ? AND active = 1 AND ${due}`,
            [
              t - day,
              next(params[0]!),
              t - 7 * day,
              next(params[1]!),
              next(params[2]!),
              accountId,
              ...(due.includes('?') ? [t] : []),
            ],
          );
      });
    },

    async finishPoll(accountId, result) {
      const at = nowMs(ctx);
      await db.transaction(async (tx) => {
        await ensureAccount(tx, accountId, at);
        if (result.ok)
          await tx.run(
            `UPDATE follow_up_accounts SET cursor_at = ?, failures = 0, retry_at = NULL, last_poll_at = ?, updated_at = ?
             WHERE account_id = ?`,
            [result.cursorAt.getTime(), at, at, accountId],
          );
        else
          await tx.run(
            `UPDATE follow_up_accounts SET failures = failures + 1, retry_at = ?, last_poll_at = ?, updated_at = ?
             WHERE account_id = ?`,
            [result.retryAt.getTime(), at, at, accountId],
          );
      });
    },

    async setNotifications(accountId, enabled) {
      const at = nowMs(ctx);
      await db.transaction(async (tx) => {
        await ensureAccount(tx, accountId, at);
        await tx.run('UPDATE follow_up_accounts SET notifications = ?, updated_at = ? WHERE account_id = ?', [
          enabled ? 1 : 0,
          at,
          accountId,
        ]);
      });
    },

    async notificationsEnabled(accountId) {
      const r = await db.one<{ notifications: number | string }>(
        'SELECT notifications FROM follow_up_accounts WHERE account_id = ?',
        [accountId],
      );
      return !r || Number(r.notifications) === 1;
    },
  };
}
