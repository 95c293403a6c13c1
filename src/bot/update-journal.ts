import type { Update } from 'grammy/types';
import type { ChannelStateStore, ChannelStateWrite } from '../app/channel.js';
import type { Logger } from '../shared/logger.js';
import { STATE_NAMESPACE } from './message-slots.js';

/** How many handled update ids are remembered (Telegram re-sends at most the last unconfirmed batch). */
const DONE_MEMORY = 500;

/** The journal as an earlier version kept it: one value holding everything. */
interface LegacyJournal {
  pending: Update[];
  done: number[];
}

/** Keys of the journal's entries: `p:<id>` a received update, `d:<id>` a handled one. */
const pendingKey = (id: number) => `p:${String(id).padStart(12, '0')}`;
const doneKey = (id: number) => `d:${String(id).padStart(12, '0')}`;

/**
 * Durable inbox of the bot. Telegram forgets an update as soon as the next `getUpdates` carries a
 * higher offset (or the webhook answered 200), which happens before the update is handled; so each
 * update is written here first, and marked handled once handled. On start, what is still pending is
 * handled again; updates already handled are recognised and skipped (their replies were sent).
 * One small entry per update in its own namespace: a burst of hundreds of updates in hand costs
 * a few small writes per update, never a rewrite of everything pending; and those writes go in
 * one transaction per poll (received) and per turn of the event loop (handled) when the store can.
 */
export class UpdateJournal {
  private readonly pending = new Map<number, Update>();
  private readonly done = new Set<number>();
  private readonly doneOrder: number[] = [];
  /** Writes started by `markDone` and not finished yet (see `flush`). */
  private readonly writes = new Set<Promise<void>>();
  /** Handled marks (and removals) not written yet: written together, once per turn. */
  private queued: ChannelStateWrite[] = [];
  private readonly namespace: string;

  constructor(
    private readonly store: ChannelStateStore,
    private readonly key: string,
    private readonly logger: Logger,
  ) {
    this.namespace = `${STATE_NAMESPACE}:${key}`;
  }

  /** Reads the journal; returns the updates to handle again, oldest first. */
  async load(): Promise<Update[]> {
    await this.upgradeLegacy();
    const entries = await this.store.list<Update | null>(this.namespace);
    const ids = (prefix: string) =>
      entries.filter((e) => e.key.startsWith(prefix)).map((e) => Number(e.key.slice(2)));
    for (const id of ids('d:')) this.remember(id, true);
    for (const entry of entries) {
      if (!entry.key.startsWith('p:') || !entry.value) continue;
      const update = entry.value;
      // Marked handled but not yet removed when the process stopped.
      if (this.done.has(update.update_id)) this.background(this.store.delete(this.namespace, entry.key));
      else this.pending.set(update.update_id, update);
    }
    return [...this.pending.values()].sort((a, b) => a.update_id - b.update_id);
  }

  /** Records received updates durably; resolves once they are stored. */
  async record(updates: readonly Update[]): Promise<void> {
    const fresh = updates.filter((u) => !this.done.has(u.update_id) && !this.pending.has(u.update_id));
    if (this.store.batch) {
      await this.store.batch(
        this.namespace,
        fresh.map((u) => ({ key: pendingKey(u.update_id), value: u })),
      );
    } else {
      for (const u of fresh) await this.store.set(this.namespace, pendingKey(u.update_id), u);
    }
    for (const u of fresh) this.pending.set(u.update_id, u);
  }

  isDone(updateId: number): boolean {
    return this.done.has(updateId);
  }

  /**
   * Marks an update handled, in the background (`flush` waits for it). The handled mark is written
   * before the update is removed: a stop in between still knows it was handled.
   */
  markDone(updateId: number): void {
    const wasPending = this.pending.delete(updateId);
    if (this.done.has(updateId)) return;
    this.write({ key: doneKey(updateId), value: null });
    if (wasPending) this.write({ key: pendingKey(updateId), delete: true });
    this.remember(updateId, true);
  }

  /** Waits until everything known is stored. */
  async flush(): Promise<void> {
    while (this.writes.size > 0) await Promise.allSettled([...this.writes]);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private remember(id: number, forgetStored: boolean): void {
    if (this.done.has(id)) return;
    this.done.add(id);
    this.doneOrder.push(id);
    while (this.doneOrder.length > DONE_MEMORY) {
      const old = this.doneOrder.shift() as number;
      this.done.delete(old);
      if (forgetStored) this.write({ key: doneKey(old), delete: true });
    }
  }

  /** Queues a write; the queue is written, in order, at the end of this turn of the event loop. */
  private write(w: ChannelStateWrite): void {
    this.queued.push(w);
    if (this.queued.length > 1) return;
    this.background(
      new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        const writes = this.queued;
        this.queued = [];
        if (this.store.batch) return this.store.batch(this.namespace, writes);
        for (const w of writes) {
          if ('delete' in w) await this.store.delete(this.namespace, w.key);
          else await this.store.set(this.namespace, w.key, w.value);
        }
      }),
    );
  }

  private background(write: Promise<void>): void {
    const tracked = write.catch((error: unknown) =>
      this.logger.error({ err: error }, 'telegram journal write failed'),
    );
    this.writes.add(tracked);
    void tracked.finally(() => this.writes.delete(tracked));
  }

  /** The single-value journal of earlier versions becomes entries (once, at the first start). */
  private async upgradeLegacy(): Promise<void> {
    const legacy = await this.store.get<LegacyJournal>(STATE_NAMESPACE, this.key);
    if (!legacy) return;
    const done = new Set(legacy.done ?? []);
    for (const id of done) await this.store.set(this.namespace, doneKey(id), null);
    for (const update of legacy.pending ?? [])
      if (!done.has(update.update_id))
        await this.store.set(this.namespace, pendingKey(update.update_id), update);
    await this.store.delete(STATE_NAMESPACE, this.key);
  }
}
