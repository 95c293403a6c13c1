/**
 * At most `limit` tasks at once, and optionally at most `budget` in summed weight (a file's size:
 * the bytes held in memory), the others wait in arrival order. Bounds the PDFs held in memory
 * (each up to 20 MB) when many users send files at the same moment, without making a burst of
 * small invoices wait behind each other: the weight, not the count, is what memory cares about.
 * A task heavier than the whole budget still runs, alone.
 */
export class Semaphore {
  private active = 0;
  private weight = 0;
  private readonly waiting_: Array<{ weight: number; start: () => void }> = [];

  constructor(
    private readonly limit: number,
    private readonly budget = Infinity,
  ) {}

  /** The place in line of a task submitted now: 0 when it would start at once, else 1, 2… */
  get queuePosition(): number {
    return this.waiting_.length > 0 || !this.fits(0) ? this.waiting_.length + 1 : 0;
  }

  /** Tasks running now. */
  get running(): number {
    return this.active;
  }

  /** Tasks waiting for their turn. */
  get waiting(): number {
    return this.waiting_.length;
  }

  async run<T>(task: () => Promise<T>, weight = 0): Promise<T> {
    const w = Math.max(0, weight);
    if (this.waiting_.length === 0 && this.fits(w)) this.take(w);
    // The slot is taken by `pump` when it hands it over.
    else await new Promise<void>((resolve) => this.waiting_.push({ weight: w, start: resolve }));
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.weight -= w;
      this.pump();
    }
  }

  private fits(weight: number): boolean {
    if (this.active >= this.limit) return false;
    return this.active === 0 || this.weight + weight <= this.budget;
  }

  private take(weight: number): void {
    this.active += 1;
    this.weight += weight;
  }

  private pump(): void {
    while (this.waiting_.length > 0 && this.fits(this.waiting_[0]!.weight)) {
      const next = this.waiting_.shift()!;
      this.take(next.weight);
      next.start();
    }
  }
}
