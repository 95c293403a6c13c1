import type { ChannelKind } from '../machine/conversation-port.js';
import type { DepositReceipt } from '../deposit/port.js';
import {
  type StoreContext,
  clampLimit,
  isoTime,
  nowMs,
  optionalIsoTime,
  optionalString,
  placeholders,
} from './context.js';
import type { FollowedInvoice, FollowUpAccountState, FollowUpStore, OutboxInput } from './follow-up-types.js';
import { formatProvisional } from './provisional.js';
import { decodeJson, encodeJson } from './json.js';
import type { Row, SqlExecutor } from './sql/driver.js';

const COLUMNS = `account_id, chorus_invoice_id, conversation_id, channel, user_id, provisional_number, invoice_number,
  invoice_date, recipient_siret, recipient_name, buyer_kind, total_incl_tax_cents, currency, deposited_at, status,
  status_at, status_comment, history, payment_due_by, paid_on, active, next_poll_at, deadline_notified`;

function toInvoice(r: Row): FollowedInvoice {
  const opt = (v: unknown) => optionalString(v);
  const nextPollAt = optionalIsoTime(r.next_poll_at);
  return {
    accountId: String(r.account_id),
    chorusInvoiceId: Number(r.chorus_invoice_id),
    ...(opt(r.conversation_id) ? { conversationId: opt(r.conversation_id) } : {}),
    channel: String(r.channel) as ChannelKind,
    userId: String(r.user_id),
    ...(opt(r.provisional_number) ? { provisionalNumber: opt(r.provisional_number) } : {}),
    invoiceNumber: String(r.invoice_number),
    ...(opt(r.invoice_date) ? { invoiceDate: opt(r.invoice_date) } : {}),
    recipientSiret: String(r.recipient_siret),
    ...(opt(r.recipient_name) ? { recipientName: opt(r.recipient_name) } : {}),
    ...(opt(r.buyer_kind) ? { buyerKind: opt(r.buyer_kind) } : {}),
    totalInclTaxCents: Number(r.total_incl_tax_cents),
    currency: String(r.currency),
    depositedAt: isoTime(r.deposited_at),
    status: String(r.status),
    statusAt: isoTime(r.status_at),
    ...(opt(r.status_comment) ? { statusComment: opt(r.status_comment) } : {}),
    history: decodeJson(String(r.history)),
    ...(opt(r.payment_due_by) ? { paymentDueBy: opt(r.payment_due_by) } : {}),
    ...(opt(r.paid_on) ? { paidOn: opt(r.paid_on) } : {}),
    active: Number(r.active) === 1,
    ...(nextPollAt ? { nextPollAt } : {}),
    deadlineNotified: Number(r.deadline_notified) === 1,
  };
}

/** Inserts the notifications (skipped when the account turned them off); resolves how many were new. */
export async function insertOutbox(tx: SqlExecutor, at: number, rows: OutboxInput[]): Promise<number> {
  if (rows.length === 0) return 0;
  const account = await tx.one<{ notifications: number | string }>(
    'SELECT notifications FROM follow_up_accounts WHERE account_id = ?',
    [rows[0]!.accountId],
  );
  const skipped = account && Number(account.notifications) === 0 ? 'notifications-off' : null;
  let inserted = 0;
  for (const n of rows) {
    inserted += await tx.run(
      `INSERT INTO follow_up_outbox (dedup_key, account_id, chorus_invoice_id, kind, status, channel, user_id, payload,
         created_at, available_at, delivered_at, skipped)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING`,
      [
        n.dedupKey,
        n.accountId,
        n.chorusInvoiceId,
        n.kind,
        n.status ?? null,
        n.channel,
        n.userId,
        encodeJson(n.payload),
        at,
        at,
        skipped ? at : null,
        skipped,
      ],
    );
  }
  return inserted;
}

const ensureAccount = (tx: SqlExecutor, accountId: string, at: number) =>
  tx.run(
    'INSERT INTO follow_up_accounts (account_id, updated_at) VALUES (?, ?) ON CONFLICT (account_id) DO NOTHING',
    [accountId, at],
  );

