import type { ChannelKind } from '../machine/conversation-port.js';

/**
 * The follow-up part of the store (migrations 20–29): the invoices followed after their deposit,
 * each account's poll state (cursor, backoff, lease between instances, notification switch) and
 * the notification outbox (one row per status change, delivered exactly once).
 */

export interface FollowedStatusEntry {
  id?: number;
  status: string;
  at: string;
  comment?: string;
}

export interface FollowedInvoice {
  accountId: string;
  chorusInvoiceId: number;
  /** The draft it came from (none for `facteur deposit`). */
  conversationId?: string;
  /** Where the draft started: notifications go there. */
  channel: ChannelKind;
  userId: string;
  provisionalNumber?: string;
  invoiceNumber: string;
  invoiceDate?: string;
  recipientSiret: string;
  recipientName?: string;
  /** `public` | `health` | `public-enterprise` when set by hand; else from the SIRET. */
  buyerKind?: string;
  totalInclTaxCents: number;
  currency: string;
  depositedAt: string;
  status: string;
  statusAt: string;
  statusComment?: string;
  /** Chorus' dated history, oldest first (empty until first read). */
  history: FollowedStatusEntry[];
  /** `YYYY-MM-DD`. */
  paymentDueBy?: string;
  paidOn?: string;
  /** Still polled. */
  active: boolean;
  nextPollAt?: string;
  deadlineNotified: boolean;
}

export type TrackInput = Omit<
  FollowedInvoice,
  'history' | 'active' | 'nextPollAt' | 'deadlineNotified' | 'statusAt' | 'paidOn'
> & { statusAt?: string };

export interface InvoiceChange {
  status: string;
  statusAt: string;
  statusComment?: string;
  history: FollowedStatusEntry[];
  paymentDueBy?: string;
  paidOn?: string;
  active: boolean;
}

export interface OutboxInput {
  /** Unique per event (`status:<account>:<invoice>:<history id>`): a second insert is ignored. */
  dedupKey: string;
  accountId: string;
  chorusInvoiceId: number;
  kind: 'status' | 'deadline';
  status?: string;
  channel: ChannelKind;
  userId: string;
  /** The facts the notification is rendered from (JSON-serialisable). */
  payload: Record<string, unknown>;
}

export interface OutboxEntry extends OutboxInput {
  id: number;
  createdAt: string;
  attempts: number;
  deliveredAt?: string;
  /** Why it was not sent (`notifications-off`), when skipped. */
  skipped?: string;
}

export interface FollowUpAccountState {
  accountId: string;
  notifications: boolean;
  cursorAt?: string;
  retryAt?: string;
  failures: number;
  leaseOwner?: string;
  leaseUntil?: string;
  lastPollAt?: string;
}

/** How often an invoice is polled as it ages (milliseconds); `fixedMs` replaces it all. */
export interface PollSchedule {
  firstDayMs: number;
  firstWeekMs: number;
  laterMs: number;
  /** Stop following after this age without a final status. */
  maxAgeMs: number;
  fixedMs?: number;
}

export interface FollowUpStore {
  /** Starts following an invoice; false when it was already followed. */
  track(input: TrackInput): Promise<boolean>;
  /**
   * Follows the conversations' deposits not followed yet (`limit` per call); resolves how many.
   * With `since`, only the deposits completed since then (an index range: the engine's frequent
   * pass, while a full pass at start and now and then catches any older one).
   */
  adoptDeposits(limit?: number, since?: Date): Promise<number>;
  get(accountId: string, chorusInvoiceId: number): Promise<FollowedInvoice | undefined>;
  /** Only the given ids (the changed ones), so the cost follows the changes. */
  getMany(accountId: string, chorusInvoiceIds: number[]): Promise<FollowedInvoice[]>;
  /** Newest deposit first. */
  listByAccount(accountId: string, options?: { limit?: number; offset?: number }): Promise<FollowedInvoice[]>;
  findByNumber(accountId: string, invoiceNumber: string): Promise<FollowedInvoice | undefined>;
  /** Accounts with an invoice due at `now`, not backing off, not leased by another instance. */
  dueAccounts(now: Date, limit?: number): Promise<string[]>;
  /** Accounts with at least one followed invoice still active. */
  activeAccounts(): Promise<string[]>;
  /** Takes (or renews) the account's poll lease until `until`; false when another owner holds it. */
  acquireLease(accountId: string, owner: string, until: Date): Promise<boolean>;
  /**
   * Extends the lease `owner` holds to `until`; false when it no longer holds it (released, or
   * taken over). Never takes a free lease: a renewal that lands after its poll released the lease
   * must not take it again for a poll that is over.
   */
  renewLease(accountId: string, owner: string, until: Date): Promise<boolean>;
  releaseLease(accountId: string, owner: string): Promise<void>;
  accountState(accountId: string): Promise<FollowUpAccountState>;
  /**
   * Records a status change and its notifications in one transaction: resolves the outbox rows
   * actually inserted (duplicates ignored). With `owner`, only while `owner` holds the account's
   * lease (else `LeaseLostError`, nothing written).
   */
  applyChange(
    accountId: string,
    chorusInvoiceId: number,
    change: InvoiceChange,
    notifications: OutboxInput[],
    owner?: string,
  ): Promise<number>;
  /** Sets the next poll of the account's due invoices by age (plus `jitterMs`); ends the too old. */
  reschedule(accountId: string, now: Date, schedule: PollSchedule, jitterMs: number): Promise<void>;
  /** After a poll: the new cursor on success, or one more failure and a retry time. */
  finishPoll(
    accountId: string,
    result: { ok: true; cursorAt: Date } | { ok: false; retryAt: Date },
  ): Promise<void>;
  /** Active invoices past their deadline (`dueBy` < `today`), unpaid, not notified yet. */
  overdue(accountId: string, today: string, limit?: number): Promise<FollowedInvoice[]>;
  /** Marks the deadline as notified and queues its notification, in one transaction (fenced like `applyChange`). */
  markDeadlineNotified(
    accountId: string,
    chorusInvoiceId: number,
    notification: OutboxInput,
    owner?: string,
  ): Promise<number>;
  setNotifications(accountId: string, enabled: boolean): Promise<void>;
  notificationsEnabled(accountId: string): Promise<boolean>;
  /** Counts active invoices (the `facteur_pending_follow_ups` gauge). */
  countActive(): Promise<number>;
}

export interface OutboxStore {
  /** Claims up to `limit` undelivered rows of these channels for `leaseMs` (other owners skip them). */
  claim(channels: ChannelKind[], owner: string, leaseMs: number, limit?: number): Promise<OutboxEntry[]>;
  /** Undelivered rows for one identity (the terminal shows them when `facteur chat` starts). */
  claimFor(channel: ChannelKind, userId: string, owner: string, leaseMs: number): Promise<OutboxEntry[]>;
  /** Keeps `owner`'s claim on a row being sent for `leaseMs` more; false when it is no longer `owner`'s. */
  extendClaim(id: number, owner: string, leaseMs: number): Promise<boolean>;
  markDelivered(id: number, owner: string): Promise<boolean>;
  /** Gives the row back (undelivered) for a later attempt, not before `retryAt`. */
  markFailed(id: number, owner: string, error: string, retryAt: Date): Promise<void>;
  list(options?: { accountId?: string; limit?: number }): Promise<OutboxEntry[]>;
}
