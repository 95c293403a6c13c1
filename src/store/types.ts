import type { ChannelStateStore } from '../app/channel.js';
import type { ChorusCredentials, DepositReceipt } from '../deposit/port.js';
import type { ChannelKind } from '../machine/conversation-port.js';
import type { FollowUpStore, OutboxStore } from './follow-up-types.js';
import type { FluxDepositStore } from './flux-deposits.js';

export type { FluxDepositRecord, FluxDepositState, FluxDepositStore } from './flux-deposits.js';

/**
 * Facteur's persistence. One interface, two back-ends with the same behaviour and the same test
 * suite: SQLite (better-sqlite3, `dataDir/facteur.db`, WAL) and PostgreSQL (`DATABASE_URL`).
 * Built by `createStore(deps)` (src/store/index.ts), which applies the migrations first.
 *
 * Conventions of every sub-store:
 * - times are ISO 8601 UTC strings (`2026-03-15T10:24:00.000Z`), taken from the injected clock;
 * - "JSON" values (snapshots, views, details) may contain `Uint8Array`s: they are stored as
 *   base64 and come back as `Uint8Array`s (so stored views with a receipt PDF round-trip);
 * - lookups resolve `undefined` when nothing matches; business failures reject with the typed
 *   errors of src/store/errors.ts (each a `FacteurError` with a French `userMessage`).
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly accounts: AccountStore;
  readonly identities: IdentityStore;
  readonly invites: InviteStore;
  readonly conversations: ConversationStore;
  readonly files: FileStore;
  readonly deposits: DepositStore;
  /** Factur-X flows deposited through deposer/flux and followed until integrated or rejected. */
  readonly fluxDeposits: FluxDepositStore;
  readonly audit: AuditStore;
  /** Durable key-value state of the channels (Telegram, e-mail): dedup, threading. */
  readonly channelState: ChannelStateStoreWithPrune;
  /** Invoices followed after their deposit, poll state and leases (src/followup/). */
  readonly followUps: FollowUpStore;
  /** Follow-up notifications, each delivered once (src/followup/). */
  readonly outbox: OutboxStore;
  /** Closes the database (waits for the transactions in hand). Safe to call twice. */
  close(): Promise<void>;
}

// ------------------------------------------------------------------------------------------------
// Accounts, identities, invites

/** A freelancer's Facteur account. The Chorus password never appears here (see `credentials`). */
export interface Account {
  /** Random URL-safe id (11 chars). */
  id: string;
  /** Unique, case-insensitive, 1–64 chars: letters, digits, spaces and `. _ - ' ’ ( ) & , + @`. */
  name: string;
  /** The Chorus Pro technical account login, when one is configured for this account. */
  chorusLogin?: string;
  /** True when an encrypted Chorus password is stored. */
  hasChorusPassword: boolean;
  createdAt: string;
}

export interface NewAccount {
  name: string;
  /** Stored encrypted (AES-256-GCM); decrypted only by `accounts.credentials(id)`. */
  chorus?: ChorusCredentials;
  /**
   * Identities linked in the same transaction (all or nothing): `create` rejects with
   * `IdentityLinkedElsewhereError` / `InvalidIdentityError` and creates nothing. `ensure` links
   * them only when it creates the account.
   */
  identities?: IdentityKey[];
}

