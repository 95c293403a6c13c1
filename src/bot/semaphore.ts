/**
 * At most `limit` tasks at once, the others wait in arrival order. Bounds the PDFs held in
 * memory (each up to 20 MB) when many users send files at the same moment; the recognition is
 * CPU-bound anyway, so a larger number would only queue them elsewhere.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting_: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  /** The place in line of a task submitted now: 0 when it would start at once, else 1, 2… */
  get queuePosition(): number {
    return this.active >= this.limit ? this.waiting_.length + 1 : 0;
  }

  /** Tasks waiting for their turn. */
  get waiting(): number {
    return this.waiting_.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting_.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting_.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
