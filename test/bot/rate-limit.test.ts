import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/bot/rate-limit.js';

describe('RateLimiter', () => {
  it('allows a burst, refuses beyond it, refills over time, per user', () => {
    let now = 0;
    const limiter = new RateLimiter({ capacity: 3, perMinute: 6 }, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
    expect(limiter.take('b')).toBe(true);
    expect(limiter.shouldWarn('a')).toBe(true);
    expect(limiter.shouldWarn('a')).toBe(false);
    now += 10_000; // one token back (6 a minute)
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
    expect(limiter.shouldWarn('a')).toBe(true);
    now += 3_600_000;
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
  });

  it('forgets the full buckets of past users: a stream of new users does not grow it', () => {
    let now = 0;
    const limiter = new RateLimiter({ capacity: 3, perMinute: 6 }, () => now);
    for (let i = 0; i < 20_000; i++) {
      now += 100; // a new user every 100 ms, each sending once
      expect(limiter.take(`user-${i}`)).toBe(true);
    }
    // A bucket is full again 10 s after its one take: only the last ones are kept.
    expect(limiter.size).toBeLessThanOrEqual(2_000);
  });
});