export interface AccountStore {
  /** Rejects with `AccountNameTakenError` when the name exists (case-insensitive). */
  create(input: NewAccount): Promise<Account>;
  /**
   * The account with this name, created when absent (race-safe: two processes get the same one).
   * An existing account is returned unchanged (its credentials are not overwritten).
   */
  ensure(input: NewAccount): Promise<Account>;
  get(id: string): Promise<Account | undefined>;
  /** Case-insensitive. */
  getByName(name: string): Promise<Account | undefined>;
  /** Sorted by name in French order. */
  list(): Promise<Account[]>;
  /** Replaces (or with `null` removes) the stored Chorus technical account. */
  setChorusCredentials(accountId: string, chorus: ChorusCredentials | null): Promise<void>;
  /**
   * Decrypts the stored Chorus credentials; `undefined` when the account has none.
   * Rejects with `SecretKeyMismatchError` (another key encrypted them) or
   * `SecretTamperedError` (the ciphertext was altered), `AccountNotFoundError`.
   */
  credentials(accountId: string): Promise<ChorusCredentials | undefined>;
  /**
   * Re-encrypts under the current key every secret sealed with `previousKey` (base64 or hex), in
   * one transaction — to move from the generated key file to FACTEUR_SECRET_KEY, or to rotate it.
   * Secrets sealed with yet another key, or altered, are left as they are and counted.
   */
  rotateKey(previousKey: string): Promise<KeyRotation>;
  /**
   * Deletes the account with its identities, invites, conversations (and their files), current
   * drafts and deposit records. The audit trail is kept. Resolves false when it did not exist.
   */
  remove(accountId: string): Promise<boolean>;
}

export interface KeyRotation {
  reencrypted: number;
  /** Already sealed with the current key. */
  current: number;
  /** Sealed with an unknown key, or altered: still unreadable. */
  unreadable: number;
}

/** The channel and the user's id there, normalised (see `normalizeIdentity`). */
export interface IdentityKey {
  channel: ChannelKind;
  /** Telegram: the numeric user id; e-mail: the lower-cased address; terminal: `local`. */
  userId: string;
}

export interface LinkedIdentity extends IdentityKey {
  accountId: string;
  linkedAt: string;
}

export interface IdentityStore {
  /**
   * Allows this identity to act for the account. Idempotent for the same account; rejects with
   * `IdentityLinkedElsewhereError` when it is linked to another account, `InvalidIdentityError`
   * for a malformed id (not digits for Telegram, not an e-mail address), `AccountNotFoundError`.
   */
  link(accountId: string, identity: IdentityKey): Promise<LinkedIdentity>;
  /** Resolves false when the identity was not linked. Its current draft pointer is cleared. */
  unlink(identity: IdentityKey): Promise<boolean>;
  /** The account this identity acts for, if any. */
  findAccount(identity: IdentityKey): Promise<Account | undefined>;
  listByAccount(accountId: string): Promise<LinkedIdentity[]>;
}

export interface Invite {
  /** 16 URL-safe chars (96 random bits): fits Telegram's `/start` payload and an e-mail line. */
  code: string;
  accountId: string;
  createdAt: string;
  expiresAt: string;
}

export type InviteRedemption =
  | { status: 'linked'; account: Account; identity: LinkedIdentity }
  /** Unknown code (or malformed). */
  | { status: 'unknown' }
  | { status: 'expired' }
  | { status: 'used' };

export interface InviteStore {
  /** A one-time linking code for the account, valid `ttlMs` (default 24 h). */
  create(accountId: string, options?: { ttlMs?: number }): Promise<Invite>;
  /**
   * Consumes the code and links the identity to its account, in one transaction: exactly one
   * caller ever gets `linked` for a code, also across processes. An identity already linked to
   * another account rejects with `IdentityLinkedElsewhereError` (the code stays usable).
   */
  redeem(code: string, identity: IdentityKey): Promise<InviteRedemption>;
}

// ------------------------------------------------------------------------------------------------
// Conversations (one per invoice draft)

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

// ------------------------------------------------------------------------------------------------
// Files (received invoice PDFs, generated receipt PDFs)

export type FileKind = 'invoice-pdf' | 'receipt-pdf' | 'preview-png' | 'other';

export interface StoredFile {
  /** Random URL-safe id (16 chars). */
  id: string;
  kind: FileKind;
  fileName: string;
  mimeType: string;
  size: number;
  /** Hex SHA-256 of the bytes (checked on read). */
  sha256: string;
  accountId?: string;
  conversationId?: string;
  createdAt: string;
}

