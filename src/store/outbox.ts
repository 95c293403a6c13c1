import type { ChannelKind } from '../machine/conversation-port.js';
import {
  type StoreContext,
  clampLimit,
  isoTime,
  nowMs,
  optionalIsoTime,
  optionalString,
  placeholders,
} from './context.js';
import type { OutboxEntry, OutboxStore } from './follow-up-types.js';
import { decodeJson } from './json.js';
import type { Row } from './sql/driver.js';

const COLUMNS = `id, dedup_key, account_id, chorus_invoice_id, kind, status, channel, user_id, payload, created_at,
  attempts, delivered_at, skipped`;

function toEntry(r: Row): OutboxEntry {
  const deliveredAt = optionalIsoTime(r.delivered_at);
  const skipped = optionalString(r.skipped);
  const status = optionalString(r.status);
  return {
    id: Number(r.id),
    dedupKey: String(r.dedup_key),
    accountId: String(r.account_id),
    chorusInvoiceId: Number(r.chorus_invoice_id),
    kind: String(r.kind) as OutboxEntry['kind'],
    ...(status ? { status } : {}),
    channel: String(r.channel) as ChannelKind,
    userId: String(r.user_id),
    payload: decodeJson(String(r.payload)),
    createdAt: isoTime(r.created_at),
    attempts: Number(r.attempts),
    ...(deliveredAt ? { deliveredAt } : {}),
    ...(skipped ? { skipped } : {}),
  };
}

/**
 * The notification outbox: rows are written with the status change they announce (same
 * transaction), then claimed for a short while by one sender (the claim renewed while its send
 * runs), marked delivered once sent. A sender that dies leaves its claim to lapse; any instance
 * then sends the row. Owners are per process: a row claimed by this owner is never in flight
 * elsewhere, and the dispatcher of one process is serial, so it may take its own claims back.
 */
export function createOutboxStore(ctx: StoreContext): OutboxStore {
  const { db } = ctx;

  return {
    async claim(channels, owner, leaseMs, limit = 50) {
      if (channels.length === 0) return [];
      const at = nowMs(ctx);
      return db.transaction(async (tx) => {
        const lock = tx.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
        const rows = await tx.all<{ id: number | string }>(
          `SELECT id FROM follow_up_outbox
           WHERE delivered_at IS NULL AND channel IN ${placeholders(channels.length)} AND available_at <= ?
             AND (claimed_until IS NULL OR claimed_until <= ? OR claimed_by = ?)
           ORDER BY id LIMIT ?${lock}`,
          [...channels, at, at, owner, clampLimit(limit)],
        );
        if (rows.length === 0) return [];
        const ids = rows.map((r) => Number(r.id));
        const claimed = await tx.all(
          `UPDATE follow_up_outbox SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1
           WHERE id IN ${placeholders(ids.length)} AND delivered_at IS NULL
             AND (claimed_until IS NULL OR claimed_until <= ? OR claimed_by = ?)
           RETURNING ${COLUMNS}`,
          [owner, at + leaseMs, ...ids, at, owner],
        );
        return claimed.map(toEntry).sort((a, b) => a.id - b.id);
      });
    },

    async claimFor(channel, userId, owner, leaseMs) {
      const at = nowMs(ctx);
      const rows = await db.transaction((tx) =>
        tx.all(
          `UPDATE follow_up_outbox SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1
           WHERE channel = ? AND user_id = ? AND delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until <= ?)
           RETURNING ${COLUMNS}`,
          [owner, at + leaseMs, channel, userId, at],
        ),
      );
      return rows.map(toEntry).sort((a, b) => a.id - b.id);
    },

    async extendClaim(id, owner, leaseMs) {
      const n = await db.run(
        'UPDATE follow_up_outbox SET claimed_until = ? WHERE id = ? AND claimed_by = ? AND delivered_at IS NULL',
        [nowMs(ctx) + leaseMs, id, owner],
      );
      return n > 0;
    },

    async markDelivered(id, owner) {
      const n = await db.run(
        `UPDATE follow_up_outbox SET delivered_at = ?, claimed_until = NULL, last_error = NULL
         WHERE id = ? AND claimed_by = ? AND delivered_at IS NULL`,
        [nowMs(ctx), id, owner],
      );
      return n > 0;
    },

    async markFailed(id, owner, error, retryAt) {
      await db.run(
        `UPDATE follow_up_outbox SET delivered_at = NULL, claimed_until = NULL, claimed_by = NULL, available_at = ?,
           last_error = ?
         WHERE id = ? AND claimed_by = ?`,
        [retryAt.getTime(), error.slice(0, 500), id, owner],
      );
    },

    async list(options = {}) {
      const rows = await db.all(
        `SELECT ${COLUMNS} FROM follow_up_outbox${options.accountId ? ' WHERE account_id = ?' : ''} ORDER BY id LIMIT ?`,
        options.accountId
          ? [options.accountId, clampLimit(options.limit, 1000)]
          : [clampLimit(options.limit, 1000)],
      );
      return rows.map(toEntry);
    },
  };
}
