import type { Update } from 'grammy/types';
import type { ChannelStateStore } from '../app/channel.js';
import type { Logger } from '../shared/logger.js';
import { STATE_NAMESPACE } from './message-slots.js';

/** How many handled update ids are remembered (Telegram re-sends at most the last unconfirmed batch). */
const DONE_MEMORY = 500;

interface JournalValue {
  pending: Update[];
  done: number[];
}

/**
 * Durable inbox of the bot. Telegram forgets an update as soon as the next `getUpdates` carries a
 * higher offset (or the webhook answered 200), which happens before the update is handled; so each
 * update is written here first, and removed once handled. On start, what is still pending is
 * handled again; updates already handled are recognised and skipped (their replies were sent).
 * One key per bot, written whole: writes are chained and coalesced so each handled update costs
 * no extra round trip on the hot path.
 */
export class UpdateJournal {
  private readonly pending = new Map<number, Update>();
  private readonly done = new Set<number>();
  private readonly doneOrder: number[] = [];
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  private scheduled: Promise<void> | undefined;

  constructor(
    private readonly store: ChannelStateStore,
    private readonly key: string,
    private readonly logger: Logger,
  ) {}

  /** Reads the journal; returns the updates to handle again, oldest first. */
  async load(): Promise<Update[]> {
    const value = await this.store.get<JournalValue>(STATE_NAMESPACE, this.key);
    for (const id of value?.done ?? []) this.remember(id);
    for (const update of value?.pending ?? [])
      if (!this.done.has(update.update_id)) this.pending.set(update.update_id, update);
    return [...this.pending.values()].sort((a, b) => a.update_id - b.update_id);
  }

  /** Records received updates durably; resolves once they are stored. */
  async record(updates: readonly Update[]): Promise<void> {
    let added = false;
    for (const update of updates) {
      if (this.done.has(update.update_id) || this.pending.has(update.update_id)) continue;
      this.pending.set(update.update_id, update);
      added = true;
    }
    if (added) await this.persist();
  }

  isDone(updateId: number): boolean {
    return this.done.has(updateId);
  }

  /** Marks an update handled; stored with the next write (see `flush`). */
  markDone(updateId: number): void {
    this.pending.delete(updateId);
    this.remember(updateId);
    void this.persist().catch((error: unknown) =>
      this.logger.error({ err: error }, 'telegram journal write failed'),
    );
  }

  /** Waits until everything known is stored. */
  async flush(): Promise<void> {
    await this.persist();
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private remember(id: number): void {
    if (this.done.has(id)) return;
    this.done.add(id);
    this.doneOrder.push(id);
    while (this.doneOrder.length > DONE_MEMORY) this.done.delete(this.doneOrder.shift() as number);
  }

  /**
   * At most one write in flight and one scheduled after it; the scheduled one writes the state
   * as it is when it starts, so every caller's change is included once it resolves.
   */
  private persist(): Promise<void> {
    this.dirty = true;
    if (this.scheduled) return this.scheduled;
    const next = this.writing.then(async () => {
      this.scheduled = undefined;
      if (!this.dirty) return;
      this.dirty = false;
      const value: JournalValue = { pending: [...this.pending.values()], done: [...this.doneOrder] };
      await this.store.set(STATE_NAMESPACE, this.key, value);
    });
    this.scheduled = next;
    this.writing = next.catch(() => undefined);
    return next;
  }
}
