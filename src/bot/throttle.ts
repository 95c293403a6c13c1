import type { APIThrottlerOptions } from '@grammyjs/transformer-throttler';

/**
 * Telegram's limits for outgoing messages (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
 * about 30 messages a second in all, about one a second in one private chat (short bursts are
 * tolerated), 20 a minute in a group. @grammyjs/transformer-throttler queues the calls that carry a
 * `chat_id` accordingly, in order per chat. Its default for private chats (one call a second, no
 * burst) would make a report with its preview and buttons take seconds, so private chats get a
 * small burst (5 calls) that refills at one a second: a turn's messages go out at once, a flood is
 * spread out. Calls without a chat (answerCallbackQuery, getUpdates) are not queued.
 */
export interface ThrottleLimits {
  /** Calls a second in all (default 30). */
  globalPerSecond: number;
  /** Calls sent at once in one private chat (default 5), then `perChatPerSecond` (default 1). */
  perChatBurst: number;
  perChatPerSecond: number;
}

export const TELEGRAM_LIMITS: ThrottleLimits = { globalPerSecond: 30, perChatBurst: 5, perChatPerSecond: 1 };

export function throttlerOptions(limits: Partial<ThrottleLimits> = {}): APIThrottlerOptions {
  const { globalPerSecond, perChatBurst, perChatPerSecond } = { ...TELEGRAM_LIMITS, ...limits };
  return {
    // Spaced evenly rather than 30 per clock second: never more than 30 in any one-second window.
    global: { minTime: Math.ceil(1_000 / globalPerSecond) },
    // Each chat gets its own limiter; one idle longer than its refill time is dropped (a burst of
    // users must not leave thousands of limiters in memory: the default keeps them 5 minutes).
    group: {
      timeout: 70_000,
      maxConcurrent: 1,
      minTime: 1_000,
      reservoir: 20,
      reservoirRefreshAmount: 20,
      reservoirRefreshInterval: 60_000,
    },
    out: {
      timeout: 10_000,
      maxConcurrent: 1,
      reservoir: perChatBurst,
      reservoirIncreaseAmount: 1,
      reservoirIncreaseInterval: Math.max(1, Math.round(1_000 / perChatPerSecond)),
      reservoirIncreaseMaximum: perChatBurst,
    },
  };
}