export function createFollowUpStore(ctx: StoreContext): FollowUpStore {
  const { db } = ctx;

  async function track(tx: SqlExecutor, input: Parameters<FollowUpStore['track']>[0]): Promise<boolean> {
    const at = nowMs(ctx);
    const deposited = Date.parse(input.depositedAt);
    const n = await tx.run(
      `INSERT INTO followed_invoices (${COLUMNS}, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 1, ?, 0, ?, ?)
       ON CONFLICT (account_id, chorus_invoice_id) DO NOTHING`,
      [
        input.accountId,
        input.chorusInvoiceId,
        input.conversationId ?? null,
        input.channel,
        input.userId,
        input.provisionalNumber ?? null,
        input.invoiceNumber,
        input.invoiceDate ?? null,
        input.recipientSiret,
        input.recipientName ?? null,
        input.buyerKind ?? null,
        input.totalInclTaxCents,
        input.currency,
        deposited,
        input.status,
        Date.parse(input.statusAt ?? input.depositedAt),
        input.statusComment ?? null,
        '[]',
        input.paymentDueBy ?? null,
        at,
        at,
        at,
      ],
    );
    if (n === 0) return false;
    await ensureAccount(tx, input.accountId, at);
    // The account's search must reach back to this deposit (an invoice adopted late).
    await tx.run(
      'UPDATE follow_up_accounts SET cursor_at = ? WHERE account_id = ? AND (cursor_at IS NULL OR cursor_at > ?)',
      [deposited, input.accountId, deposited],
    );
    return true;
  }

  return {
    track: (input) => db.transaction((tx) => track(tx, input)),

    async adoptDeposits(limit = 200) {
      const rows = await db.all<Row>(
        `SELECT d.conversation_id, d.account_id, d.receipt, c.started_channel, c.started_user_id, c.provisional_year,
           c.provisional_seq
         FROM deposits d JOIN conversations c ON c.id = d.conversation_id
         LEFT JOIN followed_invoices f ON f.conversation_id = d.conversation_id
         WHERE d.state = 'deposited' AND d.receipt IS NOT NULL AND f.conversation_id IS NULL
         ORDER BY d.completed_at LIMIT ?`,
        [clampLimit(limit)],
      );
      let adopted = 0;
      for (const r of rows) {
        const receipt = decodeJson<DepositReceipt>(String(r.receipt));
        const done = await db.transaction((tx) =>
          track(tx, {
            accountId: String(r.account_id),
            chorusInvoiceId: receipt.chorusInvoiceId,
            conversationId: String(r.conversation_id),
            channel: String(r.started_channel) as ChannelKind,
            userId: String(r.started_user_id),
            provisionalNumber: formatProvisional(Number(r.provisional_year), Number(r.provisional_seq)),
            invoiceNumber: receipt.invoiceNumber,
            recipientSiret: receipt.recipientSiret,
            ...(receipt.recipientName ? { recipientName: receipt.recipientName } : {}),
            totalInclTaxCents: receipt.totalInclTaxCents,
            currency: receipt.currency,
            depositedAt: receipt.depositedAt,
            status: receipt.status,
          }),
        );
        if (done) adopted++;
      }
      return adopted;
    },

    async get(accountId, id) {
      const row = await db.one(
        `SELECT ${COLUMNS} FROM followed_invoices WHERE account_id = ? AND chorus_invoice_id = ?`,
        [accountId, id],
      );
      return row ? toInvoice(row) : undefined;
    },

    async getMany(accountId, ids) {
      const out: FollowedInvoice[] = [];
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const rows = await db.all(
          `SELECT ${COLUMNS} FROM followed_invoices WHERE account_id = ? AND chorus_invoice_id IN ${placeholders(chunk.length)}`,
          [accountId, ...chunk],
        );
        out.push(...rows.map(toInvoice));
      }
      return out;
    },

    async listByAccount(accountId, options = {}) {
      const rows = await db.all(
        `SELECT ${COLUMNS} FROM followed_invoices WHERE account_id = ?
         ORDER BY deposited_at DESC, chorus_invoice_id DESC LIMIT ? OFFSET ?`,
        [accountId, clampLimit(options.limit, 1000), Math.max(0, Math.floor(options.offset ?? 0))],
      );
      return rows.map(toInvoice);
    },

    async findByNumber(accountId, invoiceNumber) {
      const row = await db.one(
        `SELECT ${COLUMNS} FROM followed_invoices WHERE account_id = ? AND UPPER(invoice_number) = UPPER(?)
         ORDER BY deposited_at DESC LIMIT 1`,
        [accountId, invoiceNumber.trim()],
      );
      return row ? toInvoice(row) : undefined;
    },

    async dueAccounts(now, limit = 1000) {
      const t = now.getTime();
      const rows = await db.all<{ account_id: string }>(
        `SELECT f.account_id FROM followed_invoices f
         LEFT JOIN follow_up_accounts a ON a.account_id = f.account_id
         WHERE f.active = 1 AND (f.next_poll_at IS NULL OR f.next_poll_at <= ?)
           AND (a.retry_at IS NULL OR a.retry_at <= ?)
           AND (a.lease_until IS NULL OR a.lease_until <= ?)
         GROUP BY f.account_id ORDER BY MIN(COALESCE(f.next_poll_at, 0)) LIMIT ?`,
        [t, t, t, clampLimit(limit, 1000)],
      );
      return rows.map((r) => String(r.account_id));
    },

    async activeAccounts() {
      const rows = await db.all<{ account_id: string }>(
        'SELECT DISTINCT account_id FROM followed_invoices WHERE active = 1 ORDER BY account_id',
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

    applyChange(accountId, id, change, notifications) {
      const at = nowMs(ctx);
      return db.transaction(async (tx) => {
        await tx.run(
          `UPDATE followed_invoices SET status = ?, status_at = ?, status_comment = ?, history = ?, payment_due_by = ?,
             paid_on = ?, active = ?, updated_at = ?
           WHERE account_id = ? AND chorus_invoice_id = ?`,
          [
            change.status,
            Date.parse(change.statusAt),
            change.statusComment ?? null,
            encodeJson(change.history),
            change.paymentDueBy ?? null,
            change.paidOn ?? null,
            change.active ? 1 : 0,
            at,
            accountId,
            id,
          ],
        );
        return insertOutbox(tx, at, notifications);
      });
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
        await tx.run(
          `UPDATE followed_invoices SET next_poll_at = CASE WHEN deposited_at > ? THEN CAST(? AS BIGINT)
             WHEN deposited_at > ? THEN CAST(? AS BIGINT) ELSE CAST(? AS BIGINT) END
           WHERE account_id = ? AND active = 1 AND (next_poll_at IS NULL OR next_poll_at <= ?)`,
          [t - day, next(params[0]!), t - 7 * day, next(params[1]!), next(params[2]!), accountId, t],
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

    async overdue(accountId, today, limit = 500) {
      const rows = await db.all(
        `SELECT ${COLUMNS} FROM followed_invoices
         WHERE account_id = ? AND active = 1 AND deadline_notified = 0 AND paid_on IS NULL
           AND payment_due_by IS NOT NULL AND payment_due_by < ?
         ORDER BY payment_due_by LIMIT ?`,
        [accountId, today, clampLimit(limit, 1000)],
      );
      return rows.map(toInvoice);
    },

    markDeadlineNotified(accountId, id, notification) {
      const at = nowMs(ctx);
      return db.transaction(async (tx) => {
        const n = await tx.run(
          `UPDATE followed_invoices SET deadline_notified = 1, updated_at = ?
           WHERE account_id = ? AND chorus_invoice_id = ? AND deadline_notified = 0`,
          [at, accountId, id],
        );
        return n > 0 ? insertOutbox(tx, at, [notification]) : 0;
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

    async countActive() {
      const r = await db.one<{ n: number | string }>(
        'SELECT COUNT(*) AS n FROM followed_invoices WHERE active = 1',
      );
      return Number(r?.n ?? 0);
    },
  };
}
