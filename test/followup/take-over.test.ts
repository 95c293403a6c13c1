/**
 * Take-over between instances (issue #11): an account lease or a notification claim left by a
 * dead process lapses after its (short) length and any instance then does the work; a live
 * poll or send renews its lease, so it is never taken over while it runs; a poller whose lease
 * passed to another instance writes nothing more (fencing).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAccountPoller } from '../../src/followup/cycle.js';
import { createDispatcher, type Deliver } from '../../src/followup/dispatcher.js';
import { scheduleFor } from '../../src/followup/schedule.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { LeaseLostError } from '../../src/store/follow-up-leases.js';
import type { OutboxInput, Store } from '../../src/store/index.js';
import { invoicePdf, type Harness } from '../deposit/helpers.js';
import { BACKENDS } from '../store/helpers.js';
import { untilWithin } from '../mail/helpers/until.js';
import { closeWorld, DEMO, followUpHarness, openWorld, type World, type WorldOnBackend } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * The lease of the live pollers and senders (renewed every 500 ms). The full suite runs on two
 * loaded cores, where a timer can fire a second late: every wait below leaves seconds of room, and
 * waits for the state it needs (a lease held) rather than a fixed time.
 */
const LEASE_MS = 1_500;
const until = untilWithin(20_000);
let pdf: Uint8Array;
let harness: Harness;

beforeAll(async () => {
  pdf = await invoicePdf();
  harness = await followUpHarness();
});
afterAll(() => harness?.close());

