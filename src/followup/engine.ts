import { randomUUID } from 'node:crypto';
import type { FollowUpService } from '../deposit/follow-up-port.js';
import type { ChorusCredentials } from '../deposit/port.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/index.js';
import { createAccountPoller, type AccountReport } from './cycle.js';
import { createDispatcher, type Deliver } from './dispatcher.js';
import { scheduleFor } from './schedule.js';
import type { ChannelKind } from '../machine/conversation-port.js';

/**
 * The follow-up engine `facteur start` runs: adopts new deposits, polls the accounts that are due
 * (a few at a time), and sends the outbox's notifications. `runOnce` is one full cycle for every
 * account (`facteur follow-up --once`).
 */
export interface FollowUpEngineDeps {
  store: Store;
  service: FollowUpService;
  credentials: (accountId: string) => Promise<ChorusCredentials>;
  logger: Logger;
  clock?: { now(): Date };
  /**
   * This instance's id. The leases (accounts polled, notifications being sent) are held in the
   * name of this running engine (`<owner>/<random>`), never in the name of a restart or of
   * another process sharing the data directory: a killed process's leases lapse (`leaseMs`) and
   * any instance takes its work over.
   */
  owner: string;
  /** `FACTEUR_FOLLOW_UP_INTERVAL`: a fixed interval instead of the schedule. */
  fixedIntervalMs?: number;
  rates?: Readonly<Record<string, number>>;
  deliverers?: () => Partial<Record<ChannelKind, Deliver>>;
  /** Accounts polled side by side (default 4). */
  concurrency?: number;
  /** How often the loop looks for due accounts and notifications (default 1 s, capped by the interval). */
  tickMs?: number;
  /** Account leases and notification claims (default 30 s, renewed while their work runs). */
  leaseMs?: number;
  random?: () => number;
  /** Reports the number of invoices followed (metrics gauge). */
  onPending?: (count: number) => void;
}

export interface CycleReport {
  accounts: AccountReport[];
  calls: number;
  ms: number;
}

const ADOPT_WINDOW_MS = 86_400_000;
const FULL_ADOPT_EVERY_MS = 3_600_000;

export function createFollowUpEngine(deps: FollowUpEngineDeps) {
  const clock = deps.clock ?? { now: () => new Date() };
  const schedule = scheduleFor(deps.fixedIntervalMs);
  const owner = `${deps.owner}/${randomUUID().slice(0, 8)}`;
  const logger = deps.logger.child({ component: 'follow-up' });
  const poller = createAccountPoller({
    store: deps.store,
    service: deps.service,
    credentials: deps.credentials,
    logger,
    clock,
    schedule,
    owner,
    ...(deps.rates ? { rates: deps.rates } : {}),
    ...(deps.leaseMs ? { leaseMs: deps.leaseMs } : {}),
    ...(deps.random ? { random: deps.random } : {}),
  });
  const dispatcher = createDispatcher({
    store: deps.store,
    logger,
    owner,
    clock,
    ...(deps.leaseMs ? { leaseMs: deps.leaseMs } : {}),
    deliverers: deps.deliverers ?? (() => ({})),
  });
  const concurrency = deps.concurrency ?? 4;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = true;

  // New deposits are adopted from a recent window at each tick (an index range), and from all the
  // deposits at start, in `runOnce` and every hour (one made while no engine ran, e.g. `facteur chat`).
  let fullAdoptAt = -Infinity;
  async function adoptAll(full = true): Promise<void> {
    const now = clock.now().getTime();
    if (now - fullAdoptAt >= FULL_ADOPT_EVERY_MS) full = true;
    const since = full ? undefined : new Date(now - ADOPT_WINDOW_MS);
    for (let i = 0; i < 50 && (await deps.store.followUps.adoptDeposits(200, since)) > 0; i++);
    if (full) fullAdoptAt = now;
  }

  async function pollAll(accountIds: string[]): Promise<AccountReport[]> {
    const reports: AccountReport[] = [];
    let next = 0;
    const worker = async () => {
      while (next < accountIds.length && (!stopped || timer === undefined)) {
        const id = accountIds[next++]!;
        const report = await poller.poll(id);
        if (report) reports.push(report);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, accountIds.length) }, worker));
    return reports;
  }

  /** One cycle for every account with followed invoices, whatever the schedule. */
  async function runOnce(): Promise<CycleReport> {
    const started = performance.now();
    await adoptAll();
    const accounts = await pollAll(await deps.store.followUps.activeAccounts());
    return {
      accounts,
      calls: accounts.reduce((n, a) => n + a.calls, 0),
      ms: Math.round(performance.now() - started),
    };
  }

  async function tick(): Promise<void> {
    try {
      await adoptAll(false);
      const due = await deps.store.followUps.dueAccounts(clock.now(), 100);
      if (due.length > 0) await pollAll(due);
      await dispatcher.dispatchOnce();
      deps.onPending?.(await deps.store.followUps.countActive());
    } catch (error) {
      logger.error({ err: error }, 'follow-up tick failed');
    }
  }

  const tickMs = Math.max(50, Math.min(deps.tickMs ?? 1_000, deps.fixedIntervalMs ?? Infinity));

  return {
    runOnce,
    dispatchOnce: () => dispatcher.dispatchOnce(),
    poll: (accountId: string) => poller.poll(accountId),
    start() {
      if (!stopped) return;
      stopped = false;
      const loop = () => {
        running = tick().finally(() => {
          if (!stopped) timer = setTimeout(loop, tickMs);
        });
      };
      loop();
      logger.info({ intervalMs: deps.fixedIntervalMs ?? null, owner }, 'follow-up started');
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export type FollowUpEngine = ReturnType<typeof createFollowUpEngine>;
