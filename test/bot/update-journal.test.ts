import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { UpdateJournal } from '../../src/bot/update-journal.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { MemoryChannelState } from './helpers/memory-state.js';

const update = (id: number) => ({ update_id: id, message: { text: `m${id}` } }) as unknown as Update;

describe('UpdateJournal', () => {
  it('stores received updates before returning, forgets handled ones, replays the rest', async () => {
    const state = new MemoryChannelState();
    const journal = new UpdateJournal(state, 'journal:1', createSilentLogger());
    expect(await journal.load()).toEqual([]);
    await journal.record([update(1), update(2), update(3)]);
    const stored = await state.get<{ pending: Update[] }>('telegram', 'journal:1');
    expect(stored?.pending.map((u) => u.update_id)).toEqual([1, 2, 3]);
    journal.markDone(2);
    journal.markDone(1);
    await journal.flush();

    const again = new UpdateJournal(state, 'journal:1', createSilentLogger());
    expect((await again.load()).map((u) => u.update_id)).toEqual([3]);
    expect(again.isDone(1)).toBe(true);
    // Telegram re-sending a handled update (offset not confirmed before a crash) changes nothing.
    await again.record([update(2)]);
    expect(again.pendingCount).toBe(1);
  });

  it('coalesces writes: many handled updates cost few writes, none lost', async () => {
    const state = new MemoryChannelState();
    const journal = new UpdateJournal(state, 'j', createSilentLogger());
    await journal.record(Array.from({ length: 100 }, (_, i) => update(i)));
    const writes = state.writes;
    for (let i = 0; i < 100; i += 1) journal.markDone(i);
    await journal.flush();
    expect(state.writes - writes).toBeLessThanOrEqual(3);
    expect((await state.get<{ pending: Update[] }>('telegram', 'j'))?.pending).toEqual([]);
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
