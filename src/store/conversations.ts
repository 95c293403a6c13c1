import { type StoreContext, clampLimit, nowMs, placeholders } from './context.js';
import {
  AccountNotFoundError,
  ConversationNotFoundError,
  DuplicateEventError,
  RevisionConflictError,
} from './errors.js';
import { removeBlobs } from './files.js';
import { newConversationId } from './ids.js';
import { encodeJson } from './json.js';
import { identityLookupKey } from './normalize.js';
import { nextProvisional, parseProvisional, provisionalYear } from './provisional.js';
import { forUpdate, isUniqueViolation } from './sql/driver.js';
import { COLUMNS, findApplied, setCurrent, toConversation, whereOf } from './conversation-rows.js';
import type { ConversationStatus, ConversationStore } from './types.js';

const DEFAULT_INACTIVE_STATUSES: ConversationStatus[] = ['open'];

export function createConversationStore(ctx: StoreContext): ConversationStore {
  const { db } = ctx;

  return {
    async create(input) {
      const startedBy = identityLookupKey(input.startedBy);
      const snapshot = encodeJson(input.snapshot);
      const result = input.idempotencyKey !== undefined ? encodeJson(input.result ?? null) : null;
      try {
        return await db.transaction(async (tx) => {
          if (input.idempotencyKey !== undefined) {
            const previous = await findApplied(tx, input.idempotencyKey);
            if (previous) throw new DuplicateEventError(previous);
          }
          const account = await tx.one('SELECT id FROM accounts WHERE id = ?', [input.accountId]);
          if (!account) throw new AccountNotFoundError(input.accountId);
          const now = ctx.now();
          const at = now.getTime();
          const year = provisionalYear(now);
          const seq = await nextProvisional(tx, input.accountId, year);
          const id = newConversationId();
          const row = await tx.one(
            `INSERT INTO conversations (id, account_id, started_channel, started_user_id, provisional_year, provisional_seq,
               status, snapshot, machine_version, revision, created_at, updated_at, last_activity_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING ${COLUMNS}`,
            [
              id,
              input.accountId,
              startedBy.channel,
              startedBy.userId,
              year,
              seq,
              input.status ?? 'open',
              snapshot,
              input.machineVersion,
              at,
              at,
              at,
            ],
          );
          if (!row) throw new Error('conversation insert returned no row');
          if (input.idempotencyKey !== undefined) {
            await tx.run(
              `INSERT INTO applied_events (idempotency_key, conversation_id, revision, result, applied_at) VALUES (?, ?, 0, ?, ?)`,
              [input.idempotencyKey, id, result, at],
            );
          }
          if (input.makeCurrent ?? true) await setCurrent(tx, startedBy, id, at);
          return toConversation(row);
        });
      } catch (error) {
        // PostgreSQL: another process inserted the same key between our check and our insert.
        if (input.idempotencyKey !== undefined && isUniqueViolation(error)) {
          const previous = await findApplied(db, input.idempotencyKey);
          if (previous) throw new DuplicateEventError(previous);
        }
        throw error;
      }
    },

    async get(id) {
      const row = await db.one(`SELECT ${COLUMNS} FROM conversations WHERE id = ?`, [id]);
      return row ? toConversation(row) : undefined;
    },

    async findByProvisionalNumber(accountId, reference) {
      const parsed = parseProvisional(reference, provisionalYear(ctx.now()));
      if (!parsed) return undefined;
      const row = await db.one(
        `SELECT ${COLUMNS} FROM conversations WHERE account_id = ? AND provisional_year = ? AND provisional_seq = ?`,
        [accountId, parsed.year, parsed.seq],
      );
      return row ? toConversation(row) : undefined;
    },

    async list(query) {
      const filter = whereOf(query);
      if (!filter) return [];
      const rows = await db.all(
        `SELECT ${COLUMNS} FROM conversations ${filter.sql}
         ORDER BY created_at DESC, provisional_seq DESC LIMIT ?`,
        [...filter.params, clampLimit(query.limit)],
      );
      return rows.map(toConversation);
    },

    async count(query) {
      const filter = whereOf(query);
      if (!filter) return 0;
      const row = await db.one<{ n: number | string }>(
        `SELECT COUNT(*) AS n FROM conversations ${filter.sql}`,
        filter.params,
      );
      return Number(row?.n ?? 0);
    },

    async listInactive(query) {
      const statuses = query.statuses ?? DEFAULT_INACTIVE_STATUSES;
      if (statuses.length === 0) return [];
      const rows = await db.all(
        `SELECT ${COLUMNS} FROM conversations
          WHERE status IN ${placeholders(statuses.length)} AND last_activity_at < ?
          ${query.notReminded ? 'AND reminder_sent_at IS NULL' : ''}
          ORDER BY last_activity_at ASC LIMIT ?`,
        [...statuses, query.before.getTime(), clampLimit(query.limit)],
      );
      return rows.map(toConversation);
    },

    async apply(input) {
      const snapshot = encodeJson(input.snapshot);
      const result = encodeJson(input.result ?? null);
      const activity = input.activity ?? true;
      try {
        return await db.transaction(async (tx) => {
          const current = await tx.one<{ revision: number | string }>(
            `SELECT revision FROM conversations WHERE id = ?${forUpdate(tx.dialect)}`,
            [input.conversationId],
          );
          if (!current) throw new ConversationNotFoundError(input.conversationId);
          if (input.idempotencyKey !== undefined) {
            const previous = await findApplied(tx, input.idempotencyKey);
            if (previous) return { applied: false, duplicate: previous } as const;
          }
          const revision = Number(current.revision);
          if (revision !== input.expectedRevision) {
            throw new RevisionConflictError(input.conversationId, input.expectedRevision, revision);
          }
          const at = nowMs(ctx);
          const row = await tx.one(
            `UPDATE conversations SET snapshot = ?, status = ?, machine_version = COALESCE(?, machine_version),
               revision = revision + 1, updated_at = ?,
               last_activity_at = CASE WHEN ? = 1 THEN ? ELSE last_activity_at END,
               reminder_sent_at = CASE WHEN ? = 1 THEN NULL ELSE reminder_sent_at END
             WHERE id = ? RETURNING ${COLUMNS}`,
            [
              snapshot,
              input.status,
              input.machineVersion ?? null,
              at,
              activity ? 1 : 0,
              at,
              activity ? 1 : 0,
              input.conversationId,
            ],
          );
          if (!row) throw new ConversationNotFoundError(input.conversationId);
          if (input.idempotencyKey !== undefined) {
            await tx.run(
              'INSERT INTO applied_events (idempotency_key, conversation_id, revision, result, applied_at) VALUES (?, ?, ?, ?, ?)',
              [input.idempotencyKey, input.conversationId, revision + 1, result, at],
            );
          }
          return { applied: true, conversation: toConversation(row) } as const;
        });
      } catch (error) {
        // The same key applied to another conversation concurrently (PostgreSQL): report the duplicate.
        if (input.idempotencyKey !== undefined && isUniqueViolation(error)) {
          const previous = await findApplied(db, input.idempotencyKey);
          if (previous) return { applied: false, duplicate: previous };
        }
        throw error;
      }
    },

    findApplied: (key) => findApplied(db, key),

    async recordApplied(key, result) {
      const at = nowMs(ctx);
      const n = await db.run(
        `INSERT INTO applied_events (idempotency_key, conversation_id, revision, result, applied_at)
         VALUES (?, NULL, NULL, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
        [key, encodeJson(result ?? null), at],
      );
      if (n > 0) return { recorded: true };
      const previous = await findApplied(db, key);
      if (!previous) throw new Error(`applied event ${key} vanished`);
      return { recorded: false, duplicate: previous };
    },

    pruneApplied: (before) => db.run('DELETE FROM applied_events WHERE applied_at < ?', [before.getTime()]),

    async markReminded(conversationId) {
      const n = await db.run(
        'UPDATE conversations SET reminder_sent_at = ? WHERE id = ? AND reminder_sent_at IS NULL',
        [nowMs(ctx), conversationId],
      );
      return n > 0;
    },

    async getCurrent(identity) {
      const key = identityLookupKey(identity);
      const row = await db.one<{ conversation_id: string }>(
        'SELECT conversation_id FROM current_drafts WHERE channel = ? AND user_id = ?',
        [key.channel, key.userId],
      );
      return row?.conversation_id;
    },

    async setCurrent(identity, conversationId) {
      const key = identityLookupKey(identity);
      if (conversationId === null) {
        await db.run('DELETE FROM current_drafts WHERE channel = ? AND user_id = ?', [
          key.channel,
          key.userId,
        ]);
        return;
      }
      await db.transaction(async (tx) => {
        const exists = await tx.one('SELECT id FROM conversations WHERE id = ?', [conversationId]);
        if (!exists) throw new ConversationNotFoundError(conversationId);
        await setCurrent(tx, key, conversationId, nowMs(ctx));
      });
    },

    async remove(conversationId) {
      const { removed, fileIds } = await db.transaction(async (tx) => {
        // Only files kept on disk (data NULL) have bytes to delete after the rows.
        const files = await tx.all<{ id: string }>(
          'SELECT id FROM files WHERE conversation_id = ? AND data IS NULL',
          [conversationId],
        );
        const n = await tx.run('DELETE FROM conversations WHERE id = ?', [conversationId]);
        return { removed: n > 0, fileIds: files.map((f) => f.id) };
      });
      await removeBlobs(ctx, fileIds);
      return removed;
    },
  };
}
