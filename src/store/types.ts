import type { ChannelStateStore } from '../app/channel.js';
import type { AccountStore, IdentityStore, InviteStore } from './account-types.js';
import type { AuditStore } from './audit-types.js';
import type { ConversationStore } from './conversation-types.js';
import type { DepositStore } from './deposit-types.js';
import type { FileStore } from './file-types.js';
import type { FollowUpStore, OutboxStore } from './follow-up-types.js';
import type { FluxDepositStore } from './flux-deposits.js';

// The sub-stores' types live one concept per file; re-exported here for the many importers.
export type * from './account-types.js';
export type * from './audit-types.js';
export type * from './conversation-types.js';
export type * from './deposit-types.js';
export type * from './file-types.js';
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

/** The channel state store, with the pruning of old entries. */
export interface ChannelStateStoreWithPrune extends ChannelStateStore {
  /** Deletes the namespace's entries last written before `before` (dedup keys grow forever otherwise). */
  prune(namespace: string, before: Date): Promise<number>;
}
