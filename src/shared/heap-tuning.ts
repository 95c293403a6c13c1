/**
 * How far V8 lets a heap grow between two full collections. On a machine with a few GB, V8 allows
 * up to 4× the live data: `facteur start` keeps about 50 MB live but, in a burst that allocates
 * fast, its heap reached 240 MB of mostly garbage before a full collection (and the recognition
 * worker's the same way). A factor of 1.5 keeps the peak near 1.5× the live data for a few more
 * collections (concurrent marking, on the otherwise idle second core). The flag is process-wide:
 * it applies to the worker threads too. `FACTEUR_HEAP_GROWING_PERCENT=0` leaves V8's own choice.
 */
import { setFlagsFromString } from 'node:v8';
import { FacteurError } from './errors.js';

export const DEFAULT_HEAP_GROWING_PERCENT = 50;

export class HeapTuningError extends FacteurError {
  readonly code = 'heap-tuning-invalid';
  constructor(value: string) {
    super(
      `FACTEUR_HEAP_GROWING_PERCENT must be an integer from 0 to 300 (got ${value})`,
      `FACTEUR_HEAP_GROWING_PERCENT : un entier de 0 à 300 est attendu (reçu « ${value} »).`,
    );
  }
}

/** The growing percent `env` asks for (default 50; 0: V8's default). Throws on a bad value. */
export function heapGrowingPercent(env: Record<string, string | undefined>): number {
  const raw = env.FACTEUR_HEAP_GROWING_PERCENT?.trim();
  if (raw === undefined || raw === '') return DEFAULT_HEAP_GROWING_PERCENT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 300) throw new HeapTuningError(raw);
  return n;
}

/** Applies `heapGrowingPercent(env)` to this process; returns it. */
export function tuneHeap(env: Record<string, string | undefined>): number {
  const percent = heapGrowingPercent(env);
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
  return percent;
}
