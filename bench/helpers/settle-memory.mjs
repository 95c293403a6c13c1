// Bench-only preload of the spawned `facteur start` (with --expose-gc): on SIGUSR2, a full garbage
// collection of the main thread, then its memory written to FACTEUR_BENCH_MEMORY_FILE. The soak
// compares live heaps, not whatever garbage waits for the next collection at the moment it asks.
import { renameSync, writeFileSync } from 'node:fs';

const file = process.env.FACTEUR_BENCH_MEMORY_FILE;
const gc = globalThis.gc;
if (file && typeof gc === 'function') {
  process.on('SIGUSR2', () => {
    gc();
    const memory = process.memoryUsage();
    // The pages the collection freed go back to the system in the background: RSS is read after.
    setTimeout(() => {
      writeFileSync(`${file}.tmp`, JSON.stringify(memory));
      renameSync(`${file}.tmp`, file);
    }, 500);
  });
}
