import { type StoreContext, nowMs } from './context.js';
import { decodeJson, encodeJson } from './json.js';
import type { ChannelStateStoreWithPrune } from './types.js';

/**
 * `ChannelStateStore` on the `channel_state` table. A value written as `undefined` (or a key
 * claimed without value) reads back as `null`: present, but empty.
 */
const UPSERT = `INSERT INTO channel_state (namespace, key, value, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`;

export function createChannelStateStore(ctx: StoreContext): ChannelStateStoreWithPrune {
  const { db } = ctx;
  return {
    async get<T = unknown>(namespace: string, key: string): Promise<T | undefined> {
      const row = await db.one<{ value: string }>(
        'SELECT value FROM channel_state WHERE namespace = ? AND key = ?',
        [namespace, key],
      );
      return row ? decodeJson<T>(row.value) : undefined;
    },
    async set(namespace, key, value) {
      await db.run(UPSERT, [namespace, key, encodeJson(value ?? null), nowMs(ctx)]);
    },
    async batch(namespace, writes) {
      if (writes.length === 0) return;
      const at = nowMs(ctx);
      await db.transaction(async (tx) => {
        for (const w of writes) {
          if ('delete' in w)
            await tx.run('DELETE FROM channel_state WHERE namespace = ? AND key = ?', [namespace, w.key]);
          else await tx.run(UPSERT, [namespace, w.key, encodeJson(w.value ?? null), at]);
        }
      });
    },
    async delete(namespace, key) {
      await db.run('DELETE FROM channel_state WHERE namespace = ? AND key = ?', [namespace, key]);
    },
    async claim(namespace, key, value) {
      const n = await db.run(
        `INSERT INTO channel_state (namespace, key, value, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (namespace, key) DO NOTHING`,
        [namespace, key, encodeJson(value ?? null), nowMs(ctx)],
      );
      return n > 0;
    },
    async list<T = unknown>(namespace: string) {
      const rows = await db.all<{ key: string; value: string }>(
        'SELECT key, value FROM channel_state WHERE namespace = ? ORDER BY key',
        [namespace],
      );
      return rows.map((row) => ({ key: String(row.key), value: decodeJson<T>(row.value) }));
    },
    async prune(namespace, before) {
      return db.run('DELETE FROM channel_state WHERE namespace = ? AND updated_at < ?', [
        namespace,
        before.getTime(),
      ]);
    },
  };
}
