import type { DepositReceipt } from '../deposit/port.js';
import { type StoreContext, clampLimit, isoTime, nowMs, optionalIsoTime, optionalString } from './context.js';
import { ConversationNotFoundError } from './errors.js';
import { decodeJson, encodeJson } from './json.js';
import type { Row } from './sql/driver.js';
import type { DepositRecord, DepositState, DepositStore } from './types.js';

const COLUMNS = `conversation_id, account_id, state, invoice_number, invoice_date, attempts, started_at, completed_at,
  receipt, receipt_file_id, error`;

function toDeposit(row: Row): DepositRecord {
  const completedAt = optionalIsoTime(row.completed_at);
  const receiptFileId = optionalString(row.receipt_file_id);
  const error = optionalString(row.error);
  return {
    conversationId: String(row.conversation_id),
    accountId: String(row.account_id),
    state: row.state as DepositState,
    invoiceNumber: String(row.invoice_number),
    invoiceDate: String(row.invoice_date),
    attempts: Number(row.attempts),
    startedAt: isoTime(row.started_at),
    ...(completedAt ? { completedAt } : {}),
    ...(row.receipt !== null && row.receipt !== undefined
      ? { receipt: decodeJson<DepositReceipt>(String(row.receipt)) }
      : {}),
    ...(receiptFileId !== undefined ? { receiptFileId } : {}),
    ...(error !== undefined ? { error } : {}),
  };
}

export function createDepositStore(ctx: StoreContext): DepositStore {
  const { db } = ctx;

  /** Updates the record, creating it from the conversation when no submit was marked before. */
  const finish = async (
    conversationId: string,
    state: DepositState,
    fields: {
      receipt: string | null;
      receiptFileId: string | null;
      error: string | null;
      invoiceNumber?: string;
      invoiceDate?: string;
    },
  ): Promise<DepositRecord> => {
    const at = nowMs(ctx);
    return db.transaction(
      async (tx) => {
        const updated = await tx.one(
          `UPDATE deposits SET state = ?, completed_at = ?, receipt = COALESCE(?, receipt),
           receipt_file_id = COALESCE(?, receipt_file_id), error = ?
         WHERE conversation_id = ? AND (state <> 'deposited' OR ? = 'deposited') RETURNING ${COLUMNS}`,
          [state, at, fields.receipt, fields.receiptFileId, fields.error, conversationId, state],
        );
        if (updated) return toDeposit(updated);
        // A deposited invoice stays deposited: a late failure report does not undo it.
        const existing = await tx.one(`SELECT ${COLUMNS} FROM deposits WHERE conversation_id = ?`, [
          conversationId,
        ]);
        if (existing) return toDeposit(existing);
        const conversation = await tx.one<{ account_id: string }>(
          'SELECT account_id FROM conversations WHERE id = ?',
          [conversationId],
        );
        if (!conversation) throw new ConversationNotFoundError(conversationId);
        const inserted = await tx.one(
          `INSERT INTO deposits (conversation_id, account_id, state, invoice_number, invoice_date, attempts, started_at,
           completed_at, receipt, receipt_file_id, error)
         VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
          [
            conversationId,
            conversation.account_id,
            state,
            fields.invoiceNumber ?? '',
            fields.invoiceDate ?? '',
            at,
            at,
            fields.receipt,
            fields.receiptFileId,
            fields.error,
          ],
        );
        if (!inserted) throw new Error('deposit insert returned no row');
        return toDeposit(inserted);
      },
      { durable: true },
    );
  };

  return {
    async markInFlight(input) {
      const at = nowMs(ctx);
      // One statement: a deposited record is never moved back (the WHERE of the upsert).
      // Durable: this marker is what prevents a second deposit after a crash, even a power cut.
      const row = await db.transaction(
        (tx) =>
          tx.one(
            `INSERT INTO deposits (conversation_id, account_id, state, invoice_number, invoice_date, attempts, started_at)
         VALUES (?, ?, 'in-flight', ?, ?, 1, ?)
         ON CONFLICT (conversation_id) DO UPDATE SET state = 'in-flight', invoice_number = excluded.invoice_number,
           invoice_date = excluded.invoice_date, attempts = deposits.attempts + 1, started_at = excluded.started_at,
           completed_at = NULL, error = NULL
         WHERE deposits.state <> 'deposited'
         RETURNING conversation_id`,
            [input.conversationId, input.accountId, input.invoiceNumber, input.invoiceDate, at],
          ),
        { durable: true },
      );
      return row !== undefined;
    },
    complete: (conversationId, receipt, receiptFileId) =>
      finish(conversationId, 'deposited', {
        receipt: encodeJson(receipt),
        receiptFileId: receiptFileId ?? null,
        error: null,
        invoiceNumber: receipt.invoiceNumber,
        invoiceDate: receipt.depositedAt.slice(0, 10),
      }),
    fail: (conversationId, error) =>
      finish(conversationId, 'failed', { receipt: null, receiptFileId: null, error: error.slice(0, 1000) }),
    async get(conversationId) {
      const row = await db.one(`SELECT ${COLUMNS} FROM deposits WHERE conversation_id = ?`, [conversationId]);
      return row ? toDeposit(row) : undefined;
    },
    async listByAccount(accountId, options = {}) {
      const rows = await db.all(
        `SELECT ${COLUMNS} FROM deposits WHERE account_id = ?${options.state ? ' AND state = ?' : ''}
         ORDER BY started_at DESC LIMIT ?`,
        options.state
          ? [accountId, options.state, clampLimit(options.limit)]
          : [accountId, clampLimit(options.limit)],
      );
      return rows.map(toDeposit);
    },
    async count(accountId, options = {}) {
      const row = await db.one<{ n: number | string }>(
        `SELECT COUNT(*) AS n FROM deposits WHERE account_id = ?${options.state ? ' AND state = ?' : ''}`,
        options.state ? [accountId, options.state] : [accountId],
      );
      return Number(row?.n ?? 0);
    },
    async listInFlight() {
      const rows = await db.all(
        `SELECT ${COLUMNS} FROM deposits WHERE state = 'in-flight' ORDER BY started_at`,
      );
      return rows.map(toDeposit);
    },
  };
}
