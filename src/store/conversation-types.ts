/** Conversations, one per invoice draft, with the idempotency keys of the events applied to them (part of `Store`, src/store/types.ts). */
import type { IdentityKey } from './account-types.js';

export type ConversationStatus = 'open' | 'submitting' | 'submitted' | 'cancelled' | 'expired';

export interface ConversationRecord {
  /** Random, 11 URL-safe ASCII chars (travels in Telegram callback data). */
  id: string;
  accountId: string;
  /** The identity that started the draft (where reminders go). */
  startedBy: IdentityKey;
  /** « PROV-2026-0042 »: per account and per year, never reused. */
  provisionalNumber: string;
  status: ConversationStatus;
  /** The persisted XState snapshot (JSON). */
  snapshot: unknown;
  machineVersion: number;
  /** Starts at 0; +1 at every `apply`. */
  revision: number;
  createdAt: string;
  updatedAt: string;
  /** Last user activity (reminders and expiry are measured from it). */
  lastActivityAt: string;
  /** When the inactivity reminder was sent for the current inactivity period. */
  reminderSentAt?: string;
}

export interface NewConversation {
  accountId: string;
  startedBy: IdentityKey;
  snapshot: unknown;
  machineVersion: number;
  status?: ConversationStatus;
  /** Also make it the identity's current draft (default true). */
  makeCurrent?: boolean;
  /**
   * Records this idempotency key with `result` in the same transaction, so an inbound message
   * that creates a draft (a received PDF) is never applied twice. When the key was already
   * applied, `create` rejects with `DuplicateEventError` carrying the stored outcome.
   */
  idempotencyKey?: string;
  result?: unknown;
}

/** What an event did, stored under its idempotency key. */
export interface AppliedEvent {
  key: string;
  conversationId?: string;
  /** The conversation revision this event produced. */
  revision?: number;
  /** The result (views) returned the first time, JSON. */
  result: unknown;
  appliedAt: string;
}

export interface ApplyInput {
  conversationId: string;
  /** The revision the caller loaded; a different stored revision rejects with `RevisionConflictError`. */
  expectedRevision: number;
  snapshot: unknown;
  status: ConversationStatus;
  machineVersion?: number;
  /** Unique key of the inbound message; checked before the revision. */
  idempotencyKey?: string;
  /** The views of this event (JSON), stored with the key and returned to a duplicate. */
  result?: unknown;
  /** User activity (default true): updates `lastActivityAt` and re-arms the reminder. */
  activity?: boolean;
}

export type ApplyOutcome =
  | { applied: true; conversation: ConversationRecord }
  /** The key had been applied before: nothing written, here is what it produced. */
  | { applied: false; duplicate: AppliedEvent };

export interface ConversationQuery {
  accountId?: string;
  /** Conversations started by this identity. */
  startedBy?: IdentityKey;
  statuses?: ConversationStatus[];
  /** Default 100, at most 1000. Sorted by creation, newest first. */
  limit?: number;
}

export interface InactiveQuery {
  /** Last activity strictly before this time. */
  before: Date;
  statuses?: ConversationStatus[];
  /** Only those not yet reminded (for the reminder pass). */
  notReminded?: boolean;
  /** Default 100, at most 1000. Oldest activity first. */
  limit?: number;
}

export interface ConversationStore {
  /** Revision 0, a new provisional number (atomic per-year sequence, safe across processes). */
  create(input: NewConversation): Promise<ConversationRecord>;
  get(id: string): Promise<ConversationRecord | undefined>;
  /** `PROV-2026-0042`, `2026-0042` or `42` (current year); scoped to the account. */
  findByProvisionalNumber(accountId: string, reference: string): Promise<ConversationRecord | undefined>;
  list(query: ConversationQuery): Promise<ConversationRecord[]>;
  /** How many conversations match (`limit` ignored). */
  count(query: Omit<ConversationQuery, 'limit'>): Promise<number>;
  listInactive(query: InactiveQuery): Promise<ConversationRecord[]>;
  /**
   * In one transaction (row lock on PostgreSQL, write lock on SQLite): if `idempotencyKey` was
   * applied, resolves `{ applied: false, duplicate }`; else if the stored revision differs from
   * `expectedRevision`, rejects with `RevisionConflictError` (reload, re-run, retry); else writes
   * the snapshot/status at revision + 1 and records the key with `result`.
   * Rejects with `ConversationNotFoundError` when the conversation does not exist.
   */
  apply(input: ApplyInput): Promise<ApplyOutcome>;
  /** The outcome stored under an idempotency key (any conversation, or none). */
  findApplied(key: string): Promise<AppliedEvent | undefined>;
  /**
   * Records the outcome of an input that touches no conversation (a `link` code, `aide`…).
   * Resolves `{ recorded: true }` for the first caller, else the outcome stored first.
   */
  recordApplied(
    key: string,
    result: unknown,
  ): Promise<{ recorded: true } | { recorded: false; duplicate: AppliedEvent }>;
  /**
   * Forgets idempotency keys applied before `before` (they keep the views of every event, so the
   * table grows with use). Keep them longer than any channel may redeliver a message (Telegram
   * retries for 24 h). Resolves how many were deleted.
   */
  pruneApplied(before: Date): Promise<number>;
  /**
   * Marks the reminder as sent; true only for the caller that marked it (once per inactivity
   * period, also across processes).
   */
  markReminded(conversationId: string): Promise<boolean>;
  /** The identity's current draft id, if any (whatever its status). */
  getCurrent(identity: IdentityKey): Promise<string | undefined>;
  setCurrent(identity: IdentityKey, conversationId: string | null): Promise<void>;
  /** Deletes the conversation, its files, applied-event keys and current pointers. */
  remove(conversationId: string): Promise<boolean>;
}
