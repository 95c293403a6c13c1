/**
 * First reports come first. From a document's update to its report in the chat, the document is
 * « urgent ». Meanwhile the work that can wait — a pressed button's next step, a typed answer, a
 * preview's drawing and sending — gives way:
 *  - while documents are queued for analysis (`backlog`), it waits (at most `maxHoldMs`, so it is
 *    never starved under a steady flow of documents);
 *  - while documents are being analysed, it runs one task at a time instead of all at once;
 *  - once nothing is urgent, it runs freely again.
 * In a month's-end burst the event loop and the recognition pool then turn the documents into
 * their reports first, instead of interleaving them with other users' later steps.
 */
interface Waiter {
  resolve: () => void;
  since: number;
}

export interface ReportPriorityOptions {
  /** Later steps running at once while a document is urgent (default 1). */
  lowAtOnce?: number;
  /** Documents waiting for their turn to be analysed (default none). */
  backlog?: () => number;
  /** Longest wait of a later step behind a backlog (default 10 s). */
  maxHoldMs?: number;
}

export class ReportPriority {
  private urgent = 0;
  /** Chats with a document waiting for its report (their sends go first in the throttler). */
  private readonly chats = new Map<number, number>();
  private lowActive = 0;
  private readonly lowQueue: Waiter[] = [];
  private open = false;
  private holdTimer: NodeJS.Timeout | undefined;
  private readonly lowAtOnce: number;
  private readonly backlog: () => number;
  private readonly maxHoldMs: number;

  constructor(options: ReportPriorityOptions = {}) {
    this.lowAtOnce = options.lowAtOnce ?? 1;
    this.backlog = options.backlog ?? (() => 0);
    this.maxHoldMs = options.maxHoldMs ?? 10_000;
  }

  /** Documents between their update and their report. */
  get pending(): number {
    return this.urgent;
  }

  /** Whether a document of this chat waits for its report. */
  isUrgent(chatId: number): boolean {
    return this.chats.has(chatId);
  }

  /** Marks one document of `chatId` urgent; the returned function ends it (idempotent). */
  begin(chatId: number): () => void {
    this.urgent += 1;
    this.chats.set(chatId, (this.chats.get(chatId) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.urgent -= 1;
      const left = (this.chats.get(chatId) ?? 1) - 1;
      if (left > 0) this.chats.set(chatId, left);
      else this.chats.delete(chatId);
      this.pumpLow();
    };
  }

  /** Runs work that can wait (see the class comment). */
  async runLow<T>(task: () => Promise<T>): Promise<T> {
    if (this.lowQueue.length === 0 && this.mayStart(Date.now())) this.lowActive += 1;
    // The slot is counted by `pumpLow` when it hands it over.
    else
      await new Promise<void>((resolve) => {
        this.lowQueue.push({ resolve, since: Date.now() });
        this.armHold();
      });
    try {
      return await task();
    } finally {
      this.lowActive -= 1;
      this.pumpLow();
    }
  }

  /** Lets everything that waits go on, now and from now on (the channel stops). */
  release(): void {
    this.open = true;
    this.pumpLow();
  }

  /** Whether the next later step (waiting since `since`, or new) may start now. */
  private mayStart(now: number, since = now): boolean {
    if (this.open || this.urgent === 0) return true;
    if (this.lowActive >= this.lowAtOnce) return false;
    return this.backlog() === 0 || now - since >= this.maxHoldMs;
  }

  private pumpLow(): void {
    const now = Date.now();
    while (this.lowQueue.length > 0 && this.mayStart(now, this.lowQueue[0]!.since)) {
      this.lowActive += 1;
      this.lowQueue.shift()!.resolve();
    }
    this.armHold();
  }

  /** Wakes the pump when the oldest waiter has waited long enough behind a backlog. */
  private armHold(): void {
    if (this.holdTimer || this.lowQueue.length === 0 || this.open) return;
    const due = this.lowQueue[0]!.since + this.maxHoldMs - Date.now();
    // Overdue already while a later step runs: its end pumps again. Overdue with nothing running
    // (the pump judged it a millisecond earlier, on its own reading of the clock): wake it at
    // once, or it would wait for the next document's report, maybe forever.
    if (due <= 0 && this.lowActive > 0) return;
    this.holdTimer = setTimeout(
      () => {
        this.holdTimer = undefined;
        this.pumpLow();
      },
      Math.max(1, due),
    );
    this.holdTimer.unref();
  }
}
