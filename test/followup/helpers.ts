/**
 * The follow-up tests' world: the simulator (real HTTP), a store (SQLite or PostgreSQL), the
 * follow-up client, and an engine whose clock is the simulator's (so days can pass).
 */
import {
  createChorusClientFactory,
  createFollowUpService,
  type DepositReceipt,
} from '../../src/deposit/index.js';
import { createFollowUpEngine, type FollowUpEngineDeps } from '../../src/followup/engine.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import type { Store } from '../../src/store/index.js';
import { DEMO, depositFresh, startHarness, submission, type Harness } from '../deposit/helpers.js';
import type { Submission } from '../../src/deposit/index.js';
import { createBackend, type Backend, type BackendName } from '../store/helpers.js';

export { DEMO };

export interface World {
  h: Harness;
  store: Store;
  accountId: string;
  engine(extra?: Partial<FollowUpEngineDeps>): ReturnType<typeof createFollowUpEngine>;
  /** Deposits an invoice and starts following it (as a Telegram draft of user 42). */
  deposit(
    pdf: Uint8Array,
    overrides?: Partial<Submission>,
    channel?: 'telegram' | 'email' | 'terminal',
  ): Promise<DepositReceipt>;
  /** Moves the simulated clock (and so the engine's clock). */
  advance(ms: number): Promise<void>;
  service: ReturnType<typeof createFollowUpService>;
  calls: () => number;
}

export async function createWorld(store: Store, h?: Harness): Promise<World> {
  const harness = h ?? (await followUpHarness());
  const clientFor = createChorusClientFactory(harness.installation);
  const service = createFollowUpService({ clientFor });
  const account = await store.accounts.create({ name: `compte-${Math.random().toString(36).slice(2, 8)}` });
  const countCalls = () =>
    harness.sent.filter((s) => /rechercher\/fournisseur|consulter\/historique/.test(s.url)).length;
  return {
    h: harness,
    store,
    accountId: account.id,
    service,
    calls: countCalls,
    engine: (extra = {}) =>
      createFollowUpEngine({
        store,
        service,
        credentials: async () => DEMO,
        logger: createSilentLogger(),
        clock: { now: () => harness.sim.now() },
        owner: 'test-instance',
        ...extra,
      }),
    async deposit(pdf, overrides = {}, channel = 'telegram') {
      const receipt = await harness.service.submit(
        DEMO,
        submission(await depositFresh(harness, pdf), overrides),
      );
      await store.followUps.track({
        accountId: account.id,
        chorusInvoiceId: receipt.chorusInvoiceId,
        channel,
        userId: channel === 'email' ? 'camille@example.org' : channel === 'terminal' ? 'local' : '42',
        invoiceNumber: receipt.invoiceNumber,
        recipientSiret: receipt.recipientSiret,
        ...(receipt.recipientName ? { recipientName: receipt.recipientName } : {}),
        totalInclTaxCents: receipt.totalInclTaxCents,
        currency: receipt.currency,
        depositedAt: receipt.depositedAt,
        status: receipt.status,
      });
      return receipt;
    },
    advance: (ms) => harness.sim.advanceClock(ms),
  };
}

/** A world on a fresh back-end (its own schema or file), for one `describe.each(BACKENDS)` block. */
export interface WorldOnBackend {
  backend: Backend;
  store: Store;
  w: World;
}

export async function openWorld(backendName: BackendName, harness: Harness): Promise<WorldOnBackend> {
  const backend = await createBackend(backendName);
  const store = await backend.open();
  return { backend, store, w: await createWorld(store, harness) };
}

export async function closeWorld(world: WorldOnBackend | undefined): Promise<void> {
  await world?.store.close();
  await world?.backend.dispose();
}

/** The simulator every follow-up suite runs against: slow routing, so statuses move only when told. */
export const followUpHarness = () =>
  startHarness({ lifecycle: { routingAfterMs: 60_000, availableAfterMs: 300_000 } });
