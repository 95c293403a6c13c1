/**
 * Runs tasks one at a time per key, in arrival order (two messages of the same user, or two
 * events of the same draft, never interleave inside one process). Across processes, the store's
 * revision check does the same job.
 */
export function createKeyedLock() {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(task, task);
      const tail = result.catch(() => undefined);
      tails.set(key, tail);
      try {
        return await result;
      } finally {
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
    get size(): number {
      return tails.size;
    },
  };
}
