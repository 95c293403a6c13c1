import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createConfig } from '../../src/config/schema.js';
import { DraftRecords } from '../../src/bot/draft-records.js';
import { MessageSlots } from '../../src/bot/message-slots.js';
import { createStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';

let store: Store;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'facteur-draft-records-'));
  store = await createStore({ dataDir: createConfig({ FACTEUR_DATA_DIR: dataDir }).dataDir });
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('DraftRecords', () => {
  it('reads a draft once per send and writes back only what changed', async () => {
    const slots = new MessageSlots(store.channelState);
    await slots.save(7, 'd1', { revision: 2, slots: { report: { id: 10, keyboard: true } } });
    const writes = vi.spyOn(store.channelState, 'set');
    const reads = vi.spyOn(store.channelState, 'get');

    const untouched = new DraftRecords(slots, 7);
    expect((await untouched.get('d1')).slots.report?.id).toBe(10);
    await untouched.get('d1');
    await untouched.saveChanged();
    expect(reads).toHaveBeenCalledTimes(1);
    expect(writes).not.toHaveBeenCalled();

    const changed = new DraftRecords(slots, 7);
    const record = await changed.get('d1');
    record.slots.report = { id: 11, keyboard: false };
    const fresh = await changed.get('d2'); // a draft with no messages yet, left as read
    expect(fresh).toEqual({ revision: -1, slots: {} });
    await changed.saveChanged();
    expect(writes).toHaveBeenCalledTimes(1);
    expect((await slots.get(7, 'd1')).slots.report).toEqual({ id: 11, keyboard: false });
    writes.mockRestore();
    reads.mockRestore();
  });
});
