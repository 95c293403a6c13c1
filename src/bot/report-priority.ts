/**
 * First reports come first. From a document's update to its report in the chat, the document is
 * « urgent »; the work that can wait — a pressed button's next step, a typed answer, a preview's
 * drawing and sending — waits until nothing is urgent (at most `maxWaitMs`, so it is never
 * starved under a steady flow of documents). In a month's-end burst, the recognition pool and the
 * event loop then turn every document into its report before anyone's deposit goes on, instead of
 * interleaving the reports with other users' later steps.
 */
export class ReportPriority {
  private urgent = 0;
  private waiters = new Set<() => void>();
  /** Chats with a document waiting for its report (their sends go first in the throttler). */
  private readonly chats = new Map<number, number>();

  constructor(private readonly maxWaitMs = 5_000) {}

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
      if (this.urgent === 0) this.release();
    };
  }

  /** Resolves once no document is urgent, or after `maxWaitMs`. */
  async idle(): Promise<void> {
    if (this.urgent === 0) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.maxWaitMs);
      this.waiters.add(done);
    });
  }

  /** Lets everything that waits go on (no document left urgent, or the channel stops). */
  release(): void {
    for (const done of [...this.waiters]) done();
  }
}
