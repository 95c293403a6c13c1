/**
 * First reports come first. From a document's update to its report in the chat, the document is
 * « urgent ». Meanwhile the work that can wait — a pressed button's next step, a typed answer, a
 * preview's drawing and sending — runs one task at a time instead of all at once: in a month's-end
 * burst the event loop and the recognition pool turn the documents into their reports first,
 * while the other users' later steps still move on (slowly, never starved). Once nothing is
 * urgent, that work runs freely again.
 */
export class ReportPriority {
  private urgent = 0;
  /** Chats with a document waiting for its report (their sends go first in the throttler). */
  private readonly chats = new Map<number, number>();
  private lowActive = 0;
  private readonly lowQueue: Array<() => void> = [];
  private open = false;

  constructor(private readonly lowAtOnce = 1) {}

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

  /** Runs work that can wait: one such task at a time while a document is urgent. */
  async runLow<T>(task: () => Promise<T>): Promise<T> {
    if (this.mayStartLow()) this.lowActive += 1;
    // The slot is counted by `pumpLow` when it hands it over.
    else await new Promise<void>((resolve) => this.lowQueue.push(resolve));
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

  private mayStartLow(): boolean {
    return this.open || this.urgent === 0 || this.lowActive < this.lowAtOnce;
  }

  private pumpLow(): void {
    while (this.lowQueue.length > 0 && this.mayStartLow()) {
      this.lowActive += 1;
      (this.lowQueue.shift() as () => void)();
    }
  }
}