export interface NewFile {
  kind: FileKind;
  fileName: string;
  mimeType: string;
  bytes: Uint8Array;
  accountId?: string;
  conversationId?: string;
}

/**
 * SQLite: bytes in `dataDir/files/<id>` (temp file + fsync + rename), metadata in the database.
 * PostgreSQL: bytes in a `bytea` column, so several hosts can share the database.
 */
export interface FileStore {
  put(input: NewFile): Promise<StoredFile>;
  /** The metadata without the bytes. */
  stat(id: string): Promise<StoredFile | undefined>;
  /** Rejects with `FileCorruptedError` when the bytes no longer match their SHA-256. */
  get(id: string): Promise<{ file: StoredFile; bytes: Uint8Array } | undefined>;
  listByConversation(conversationId: string): Promise<StoredFile[]>;
  remove(id: string): Promise<boolean>;
}

// ------------------------------------------------------------------------------------------------
// Deposits (one per conversation)

export type DepositState = 'in-flight' | 'deposited' | 'failed';

export interface DepositRecord {
  conversationId: string;
  accountId: string;
  state: DepositState;
  invoiceNumber: string;
  /** ISO `YYYY-MM-DD`, with `invoiceNumber` what `findDeposited` needs after a crash. */
  invoiceDate: string;
  /** How many times a submit was started. */
  attempts: number;
  startedAt: string;
  completedAt?: string;
  receipt?: DepositReceipt;
  receiptFileId?: string;
  /** Short reason of the last failure (error code + French message), never a secret. */
  error?: string;
}

export interface DepositStore {
  /**
   * Written BEFORE calling Chorus `soumettre`: from then on a restart knows a submit may have
   * happened. Resolves false (and writes nothing) when the conversation is already deposited.
   * A `failed` or `in-flight` record is moved to `in-flight` with attempts + 1.
   */
  markInFlight(input: {
    conversationId: string;
    accountId: string;
    invoiceNumber: string;
    invoiceDate: string;
  }): Promise<boolean>;
  /** Records the receipt (state `deposited`). Idempotent. */
  complete(conversationId: string, receipt: DepositReceipt, receiptFileId?: string): Promise<DepositRecord>;
  /** The submit definitely did not happen (refusal, or not found after a crash). */
  fail(conversationId: string, error: string): Promise<DepositRecord>;
  get(conversationId: string): Promise<DepositRecord | undefined>;
  /** Newest first. */
  listByAccount(
    accountId: string,
    options?: { state?: DepositState; limit?: number },
  ): Promise<DepositRecord[]>;
  count(accountId: string, options?: { state?: DepositState }): Promise<number>;
  /** Every submit in flight (to resolve at start by asking Chorus). */
  listInFlight(): Promise<DepositRecord[]>;
}

// ------------------------------------------------------------------------------------------------
// Audit trail

export interface AuditEntry {
  id: number;
  at: string;
  /** Who: an identity, or `cli`/`system` (channel omitted). */
  actor?: IdentityKey;
  /** What, dotted: `account.created`, `identity.linked`, `draft.created`, `deposit.submitted`… */
  action: string;
  accountId?: string;
  conversationId?: string;
  /** Small JSON details; keys that look secret and byte arrays are dropped, strings cut at 500. */
  details?: Record<string, unknown>;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

export interface AuditStore {
  record(entry: NewAuditEntry): Promise<void>;
  /** Newest first; default limit 100, at most 1000. */
  list(query: { accountId?: string; conversationId?: string; limit?: number }): Promise<AuditEntry[]>;
}

// ------------------------------------------------------------------------------------------------
// Channel state

export interface ChannelStateStoreWithPrune extends ChannelStateStore {
  /** Deletes the namespace's entries last written before `before` (dedup keys grow forever otherwise). */
  prune(namespace: string, before: Date): Promise<number>;
}
