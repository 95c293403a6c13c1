import type { ChorusClient } from './client.js';

/**
 * The Chorus Pro directory (structures, their rules and services) changes rarely and is the same
 * for every technical account: its reads are cached for a few minutes and shared, and identical
 * lookups in flight are made once. Fewer calls against PISTE quotas, faster prechecks when many
 * invoices go to the same buyer. Failures are not cached.
 */
export interface DirectoryCache {
  wrap(client: ChorusClient): ChorusClient;
}

export function createDirectoryCache(options: {
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
}): DirectoryCache {
  const now = options.now ?? Date.now;
  const max = options.maxEntries ?? 2_000;
  const entries = new Map<string, { at: number; value: Promise<unknown> }>();

  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = entries.get(key);
    if (hit && now() - hit.at < options.ttlMs) return hit.value as Promise<T>;
    const value = load();
    entries.delete(key);
    if (entries.size >= max) entries.delete(entries.keys().next().value as string);
    entries.set(key, { at: now(), value });
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    return value;
  }

  return {
    wrap(client) {
      if (options.ttlMs <= 0) return client;
      return {
        ...client,
        searchStructures: (body, o) =>
          cached(`s:${JSON.stringify(body)}`, () => client.searchStructures(body, o)),
        consultStructure: (id, o) => cached(`c:${id}`, () => client.consultStructure(id, o)),
        structureServices: (id, o) => cached(`v:${id}`, () => client.structureServices(id, o)),
        consultService: (id, service, o) =>
          cached(`d:${id}:${service}`, () => client.consultService(id, service, o)),
      };
    },
  };
}
