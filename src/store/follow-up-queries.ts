import { type StoreContext, clampLimit, placeholders } from './context.js';
import type { FollowedInvoice, FollowUpStore } from './follow-up-types.js';
import { COLUMNS, toInvoice } from './follow-up-rows.js';

/** The read side of the follow-up store: the followed invoices by account, number, deadline. */

type QueryMethods = Pick<
  FollowUpStore,
  'get' | 'getMany' | 'listByAccount' | 'findByNumber' | 'activeAccounts' | 'overdue' | 'countActive'
>;

export function createFollowUpQueries(ctx: StoreContext): QueryMethods {
  const { db } = ctx;
  return {
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

    async activeAccounts() {
      const rows = await db.all<{ account_id: string }>(
        // One index probe per account (a DISTINCT over the invoices would read them all).
        `SELECT a.account_id FROM follow_up_accounts a
         WHERE EXISTS (SELECT 1 FROM followed_invoices f WHERE f.account_id = a.account_id AND f.active = 1)
         ORDER BY a.account_id`,
      );
      return rows.map((r) => String(r.account_id));
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

    async countActive() {
      const r = await db.one<{ n: number | string }>(
        'SELECT COUNT(*) AS n FROM followed_invoices WHERE active = 1',
      );
      return Number(r?.n ?? 0);
    },
  };
}
