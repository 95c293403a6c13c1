import type { Migration } from './migrations.js';

/** Issue #11, follow-up engine: versions 20–29. */
export const FOLLOW_UP_MIGRATIONS: readonly Migration[] = [
  {
    version: 20,
    name: 'followed invoices, follow-up accounts (cursor, lease), notification outbox',
    sql: (d) => `
CREATE TABLE followed_invoices (
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  chorus_invoice_id BIGINT NOT NULL,
  conversation_id TEXT,
  channel TEXT NOT NULL,
  user_id TEXT NOT NULL,
  provisional_number TEXT,
  invoice_number TEXT NOT NULL,
  invoice_date TEXT,
  recipient_siret TEXT NOT NULL,
  recipient_name TEXT,
  buyer_kind TEXT,
  total_incl_tax_cents BIGINT NOT NULL,
  currency TEXT NOT NULL,
  deposited_at BIGINT NOT NULL,
  status TEXT NOT NULL,
  status_at BIGINT NOT NULL,
  status_comment TEXT,
  history TEXT NOT NULL,
  payment_due_by TEXT,
  paid_on TEXT,
  active INTEGER NOT NULL,
  next_poll_at BIGINT,
  deadline_notified INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, chorus_invoice_id)
);
CREATE INDEX followed_due ON followed_invoices(active, next_poll_at, account_id);
CREATE INDEX followed_account ON followed_invoices(account_id, deposited_at);
CREATE INDEX followed_conversation ON followed_invoices(conversation_id);
CREATE INDEX followed_number ON followed_invoices(account_id, invoice_number);
CREATE TABLE follow_up_accounts (
  account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  notifications INTEGER NOT NULL DEFAULT 1,
  cursor_at BIGINT,
  retry_at BIGINT,
  failures INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_until BIGINT,
  last_poll_at BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE TABLE follow_up_outbox (
  id ${d === 'postgres' ? 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT'},
  dedup_key TEXT NOT NULL UNIQUE,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  chorus_invoice_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT,
  channel TEXT NOT NULL,
  user_id TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  available_at BIGINT NOT NULL,
  claimed_by TEXT,
  claimed_until BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0,
  delivered_at BIGINT,
  skipped TEXT,
  last_error TEXT
);
CREATE INDEX outbox_pending ON follow_up_outbox(delivered_at, channel, available_at);
CREATE INDEX outbox_user ON follow_up_outbox(channel, user_id, delivered_at);
CREATE INDEX outbox_account ON follow_up_outbox(account_id, id);
`,
  },
  {
    version: 21,
    name: 'follow-up indexes: an account poll reads its due and overdue invoices only',
    // Without them an account's reschedule and overdue look-up read every invoice it follows, and
    // the adoption of new deposits every deposit, so a cycle's cost grew with the invoices
    // followed, not with the accounts and the changes.
    sql: () => `
CREATE INDEX followed_account_due ON followed_invoices(account_id, active, next_poll_at);
CREATE INDEX followed_overdue ON followed_invoices(account_id, active, deadline_notified, payment_due_by);
CREATE INDEX deposits_completed ON deposits(state, completed_at);
`,
  },
];