describe.each(BACKENDS)('follow-up take-over on %s', (backendName) => {
  let world: WorldOnBackend | undefined;
  let store: Store;
  let w: World;

  beforeAll(async () => {
    world = await openWorld(backendName, harness);
    ({ store, w } = world);
  });
  afterAll(() => closeWorld(world));

  const clock = { now: () => harness.sim.now() };
  const poller = (owner: string, leaseMs: number) =>
    createAccountPoller({
      store,
      service: w.service,
      credentials: async () => DEMO,
      logger: createSilentLogger(),
      clock,
      schedule: scheduleFor(1_000),
      owner,
      leaseMs,
    });
  const statuses = async (id: number) =>
    (await store.outbox.list({ accountId: w.accountId }))
      .filter((n) => n.chorusInvoiceId === id)
      .map((n) => n.status);
  const holds = (owner: string) => async () =>
    (await store.followUps.accountState(w.accountId)).leaseOwner === owner;
  /** A deposited invoice changed to `status`, and a poll by `owner` slowed down in its history call, lease held. */
  const slowPoll = async (status: string, comment: string, latencyMs: number, owner: string) => {
    const r = await w.deposit(pdf);
    await w.h.sim.setInvoiceStatus(r.chorusInvoiceId, status, comment);
    w.h.sim.injectFault({ kind: 'latency', latencyMs, operation: '/factures/v1/consulter/historique' });
    const poll = poller(owner, LEASE_MS).poll(w.accountId);
    await until(holds(owner), `${owner} holds the lease`);
    return { r, poll };
  };

  it("a dead instance's account lease lapses and another instance polls the account", async () => {
    const r = await w.deposit(pdf);
    await w.h.sim.setInvoiceStatus(r.chorusInvoiceId, 'SUSPENDUE', 'Pièce manquante');
    // The dead process's lease: nobody renews it any more.
    expect(
      await store.followUps.acquireLease(w.accountId, 'dead/1', new Date(clock.now().getTime() + 3_000)),
    ).toBe(true);
    const live = poller('live/1', LEASE_MS);
    expect(await live.poll(w.accountId)).toBeUndefined();
    expect(await store.followUps.dueAccounts(clock.now())).not.toContain(w.accountId);

    await sleep(3_100);
    expect(await store.followUps.dueAccounts(clock.now())).toContain(w.accountId);
    const report = (await live.poll(w.accountId))!;
    expect(report.error).toBeUndefined();
    expect(report.changes.map((c) => c.to)).toContain('SUSPENDUE');
    expect(await statuses(r.chorusInvoiceId)).toContain('SUSPENDUE');
    expect((await store.followUps.accountState(w.accountId)).leaseOwner).toBeUndefined();
  });

  it('a poll longer than its lease keeps it (renewed), so no other instance polls meanwhile', async () => {
    const { r, poll: slow } = await slowPoll('SUSPENDUE', 'Bon de commande', 6_000, 'slow/1');
    await sleep(2 * LEASE_MS + 300); // more than two lease lengths, inside the slow history call
    expect(
      await store.followUps.acquireLease(w.accountId, 'other/1', new Date(clock.now().getTime() + 60_000)),
    ).toBe(false);
    const report = (await slow)!;
    expect(report.error).toBeUndefined();
    expect(await statuses(r.chorusInvoiceId)).toContain('SUSPENDUE');
    w.h.sim.clearFaults();
  });

  it('a renewal extends only a lease its owner still holds, and never takes a released one back', async () => {
    const until = () => new Date(clock.now().getTime() + 60_000);
    expect(await store.followUps.acquireLease(w.accountId, 'renew/1', until())).toBe(true);
    expect(await store.followUps.renewLease(w.accountId, 'renew/1', until())).toBe(true);
    expect(await store.followUps.renewLease(w.accountId, 'other/2', until())).toBe(false);
    // The poll is over and released its lease; a renewal that was still on its way lands after.
    await store.followUps.releaseLease(w.accountId, 'renew/1');
    expect(await store.followUps.renewLease(w.accountId, 'renew/1', until())).toBe(false);
    expect((await store.followUps.accountState(w.accountId)).leaseOwner).toBeUndefined();
  });

  it('a poller whose lease passed to another instance writes nothing more (fenced)', async () => {
    const { r, poll: stale } = await slowPoll('REJETEE', 'Cadre erroné', 3_000, 'stale/1');
    // The stale process's lease passes to another instance (as after a long pause of its own).
    await store.followUps.releaseLease(w.accountId, 'stale/1');
    expect(
      await store.followUps.acquireLease(w.accountId, 'new/1', new Date(clock.now().getTime() + 60_000)),
    ).toBe(true);
    const report = (await stale)!;
    expect(report.error).toBe(new LeaseLostError(w.accountId).userMessage);
    expect(await statuses(r.chorusInvoiceId)).not.toContain('REJETEE');
    expect((await store.followUps.accountState(w.accountId)).leaseOwner).toBe('new/1'); // not released by the stale one
    await expect(
      store.followUps.applyChange(
        w.accountId,
        r.chorusInvoiceId,
        { status: 'REJETEE', statusAt: new Date().toISOString(), history: [], active: false },
        [],
        'stale/1',
      ),
    ).rejects.toBeInstanceOf(LeaseLostError);
    await store.followUps.releaseLease(w.accountId, 'new/1');
    w.h.sim.clearFaults();
    const taken = (await poller('new/2', LEASE_MS).poll(w.accountId))!;
    expect(taken.error).toBeUndefined();
    expect((await statuses(r.chorusInvoiceId)).filter((s) => s === 'REJETEE')).toHaveLength(1);
  });

  describe('notification claims', () => {
    let n = 0;
    const queue = async (): Promise<number> => {
      const key = `status:${w.accountId}:take-over:${backendName}:${++n}`;
      const row: OutboxInput = {
        dedupKey: key,
        accountId: w.accountId,
        chorusInvoiceId: 1,
        kind: 'status',
        status: 'SUSPENDUE',
        channel: 'telegram',
        userId: `take-over-${n}`,
        payload: {
          kind: 'status',
          chorusInvoiceId: 1,
          invoiceNumber: `T-${n}`,
          recipientSiret: '21330063500017',
          totalInclTaxCents: 120_000,
          currency: 'EUR',
          depositedAt: '2026-03-01T10:00:00.000Z',
          status: 'SUSPENDUE',
          at: '2026-03-02T10:00:00.000Z',
          comment: 'Pièce manquante',
        },
      };
      await store.followUps.applyChange(
        w.accountId,
        1,
        { status: 'SUSPENDUE', statusAt: new Date().toISOString(), history: [], active: true },
        [row],
      );
      return (await store.outbox.list({ accountId: w.accountId })).find((e) => e.dedupKey === key)!.id;
    };
    const sender = (owner: string, deliver: Deliver) =>
      createDispatcher({
        store,
        logger: createSilentLogger(),
        owner,
        clock,
        leaseMs: LEASE_MS,
        deliverers: () => ({ telegram: deliver }),
      });
    // The earlier tests' notifications are sent first: each test below starts with an empty queue.
    beforeEach(async () => {
      const drain = sender('drain/1', async () => undefined);
      for (let i = 0; i < 20 && (await drain.dispatchOnce()).sent > 0; i++);
    });
    const delivered = async (id: number) =>
      (await store.outbox.list({ accountId: w.accountId })).find((e) => e.id === id)!.deliveredAt;

    it("a dead sender's claim lapses and another instance sends the row", async () => {
      const id = await queue();
      const [claimed] = await store.outbox.claim(['telegram'], 'dead/2', 3_000, 1);
      expect(claimed!.id).toBe(id);
      const sent: string[] = [];
      const live = sender('live/2', async (who) => void sent.push(who.userId));
      expect((await live.dispatchOnce()).sent).toBe(0);
      await sleep(3_100);
      expect((await live.dispatchOnce()).sent).toBe(1);
      expect(sent).toEqual([claimed!.userId]);
      expect(await delivered(id)).toBeDefined();
    });

    it('a send longer than its claim keeps it, so another instance never sends it too', async () => {
      const id = await queue();
      const sent: string[] = [];
      const slow = sender('slow/2', async (who) => {
        await sleep(6_000);
        sent.push(`slow:${who.userId}`);
      });
      const other = sender('other/2', async (who) => void sent.push(`other:${who.userId}`));
      const sending = slow.dispatchOnce();
      await sleep(2 * LEASE_MS + 300); // more than two claim lengths, inside the slow send
      expect((await other.dispatchOnce()).sent).toBe(0);
      expect((await sending).sent).toBe(1);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatch(/^slow:/);
      expect(await delivered(id)).toBeDefined();
    });
  });
});
