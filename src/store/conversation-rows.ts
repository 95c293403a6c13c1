/**
 * The SQL side of the conversation store (conversations.ts): the columns and how a row becomes a
 * record, the applied-event lookup, the identity's current-draft pointer, the WHERE of a query.
 */
import { isoTime, optionalIsoTime, placeholders } from './context.js';
import { decodeJson } from './json.js';
import { identityLookupKey } from './normalize.js';
import { formatProvisional } from './provisional.js';
import type { Row, SqlExecutor } from './sql/driver.js';
import type {
  AppliedEvent,
  ConversationQuery,
  ConversationRecord,
  ConversationStatus,
  IdentityKey,
} from './types.js';

export const COLUMNS = `id, account_id, started_channel, started_user_id, provisional_year, provisional_seq, status,
  snapshot, machine_version, revision, created_at, updated_at, last_activity_at, reminder_sent_at`;

export function toConversation(row: Row): ConversationRecord {
  const reminder = optionalIsoTime(row.reminder_sent_at);
  return {
    id: String(row.id),
    accountId: String(row.account_id),
    startedBy: {
      channel: row.started_channel as IdentityKey['channel'],
      userId: String(row.started_user_id),
    },
    provisionalNumber: formatProvisional(Number(row.provisional_year), Number(row.provisional_seq)),
    status: row.status as ConversationStatus,
    snapshot: decodeJson(String(row.snapshot)),
    machineVersion: Number(row.machine_version),
    revision: Number(row.revision),
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
    lastActivityAt: isoTime(row.last_activity_at),
    ...(reminder ? { reminderSentAt: reminder } : {}),
  };
}

function toApplied(row: Row): AppliedEvent {
  return {
    key: String(row.idempotency_key),
    ...(row.conversation_id !== null ? { conversationId: String(row.conversation_id) } : {}),
    ...(row.revision !== null ? { revision: Number(row.revision) } : {}),
    result: decodeJson(String(row.result)),
    appliedAt: isoTime(row.applied_at),
  };
}

const APPLIED_COLUMNS = 'idempotency_key, conversation_id, revision, result, applied_at';

export async function findApplied(tx: SqlExecutor, key: string): Promise<AppliedEvent | undefined> {
  const row = await tx.one(`SELECT ${APPLIED_COLUMNS} FROM applied_events WHERE idempotency_key = ?`, [key]);
  return row ? toApplied(row) : undefined;
}

export async function setCurrent(
  tx: SqlExecutor,
  identity: IdentityKey,
  conversationId: string,
  at: number,
): Promise<void> {
  await tx.run(
    `INSERT INTO current_drafts (channel, user_id, conversation_id, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (channel, user_id) DO UPDATE SET conversation_id = excluded.conversation_id, updated_at = excluded.updated_at`,
    [identity.channel, identity.userId, conversationId, at],
  );
}

/** The WHERE clause of a query; undefined when it cannot match anything (empty status list). */
export function whereOf(
  query: Omit<ConversationQuery, 'limit'>,
): { sql: string; params: (string | number)[] } | undefined {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (query.accountId !== undefined) {
    where.push('account_id = ?');
    params.push(query.accountId);
  }
  if (query.startedBy !== undefined) {
    const key = identityLookupKey(query.startedBy);
    where.push('started_channel = ? AND started_user_id = ?');
    params.push(key.channel, key.userId);
  }
  if (query.statuses !== undefined) {
    if (query.statuses.length === 0) return undefined;
    where.push(`status IN ${placeholders(query.statuses.length)}`);
    params.push(...query.statuses);
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}
