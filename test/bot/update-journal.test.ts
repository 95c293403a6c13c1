import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { UpdateJournal } from '../../src/bot/update-journal.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { MemoryChannelState } from './helpers/memory-state.js';

const update = (id: number) =>
  ({ update_id: id, message: { text: `m${id}`, padding: 'x'.repeat(500) } }) as unknown as Update;
const NS = 'telegram:journal:1';

/** Counts what each write puts in the store. */
function measured(state: MemoryChannelState) {
  const sizes: number[] = [];
  const set = state.set.bind(state);
  state.set = async (namespace, key, value) => {
    sizes.push(JSON.stringify(value ?? null).length);
    await set(namespace, key, value);
  };
  return sizes;
}

describe('UpdateJournal', () => {
  it('stores received updates before returning, forgets handled ones, replays the rest', async () => {
    const state = new MemoryChannelState();
    const journal = new UpdateJournal(state, 'journal:1', createSilentLogger());
    expect(await journal.load()).toEqual([]);
    await journal.record([update(1), update(2), update(3)]);
    const pending = async () =>
      (await state.list<Update | null>(NS)).filter((e) => e.value).map((e) => e.value!.update_id);
    expect(await pending()).toEqual([1, 2, 3]);
    journal.markDone(2);
    journal.markDone(1);
    await journal.flush();
    expect(await pending()).toEqual([3]);

    const again = new UpdateJournal(state, 'journal:1', createSilentLogger());
    expect((await again.load()).map((u) => u.update_id)).toEqual([3]);
    expect(again.isDone(1)).toBe(true);
    // Telegram re-sending a handled update (offset not confirmed before a crash) changes nothing.
    await again.record([update(2)]);
    expect(again.pendingCount).toBe(1);
  });

  it('costs a few small writes per update however many are in hand (no rewrite of the backlog)', async () => {
    const state = new MemoryChannelState();
    const sizes = measured(state);
    const journal = new UpdateJournal(state, 'journal:1', createSilentLogger());
    await journal.record(Array.from({ length: 300 }, (_, i) => update(i)));
    expect(sizes).toHaveLength(300);
    const before = sizes.length;
    for (let i = 0; i < 300; i += 1) journal.markDone(i);
    await journal.flush();
    const marks = sizes.slice(before);
    expect(marks).toHaveLength(300);
    expect(Math.max(...marks)).toBeLessThan(16);
    expect((await state.list(NS)).filter((e) => e.key.startsWith('p:'))).toEqual([]);
  });

  it('keeps the last 500 handled ids, not every one ever', async () => {
    const state = new MemoryChannelState();
    const journal = new UpdateJournal(state, 'journal:1', createSilentLogger());
    await journal.record(Array.from({ length: 700 }, (_, i) => update(i)));
    for (let i = 0; i < 700; i += 1) journal.markDone(i);
    await journal.flush();
    const done = (await state.list(NS)).filter((e) => e.key.startsWith('d:'));
    expect(done).toHaveLength(500);
    expect(journal.isDone(699) && !journal.isDone(0)).toBe(true);
  });

  it('takes over the single-value journal of an earlier version', async () => {
    const state = new MemoryChannelState();
    await state.set('telegram', 'journal:1', { pending: [update(7), update(8)], done: [5, 6, 8] });
    const journal = new UpdateJournal(state, 'journal:1', createSilentLogger());
    expect((await journal.load()).map((u) => u.update_id)).toEqual([7]);
    expect(journal.isDone(6)).toBe(true);
    expect(await state.get('telegram', 'journal:1')).toBeUndefined();
    const later = new UpdateJournal(state, 'journal:1', createSilentLogger());
    expect((await later.load()).map((u) => u.update_id)).toEqual([7]);
  });

  it('fails the fetch when the update cannot be stored (so Telegram keeps it)', async () => {
    const state = new MemoryChannelState();
    state.set = async () => {
      throw new Error('disk full');
    };
    const journal = new UpdateJournal(state, 'j', createSilentLogger());
    await expect(journal.record([update(1)])).rejects.toThrow('disk full');
  });
});
