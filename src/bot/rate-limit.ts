/**
 * Per-user token buckets, in memory (a restart forgets them, which is harmless). `take` says
 * whether the action may go on; `shouldWarn` lets the caller answer « doucement » once per burst
 * instead of once per dropped message.
 */
export interface RateLimitRule {
  /** Burst size. */
  capacity: number;
  /** Tokens regained per minute. */
  perMinute: number;
}

/** Buckets kept before the first sweep of the full ones. */
const SWEEP_MIN = 1_000;

interface Bucket {
  tokens: number;
  at: number;
  warned: boolean;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  /** Size at which full buckets are next forgotten (doubles with what remains: amortised). */
  private sweepAt = SWEEP_MIN;

  constructor(
    readonly rule: RateLimitRule,
    private readonly now: () => number = Date.now,
  ) {}

  /** Buckets held (users seen lately). */
  get size(): number {
    return this.buckets.size;
  }

  /** Consumes one token of `key`; false when the bucket is empty. */
  take(key: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.rule.capacity, at: now, warned: false };
    const refill = ((now - bucket.at) / 60_000) * this.rule.perMinute;
    bucket.tokens = Math.min(this.rule.capacity, bucket.tokens + refill);
    bucket.at = now;
    this.buckets.set(key, bucket);
    // Every user's bucket, allowed or not, counts: a stream of new users must not grow the map.
    if (this.buckets.size > this.sweepAt) {
      this.sweep(now);
      this.sweepAt = Math.max(SWEEP_MIN, 2 * this.buckets.size);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.warned = false;
      return true;
    }
    return false;
  }

  /** True the first time it is asked after a refused `take` of this burst. */
  shouldWarn(key: string): boolean {
    const bucket = this.buckets.get(key);
    if (!bucket || bucket.warned) return false;
    bucket.warned = true;
    return true;
  }

  /** Forgets full buckets so memory stays bounded with many users. */
  private sweep(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.at === now) continue; // just used
      if (b.tokens + ((now - b.at) / 60_000) * this.rule.perMinute >= this.rule.capacity)
        this.buckets.delete(key);
    }
  }
}
