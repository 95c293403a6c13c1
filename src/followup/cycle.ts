import type { ChangedInvoice, FollowUpService, HistoryEntry } from '../deposit/follow-up-port.js';
import type { ChorusCredentials } from '../deposit/port.js';
import { FacteurError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type {
  FollowedInvoice,
  FollowedStatusEntry,
  OutboxInput,
  PollSchedule,
  Store,
} from '../store/index.js';
import { FINAL_STATUSES, QUIET_STATUSES, paymentFacts, todayOf } from './facts.js';
import { LeaseLostError } from '../store/follow-up-leases.js';
import { keepLease } from './lease-keeper.js';
import { backoffMs, jitterMs } from './schedule.js';
import type { NotificationPayload } from './views.js';

/**
 * One poll of one account: search the invoices changed since the account's cursor (one call per
 * page of changes), read the history of those we follow whose status moved (one call each), record
 * each change with its notifications in one transaction, notify deadlines passed without payment,
 * and set the next poll. Guarded by the account's lease: one instance polls an account at a time.
 * The lease is short and renewed while the poll runs; the writes are fenced by it (a poller whose
 * lease passed to another instance writes nothing more). A killed instance's accounts are due
 * again for every instance once their lease lapses, `leaseMs` at most after the kill.
 */

export interface CycleDeps {
  store: Store;
  service: FollowUpService;
  credentials: (accountId: string) => Promise<ChorusCredentials>;
  logger: Logger;
  clock: { now(): Date };
  schedule: PollSchedule;
  /** This process (lease owner): unique per running process, never shared by a restart. */
  owner: string;
  rates?: Readonly<Record<string, number>>;
  /** Lease length (default 30 s, renewed every third of it while the poll runs). */
  leaseMs?: number;
  /** A poll longer than this stops renewing its lease (a hung call; default 15 min). */
  maxPollMs?: number;
  /** The search reaches back this much before the cursor (clock skew, late indexing; default 10 min). */
  overlapMs?: number;
  /** Changes older than this are recorded but not notified (invoices adopted late; default 30 days). */
  notifyWithinMs?: number;
  random?: () => number;
}

export interface InvoiceChangeReport {
  chorusInvoiceId: number;
  invoiceNumber: string;
  from: string;
  to: string;
  comment?: string;
}

export interface AccountReport {
  accountId: string;
  calls: number;
  changes: InvoiceChangeReport[];
  notifications: number;
  error?: string;
}

const keyOf = (e: FollowedStatusEntry) => `${e.id ?? ''}|${e.status}|${e.at}`;

export function toStored(e: HistoryEntry): FollowedStatusEntry {
  return {
    ...(e.id !== undefined ? { id: e.id } : {}),
    status: e.status,
    at: e.at,
    ...(e.comment ? { comment: e.comment } : {}),
  };
}

export const DEFAULT_LEASE_MS = 30_000;

export function createAccountPoller(deps: CycleDeps) {
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const maxPollMs = deps.maxPollMs ?? 15 * 60_000;
  const overlapMs = deps.overlapMs ?? 600_000;
  const notifyWithinMs = deps.notifyWithinMs ?? 30 * 86_400_000;
  const random = deps.random ?? Math.random;
  const { store } = deps;

  function payloadOf(
    f: FollowedInvoice,
    entry: FollowedStatusEntry,
    facts: ReturnType<typeof paymentFacts>,
  ): NotificationPayload {
    return {
      kind: 'status',
      chorusInvoiceId: f.chorusInvoiceId,
      invoiceNumber: f.invoiceNumber,
      ...(f.conversationId ? { conversationId: f.conversationId } : {}),
      ...(f.provisionalNumber ? { provisionalNumber: f.provisionalNumber } : {}),
      recipientSiret: f.recipientSiret,
      ...(f.recipientName ? { recipientName: f.recipientName } : {}),
      totalInclTaxCents: f.totalInclTaxCents,
      currency: f.currency,
      depositedAt: f.depositedAt,
      status: entry.status,
      at: entry.at,
      ...(entry.comment ? { comment: entry.comment } : {}),
      paymentDueBy: facts.terms.dueBy,
      paymentDays: facts.terms.days,
      dueEstimated: facts.terms.estimated,
      interrupted: facts.terms.interrupted,
      ...(facts.terms.paidOn ? { paidOn: facts.terms.paidOn } : {}),
      late: entry.status === 'MISE_EN_PAIEMENT' ? facts.late : null,
    };
  }

  const notice = (
    f: FollowedInvoice,
    kind: OutboxInput['kind'],
    key: string,
    payload: NotificationPayload,
  ) => ({
    dedupKey: `${kind}:${f.accountId}:${f.chorusInvoiceId}:${key}`,
    accountId: f.accountId,
    chorusInvoiceId: f.chorusInvoiceId,
    kind,
    status: payload.status,
    channel: f.channel,
    userId: f.userId,
    payload: payload as unknown as Record<string, unknown>,
  });

  async function applyOne(
    creds: ChorusCredentials,
    f: FollowedInvoice,
    changed: ChangedInvoice,
    report: AccountReport,
    now: Date,
  ): Promise<void> {
    const history = await deps.service.history(creds, f.chorusInvoiceId);
    report.calls++;
    const entries = history.entries.map(toStored);
    const last = entries.at(-1) ?? { status: changed.status, at: changed.statusAt };
    const known = new Set(f.history.map(keyOf));
    const fresh = entries.filter((e) => !known.has(keyOf(e)));
    const today = todayOf(now);
    const facts = paymentFacts({ ...f, status: history.status, history: entries }, today, deps.rates);
    const notifications = fresh
      .filter((e) => !QUIET_STATUSES.has(e.status) && Date.parse(e.at) >= now.getTime() - notifyWithinMs)
      .map((e) => notice(f, 'status', `${e.id ?? e.at}:${e.status}`, payloadOf(f, e, facts)));
    const inserted = await store.followUps.applyChange(
      f.accountId,
      f.chorusInvoiceId,
      {
        status: history.status,
        statusAt: last.at,
        ...(last.comment ? { statusComment: last.comment } : {}),
        history: entries,
        paymentDueBy: facts.terms.dueBy,
        ...(facts.terms.paidOn ? { paidOn: facts.terms.paidOn } : {}),
        active: !FINAL_STATUSES.has(history.status),
      },
      notifications,
      deps.owner,
    );
    report.notifications += inserted;
    if (history.status !== f.status || fresh.length > 0)
      report.changes.push({
        chorusInvoiceId: f.chorusInvoiceId,
        invoiceNumber: f.invoiceNumber,
        from: f.status,
        to: history.status,
        ...(last.comment ? { comment: last.comment } : {}),
      });
  }

  async function notifyOverdue(accountId: string, report: AccountReport, now: Date): Promise<void> {
    const today = todayOf(now);
    for (const f of await store.followUps.overdue(accountId, today)) {
      const facts = paymentFacts(f, today, deps.rates);
      if (!facts.late || facts.terms.paidOn) continue;
      const entry = {
        status: f.status,
        at: f.statusAt,
        ...(f.statusComment ? { comment: f.statusComment } : {}),
      };
      const payload = { ...payloadOf(f, entry, facts), kind: 'deadline' as const, late: facts.late };
      report.notifications += await store.followUps.markDeadlineNotified(
        accountId,
        f.chorusInvoiceId,
        notice(f, 'deadline', facts.terms.dueBy, payload),
        deps.owner,
      );
    }
  }

  /** Polls one account; undefined when another instance holds its lease. */
  async function poll(accountId: string): Promise<AccountReport | undefined> {
    const started = deps.clock.now();
    if (!(await store.followUps.acquireLease(accountId, deps.owner, new Date(started.getTime() + leaseMs))))
      return undefined;
    const report: AccountReport = { accountId, calls: 0, changes: [], notifications: 0 };
    const log = deps.logger.child({ account: accountId });
    const lease = keepLease(
      () => store.followUps.renewLease(accountId, deps.owner, new Date(deps.clock.now().getTime() + leaseMs)),
      { leaseMs, maxMs: maxPollMs, logger: log, what: 'follow-up account' },
    );
    const holding = () => {
      if (lease.lost) throw new LeaseLostError(accountId);
    };
    try {
      const creds = await deps.credentials(accountId);
      const state = await store.followUps.accountState(accountId);
      const cursor = state.cursorAt ? Date.parse(state.cursorAt) : started.getTime() - deps.schedule.maxAgeMs;
      const searchedAt = deps.clock.now();
      const changed = await deps.service.changedSince(creds, new Date(cursor - overlapMs).toISOString());
      report.calls += changed.calls;
      const followed = new Map(
        (
          await store.followUps.getMany(
            accountId,
            changed.invoices.map((c) => c.chorusInvoiceId),
          )
        ).map((f) => [f.chorusInvoiceId, f]),
      );
      for (const c of changed.invoices) {
        const f = followed.get(c.chorusInvoiceId);
        // Not ours (deposited elsewhere), no longer followed, or already seen at this status.
        if (!f || !f.active) continue;
        if (f.status === c.status && f.history.length > 0 && Date.parse(f.statusAt) >= Date.parse(c.statusAt))
          continue;
        holding();
        await applyOne(creds, f, c, report, deps.clock.now());
      }
      holding();
      await notifyOverdue(accountId, report, deps.clock.now());
      holding();
      await store.followUps.reschedule(
        accountId,
        deps.clock.now(),
        deps.schedule,
        jitterMs(deps.schedule, random),
      );
      await store.followUps.finishPoll(accountId, { ok: true, cursorAt: searchedAt });
      log.info(
        { calls: report.calls, changes: report.changes.length, notifications: report.notifications },
        'follow-up poll done',
      );
    } catch (error) {
      if (error instanceof LeaseLostError) {
        // Another instance polls the account now: it records what this poll did not.
        report.error = error.userMessage;
        log.warn('follow-up poll stopped: lease taken over');
        return report;
      }
      const failures = (await store.followUps.accountState(accountId).catch(() => ({ failures: 0 })))
        .failures;
      const retryAt = new Date(deps.clock.now().getTime() + backoffMs(deps.schedule, failures, random));
      report.error = error instanceof FacteurError ? error.userMessage : String(error);
      log.warn(
        { err: error, failures: failures + 1, retryAt: retryAt.toISOString() },
        'follow-up poll failed',
      );
      await store.followUps
        .finishPoll(accountId, { ok: false, retryAt })
        .catch((e: unknown) => log.error({ err: e }, 'follow-up poll failure not recorded'));
    } finally {
      lease.stop();
      await store.followUps
        .releaseLease(accountId, deps.owner)
        .catch((e: unknown) => log.warn({ err: e }, 'follow-up lease not released (expires on its own)'));
    }
    return report;
  }

  return { poll };
}
