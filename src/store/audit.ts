import { type StoreContext, clampLimit, isoTime, nowMs, optionalString } from './context.js';
import { decodeJson, encodeJson } from './json.js';
import type { Row } from './sql/driver.js';
import type { AuditEntry, AuditStore, IdentityKey } from './types.js';

const SECRET_KEY =
  /pass(word|wd)?|secret|token|authori[sz]ation|cookie|credential|private|^key$|bytes|^pdf$/i;
const MAX_STRING = 500;
const MAX_DEPTH = 4;
const MAX_JSON = 4_000;

/** Keeps audit details small and free of secrets and file contents. */
export function sanitizeDetails(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (value instanceof Uint8Array) return undefined;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => sanitizeDetails(v, depth + 1) ?? null);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEY.test(k)) continue;
      const clean = sanitizeDetails(v, depth + 1);
      if (clean !== undefined) out[k] = clean;
    }
    return out;
  }
  return undefined; // functions, symbols, bigints: not audit material
}

function toEntry(row: Row): AuditEntry {
  const accountId = optionalString(row.account_id);
  const conversationId = optionalString(row.conversation_id);
  const details =
    row.details === null || row.details === undefined ? undefined : decodeJson(String(row.details));
  return {
    id: Number(row.id),
    at: isoTime(row.at),
    ...(row.actor_channel !== null && row.actor_channel !== undefined
      ? { actor: { channel: row.actor_channel as IdentityKey['channel'], userId: String(row.actor_user_id) } }
      : {}),
    action: String(row.action),
    ...(accountId !== undefined ? { accountId } : {}),
    ...(conversationId !== undefined ? { conversationId } : {}),
    ...(details !== undefined ? { details: details as Record<string, unknown> } : {}),
  };
}

export function createAuditStore(ctx: StoreContext): AuditStore {
  const { db } = ctx;
  return {
    async record(entry) {
      let details: string | null = null;
      if (entry.details !== undefined) {
        details = encodeJson(sanitizeDetails(entry.details));
        if (details.length > MAX_JSON) details = encodeJson({ truncated: true, size: details.length });
      }
      await db.run(
        `INSERT INTO audit_log (at, actor_channel, actor_user_id, action, account_id, conversation_id, details)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [
          nowMs(ctx),
          entry.actor?.channel ?? null,
          entry.actor?.userId ?? null,
          entry.action.slice(0, 100),
          entry.accountId ?? null,
          entry.conversationId ?? null,
          details,
        ],
      );
    },
    async list(query) {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (query.accountId !== undefined) {
        where.push('account_id = ?');
        params.push(query.accountId);
      }
      if (query.conversationId !== undefined) {
        where.push('conversation_id = ?');
        params.push(query.conversationId);
      }
      params.push(clampLimit(query.limit));
      const rows = await db.all(
        `SELECT id, at, actor_channel, actor_user_id, action, account_id, conversation_id, details FROM audit_log
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
        params,
      );
      return rows.map(toEntry);
    },
  };
}
