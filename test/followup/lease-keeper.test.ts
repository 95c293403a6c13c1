import { describe, expect, it } from 'vitest';
import { keepLease } from '../../src/followup/lease-keeper.js';
import { createSilentLogger } from '../../src/shared/logger.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logger = createSilentLogger();

describe('lease keeper', () => {
  it('renews every third of the lease while the work runs, and stops when told', async () => {
    let renewals = 0;
    const lease = keepLease(async () => (renewals++, true), {
      leaseMs: 60,
      maxMs: 60_000,
      logger,
      what: 't',
    });
    await sleep(250); // a loaded machine delays timers: at least two beats of 20 ms
    expect(renewals).toBeGreaterThanOrEqual(2);
    expect(lease.lost).toBe(false);
    lease.stop();
    const after = renewals;
    await sleep(80);
    expect(renewals).toBe(after);
  });

  it('is lost once a renewal is refused (another owner took the lease), and renews no more', async () => {
    let renewals = 0;
    const lease = keepLease(async () => ++renewals < 2, { leaseMs: 30, maxMs: 60_000, logger, what: 't' });
    await sleep(250);
    expect(lease.lost).toBe(true);
    expect(renewals).toBe(2);
    lease.stop();
  });

  it('keeps trying after a failed renewal (the store briefly away): not lost', async () => {
    let renewals = 0;
    const lease = keepLease(
      async () => {
        if (++renewals === 1) throw new Error('connection reset');
        return true;
      },
      { leaseMs: 30, maxMs: 60_000, logger, what: 't' },
    );
    await sleep(250);
    expect(renewals).toBeGreaterThanOrEqual(2);
    expect(lease.lost).toBe(false);
    lease.stop();
  });

  it('stops renewing after maxMs (a hung call does not hold the lease forever)', async () => {
    let renewals = 0;
    const lease = keepLease(async () => (renewals++, true), { leaseMs: 30, maxMs: 50, logger, what: 't' });
    await sleep(300);
    expect(lease.lost).toBe(true);
    const after = renewals;
    await sleep(60);
    expect(renewals).toBe(after);
    lease.stop();
  });
});
