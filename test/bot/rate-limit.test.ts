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
});
