import type { ChannelKind } from '../machine/conversation-port.js';
import { isoTime, optionalIsoTime, optionalString } from './context.js';
import type { FollowedInvoice, OutboxInput } from './follow-up-types.js';
import { decodeJson, encodeJson } from './json.js';
import type { Row, SqlExecutor } from './sql/driver.js';

/** The rows of the follow-up tables, shared by the tracking, query and lease parts of the store. */

export const COLUMNS = `account_id, chorus_invoice_id, conversation_id, channel, user_id, provisional_number, invoice_number,
  invoice_date, recipient_siret, recipient_name, buyer_kind, total_incl_tax_cents, currency, deposited_at, status,
  status_at, status_comment, history, payment_due_by, paid_on, active, next_poll_at, deadline_notified`;

export function toInvoice(r: Row): FollowedInvoice {
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

export const ensureAccount = (tx: SqlExecutor, accountId: string, at: number) =>
  tx.run(
    'INSERT INTO follow_up_accounts (account_id, updated_at) VALUES (?, ?) ON CONFLICT (account_id) DO NOTHING',
    [accountId, at],
  );

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
