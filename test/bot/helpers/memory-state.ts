import type { ChannelStateStore } from '../../../src/app/channel.js';

/** The ChannelStateStore contract in memory (JSON round trip, like the database), for unit tests. */
export class MemoryChannelState implements ChannelStateStore {
  readonly data = new Map<string, string>();
  writes = 0;

  async get<T = unknown>(namespace: string, key: string): Promise<T | undefined> {
    const v = this.data.get(`${namespace}\u0000${key}`);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
  async set(namespace: string, key: string, value: unknown): Promise<void> {
    this.writes += 1;
    this.data.set(`${namespace}\u0000${key}`, JSON.stringify(value));
  }
  async delete(namespace: string, key: string): Promise<void> {
    this.data.delete(`${namespace}\u0000${key}`);
  }
  async list<T = unknown>(namespace: string): Promise<Array<{ key: string; value: T }>> {
    const prefix = `${namespace}\u0000`;
    return [...this.data]
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => ({ key: k.slice(prefix.length), value: JSON.parse(v) as T }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  async claim(namespace: string, key: string, value?: unknown): Promise<boolean> {
    const k = `${namespace}\u0000${key}`;
    if (this.data.has(k)) return false;
    this.data.set(k, JSON.stringify(value ?? true));
    return true;
  }
}
