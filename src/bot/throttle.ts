import type { Transformer } from 'grammy';

/**
 * Telegram's limits for outgoing messages (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
 * about 30 messages a second in all, about one a second in one private chat (short bursts are
 * tolerated), 20 a minute in a group. The calls that carry a `chat_id` are queued accordingly, in
 * order per chat (one at a time in a chat); calls without a chat (answerCallbackQuery, getUpdates,
 * getFile) are not queued. Private chats get a small burst (5 calls) that refills at one a second:
 * a turn's messages go out at once, a flood is spread out.
 *
 * The same rules as @grammyjs/transformer-throttler's Bottleneck setup this replaces, at a fraction
 * of its cost per call (two Bottleneck limiters and their event machinery per message were a
 * visible share of the event loop in a burst), plus a priority: when the global limit makes calls
 * wait, those of the chats `urgent` names (a document waiting for its first report) go first.
 */
export interface ThrottleLimits {
  /** Calls a second in all (default 30). */
  globalPerSecond: number;
  /** Calls sent at once in one private chat (default 5), then `perChatPerSecond` (default 1). */
  perChatBurst: number;
  perChatPerSecond: number;
}

export const TELEGRAM_LIMITS: ThrottleLimits = { globalPerSecond: 30, perChatBurst: 5, perChatPerSecond: 1 };

/** Groups: 20 messages in any minute, one a second, one at a time. */
const GROUP = { perWindow: 20, windowMs: 60_000, minGapMs: 1_000 };

type Call = () => Promise<unknown>;

interface Job {
  call: Call;
  chat: ChatQueue;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface ChatQueue {
  id: number;
  waiting: Job[];
  /** A call of this chat is waiting for the global turn or running. */
  busy: boolean;
  /** Private chats: tokens left and when they were counted. */
  tokens: number;
  countedAt: number;
  /** Groups: start times within the window. */
  starts: number[];
  timer?: NodeJS.Timeout;
}

export function createThrottler(
  limits: Partial<ThrottleLimits> = {},
  urgent: (chatId: number) => boolean = () => false,
): Transformer & { chatsHeld(): number } {
  const { globalPerSecond, perChatBurst, perChatPerSecond } = { ...TELEGRAM_LIMITS, ...limits };
  // Spaced evenly rather than 30 per clock second: never more than 30 in any one-second window.
  const globalGapMs = Math.ceil(1_000 / globalPerSecond);
  const refillMs = Math.max(1, Math.round(1_000 / perChatPerSecond));
  const chats = new Map<number, ChatQueue>();
  /** Calls admitted by their chat, waiting for the global turn: urgent chats' first. */
  const ready: [Job[], Job[]] = [[], []];
  let nextGlobalAt = 0;
  let globalTimer: NodeJS.Timeout | undefined;

  function chatOf(id: number): ChatQueue {
    let chat = chats.get(id);
    if (!chat) {
      if (chats.size >= nextSweepAt) sweep();
      chat = { id, waiting: [], busy: false, tokens: perChatBurst, countedAt: Date.now(), starts: [] };
      chats.set(id, chat);
    }
    return chat;
  }

  /** Ms until the chat may start its next call (0: now), counting its token or window. */
  function chatDelay(chat: ChatQueue, now: number): number {
    if (chat.id < 0) {
      chat.starts = chat.starts.filter((t) => now - t < GROUP.windowMs);
      const last = chat.starts.at(-1);
      const gap = last === undefined ? 0 : Math.max(0, last + GROUP.minGapMs - now);
      const window = chat.starts.length < GROUP.perWindow ? 0 : chat.starts[0]! + GROUP.windowMs - now;
      return Math.max(gap, window);
    }
    const gained = Math.floor((now - chat.countedAt) / refillMs);
    if (gained > 0) {
      chat.tokens = Math.min(perChatBurst, chat.tokens + gained);
      chat.countedAt = chat.tokens === perChatBurst ? now : chat.countedAt + gained * refillMs;
    }
    return chat.tokens >= 1 ? 0 : chat.countedAt + refillMs - now;
  }

  /** Hands the chat's next call to the global queue once the chat's own limit allows it. */
  function admit(chat: ChatQueue): void {
    if (chat.busy || chat.timer || chat.waiting.length === 0) return;
    const now = Date.now();
    const delay = chatDelay(chat, now);
    if (delay > 0) {
      // Unref'd: a call abandoned at stop (the API guard rejected its caller) keeps nothing alive.
      chat.timer = setTimeout(() => {
        chat.timer = undefined;
        admit(chat);
      }, delay).unref();
      return;
    }
    if (chat.id < 0) chat.starts.push(now);
    else chat.tokens -= 1;
    chat.busy = true;
    const job = chat.waiting.shift() as Job;
    ready[urgent(chat.id) ? 0 : 1].push(job);
    pump();
  }

  function pump(): void {
    if (globalTimer) return;
    for (;;) {
      const queue = ready[0].length > 0 ? ready[0] : ready[1];
      if (queue.length === 0) return;
      const now = Date.now();
      if (now < nextGlobalAt) {
        globalTimer = setTimeout(() => {
          globalTimer = undefined;
          pump();
        }, nextGlobalAt - now).unref();
        return;
      }
      nextGlobalAt = now + globalGapMs;
      start(queue.shift() as Job);
    }
  }

  function start(job: Job): void {
    const { chat } = job;
    const done = () => {
      chat.busy = false;
      if (chat.waiting.length > 0) admit(chat);
      else if (!chat.timer && chatDelay(chat, Date.now()) === 0 && fresh(chat)) chats.delete(chat.id);
    };
    let result: Promise<unknown>;
    try {
      result = job.call();
    } catch (error) {
      done();
      job.reject(error);
      return;
    }
    result.then(
      (value: unknown) => {
        done();
        job.resolve(value);
      },
      (error: unknown) => {
        done();
        job.reject(error);
      },
    );
  }

  /**
   * Idle chats are kept only until their limits are back to full (a new one starts full anyway):
   * swept once they are many, so a month's end of one-document users leaves no trail. Past
   * 10,000 idle chats, even those not yet full are forgotten (memory stays bounded).
   */
  let nextSweepAt = 1_000;
  function sweep(): void {
    const now = Date.now();
    for (const [key, c] of chats) {
      if (c.busy || c.timer || c.waiting.length > 0) continue;
      if (chats.size >= 10_000 || (chatDelay(c, now) === 0 && fresh(c))) chats.delete(key);
    }
    nextSweepAt = Math.max(1_000, chats.size * 2);
  }

  /** An idle chat whose limits are back to full is forgotten (a new one starts full anyway). */
  function fresh(chat: ChatQueue): boolean {
    return chat.id < 0 ? chat.starts.length === 0 : chat.tokens >= perChatBurst;
  }

  const transformer: Transformer = (prev, method, payload, signal) => {
    const raw = payload && typeof payload === 'object' && 'chat_id' in payload ? payload.chat_id : undefined;
    const chatId = Number(raw);
    if (raw === undefined || !Number.isFinite(chatId)) return prev(method, payload, signal);
    const chat = chatOf(chatId);
    const queued = new Promise<unknown>((resolve, reject) => {
      chat.waiting.push({ call: () => prev(method, payload, signal), chat, resolve, reject });
      admit(chat);
    });
    // The answer of `prev` for this very method, only later.
    return queued as ReturnType<typeof prev<typeof method>>;
  };
  return Object.assign(transformer, { chatsHeld: () => chats.size });
}
