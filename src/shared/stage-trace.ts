/**
 * Per-document stage timestamps, for finding where a burst's wall time goes (bench only).
 * Off unless `FACTEUR_STAGE_TRACE` names a file: then each traced document appends one JSON line
 * `{ id, marks: { stage: epochMs } }` to it when it ends. The document in hand is carried by
 * AsyncLocalStorage, so deep layers (analysis, HTTP client) mark stages without new parameters.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';

const FILE = process.env.FACTEUR_STAGE_TRACE;
const storage = new AsyncLocalStorage<Record<string, number>>();

export const stageTraceOn = FILE !== undefined && FILE !== '';

/** Runs `task` as the traced document `id` (no-op when tracing is off). */
export function traceDocument<T>(id: string | number, task: () => Promise<T>): Promise<T> {
  if (!stageTraceOn) return task();
  const marks: Record<string, number> = {};
  return storage.run(marks, async () => {
    mark('received');
    try {
      return await task();
    } finally {
      mark('done');
      appendFileSync(FILE as string, `${JSON.stringify({ id, marks })}\n`);
    }
  });
}

/** Records `stage` for the document in hand (the first time only, unless `last`). */
export function mark(stage: string, last = false): void {
  if (!stageTraceOn) return;
  const marks = storage.getStore();
  if (!marks) return;
  if (last || marks[stage] === undefined) marks[stage] = performance.timeOrigin + performance.now();
}
