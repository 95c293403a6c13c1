import type { ChannelKind } from '../machine/conversation-port.js';
import type { DepositReceipt } from '../deposit/port.js';
import { type StoreContext, clampLimit, nowMs } from './context.js';
import { assertLease, createFollowUpLeases } from './follow-up-leases.js';
import { createFollowUpQueries } from './follow-up-queries.js';
import { COLUMNS, ensureAccount, insertOutbox } from './follow-up-rows.js';
import type { FollowUpStore } from './follow-up-types.js';
import { formatProvisional } from './provisional.js';
import { decodeJson, encodeJson } from './json.js';
import type { Row, SqlExecutor } from './sql/driver.js';

/**
 * The follow-up store: the tracking side is here (invoices followed, their changes recorded with
 * their notifications in one transaction); the reads are in `follow-up-queries.ts`, the poll
 * schedule and the leases between instances in `follow-up-leases.ts`.
 */
export { insertOutbox } from './follow-up-rows.js';

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
    ...createFollowUpQueries(ctx),
    ...createFollowUpLeases(ctx),

    track: (input) => db.transaction((tx) => track(tx, input)),

    async adoptDeposits(limit = 200, since) {
      const rows = await db.all<Row>(
        `SELECT d.conversation_id, d.account_id, d.receipt, c.started_channel, c.started_user_id, c.provisional_year,
           c.provisional_seq
         FROM deposits d JOIN conversations c ON c.id = d.conversation_id
         LEFT JOIN followed_invoices f ON f.conversation_id = d.conversation_id
         WHERE d.state = 'deposited' AND d.receipt IS NOT NULL AND f.conversation_id IS NULL
           ${since ? 'AND d.completed_at >= ?' : ''}
         ORDER BY d.completed_at LIMIT ?`,
        since ? [since.getTime(), clampLimit(limit)] : [clampLimit(limit)],
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

    applyChange(accountId, id, change, notifications, owner) {
      const at = nowMs(ctx);
      return db.transaction(async (tx) => {
        if (owner !== undefined) await assertLease(tx, accountId, owner);
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

    markDeadlineNotified(accountId, id, notification, owner) {
      const at = nowMs(ctx);
      return db.transaction(async (tx) => {
        if (owner !== undefined) await assertLease(tx, accountId, owner);
        const n = await tx.run(
          `UPDATE followed_invoices SET deadline_notified = 1, updated_at = ?
           WHERE account_id = ? AND chorus_invoice_id = ? AND deadline_notified = 0`,
          [at, accountId, id],
        );
        return n > 0 ? insertOutbox(tx, at, [notification]) : 0;
      });
    },
  };
}
