/**
 * A pool of recognition worker threads. Each document runs in a worker with a deadline: a worker
 * that overruns (or runs out of its heap, or crashes) is terminated and replaced, and the caller
 * gets an `unreadable-pdf` report instead of a hang. Idle workers are unref'd so they never keep
 * a process alive on their own.
 *
 * Memory: a task's bytes are copied for the worker only when it starts (a queued task holds the
 * caller's bytes, no copy of its own); low-priority tasks (previews) wait in a bounded queue — past
 * `maxLowWaiting` the oldest is skipped, and one that waited `maxLowWaitMs` is skipped, so that a
 * sustained load cannot pile up previews (and their PDFs) nobody will see; a worker is replaced,
 * between two tasks, once its heap in use exceeds `recycleHeapMb` (pdfjs keeps caches), or after
 * `recycleAfterTasks` tasks when set.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../shared/logger.js';
import type { WorkerRequest, WorkerResponse } from './worker-protocol.js';
import { RecognitionUnavailableError } from './errors.js';

type Payload = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * `high`: what a user waits for (a document's reading, its Factur-X validation). `low`: what can
 * come later (the preview image); it runs only when no `high` task waits, so a burst of documents
 * never queues their reports behind previews.
 */
export type TaskPriority = 'high' | 'low';

export type TaskOutcome =
  { ok: true; response: WorkerResponse } | { ok: false; reason: 'timeout' | 'crash' | 'closed' | 'skipped' };

/** What a task sends: built when it starts (its bytes copied then, for transfer). */
export type TaskMessage = { payload: Payload; transfer: ArrayBuffer[] };

interface Task {
  id: number;
  message: () => TaskMessage;
  timeoutMs: number;
  queuedAt: number;
  resolve: (outcome: TaskOutcome) => void;
}

interface Slot {
  worker: Worker;
  /** The worker has loaded its modules (deadlines count from here, not from a cold start). */
  ready: boolean;
  task: Task | null;
  timer: NodeJS.Timeout | null;
  /** Tasks answered; past the pool's `recycleAfterTasks` the worker is replaced. */
  done: number;
  /** The worker's V8 heap in use after its last task (MB), as it reports it. */
  heapMb: number;
}

export interface PoolOptions {
  size: number;
  timeoutMs: number;
  /** Heap limit of each worker (MB). */
  maxHeapMb: number;
  /**
   * Young generation of each worker (MB; default 24, i.e. 8 MB semi-spaces). V8 lets it grow to
   * 48 MB under a burst's allocation rate, which pdfjs' short-lived objects reach at once: the
   * bound kept 10–20 MB of resident memory off a 200-document burst's peak, at no measurable CPU
   * cost per document.
   */
  maxYoungHeapMb?: number;
  logger: Logger;
  /** Worker script (tests); defaults to the compiled recognition worker. */
  workerUrl?: URL;
  /** Low-priority tasks waiting at most (default 256): past it the oldest is skipped. */
  maxLowWaiting?: number;
  /** A low-priority task that waited this long is skipped (default 60 s). */
  maxLowWaitMs?: number;
  /**
   * A worker is replaced after this many tasks (default: never). Measured, a replacement costs
   * RSS (~25 MB: the new worker's memory comes before the old one's is given back) while a worker's
   * heap stays flat over thousands of documents: the heap bound below is the guard.
   */
  recycleAfterTasks?: number;
  /** A worker whose heap in use exceeds this after a task is replaced (MB, default 256). */
  recycleHeapMb?: number;
}

/**
 * Where the compiled worker is: next to this module in dist/, or — when this module runs from
 * src/ under tsx or vitest — in dist/recognition/ (built by `npm run build`, first in `npm test`).
 */
export function workerFileUrl(moduleUrl: string = import.meta.url): URL {
  return moduleUrl.endsWith('.ts')
    ? new URL('../../dist/recognition/worker.js', moduleUrl)
    : new URL('./worker.js', moduleUrl);
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  /** Waiting tasks by priority; `high` ones are always started first. */
  private readonly queues: Record<TaskPriority, Task[]> = { high: [], low: [] };
  private nextId = 1;
  private closed = false;
  private readonly workerUrl: URL;

  constructor(private readonly options: PoolOptions) {
    this.workerUrl = options.workerUrl ?? workerFileUrl();
  }

  /** Tasks waiting for a worker (both priorities). */
  get waiting(): number {
    return this.queues.high.length + this.queues.low.length;
  }

  /** Runs one request; never rejects (timeouts and crashes are outcomes). */
  run(
    payload: Payload,
    transfer: ArrayBuffer[] = [],
    timeoutMs = this.options.timeoutMs,
    priority: TaskPriority = 'high',
  ): Promise<TaskOutcome> {
    return this.runLazy(() => ({ payload, transfer }), timeoutMs, priority);
  }

  /** `run` with the message built when the task starts (a queued task keeps no copy of its bytes). */
  runLazy(
    message: () => TaskMessage,
    timeoutMs = this.options.timeoutMs,
    priority: TaskPriority = 'high',
  ): Promise<TaskOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'closed' });
    if (!existsSync(fileURLToPath(this.workerUrl))) {
      return Promise.reject(new RecognitionUnavailableError(fileURLToPath(this.workerUrl)));
    }
    return new Promise((resolve) => {
      const queue = this.queues[priority];
      queue.push({ id: this.nextId++, message, timeoutMs, queuedAt: Date.now(), resolve });
      if (priority === 'low') {
        while (queue.length > Math.max(0, this.options.maxLowWaiting ?? 256))
          queue.shift()?.resolve({ ok: false, reason: 'skipped' });
      }
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.drain()) t.resolve({ ok: false, reason: 'closed' });
    await Promise.all(
      this.slots.splice(0).map(async (slot) => {
        if (slot.timer) clearTimeout(slot.timer);
        slot.task?.resolve({ ok: false, reason: 'closed' });
        await slot.worker.terminate();
      }),
    );
  }

  private drain(): Task[] {
    return [...this.queues.high.splice(0), ...this.queues.low.splice(0)];
  }

  /** Skips the low-priority tasks that waited too long (the oldest are first in the queue). */
  private skipStale(): void {
    const low = this.queues.low;
    const limit = Date.now() - (this.options.maxLowWaitMs ?? 60_000);
    while (low.length > 0 && low[0]!.queuedAt <= limit)
      low.shift()!.resolve({ ok: false, reason: 'skipped' });
  }

  private pump(): void {
    this.skipStale();
    while (this.waiting > 0) {
      const slot = this.slots.find((s) => s.ready && s.task === null);
      if (!slot) break;
      this.start(slot, (this.queues.high.shift() ?? this.queues.low.shift()) as Task);
    }
    // Start workers for what is still queued; each drains the queue once it says it is ready.
    let wanted = this.waiting - this.slots.filter((s) => !s.ready).length;
    while (wanted > 0 && this.slots.length < this.options.size) {
      this.spawn();
      wanted--;
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.workerUrl, {
      resourceLimits: {
        maxOldGenerationSizeMb: this.options.maxHeapMb,
        maxYoungGenerationSizeMb: this.options.maxYoungHeapMb ?? 24,
      },
      stdout: false,
      stderr: false,
    });
    const slot: Slot = { worker, ready: false, task: null, timer: null, done: 0, heapMb: 0 };
    worker.on('message', (res: (WorkerResponse & { heapMb?: number }) | { ready: true }) => {
      if ('ready' in res) {
        slot.ready = true;
        this.pump();
        if (!slot.task) worker.unref();
        return;
      }
      const task = slot.task;
      if (!task || res.id !== task.id) return;
      slot.done += 1;
      slot.heapMb = res.heapMb ?? 0;
      this.finish(slot, { ok: true, response: res });
    });
    worker.on('error', (error) => {
      this.options.logger.warn({ err: error }, 'recognition worker failed');
      this.retire(slot, 'crash');
    });
    worker.on('exit', (code) => {
      if (slot.task) this.options.logger.warn({ code }, 'recognition worker exited during a task');
      this.retire(slot, 'crash');
    });
    // Started because work is waiting: it keeps the process alive until it is ready and idle.
    this.slots.push(slot);
    return slot;
  }

  private start(slot: Slot, task: Task): void {
    slot.task = task;
    slot.worker.ref();
    const { payload, transfer } = task.message();
    slot.timer = setTimeout(() => {
      this.options.logger.warn({ timeoutMs: task.timeoutMs, kind: payload.kind }, 'recognition timed out');
      this.retire(slot, 'timeout');
    }, task.timeoutMs);
    slot.worker.postMessage({ ...payload, id: task.id }, transfer);
  }

  private finish(slot: Slot, outcome: TaskOutcome): void {
    const task = slot.task;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.task = null;
    slot.worker.unref();
    task?.resolve(outcome);
    if (!this.closed && this.worn(slot)) this.recycle(slot);
    this.pump();
  }

  private worn(slot: Slot): boolean {
    return (
      slot.done >= (this.options.recycleAfterTasks ?? Infinity) ||
      slot.heapMb > (this.options.recycleHeapMb ?? 256)
    );
  }

  /** Replaces an idle worker that did its share (a fresh one starts when work waits). */
  private recycle(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    this.slots.splice(index, 1);
    this.options.logger.info(
      { tasks: slot.done, heapMb: Math.round(slot.heapMb) },
      'recognition worker recycled',
    );
    void slot.worker.terminate().catch(() => undefined);
  }

  /** Drops a worker that timed out or died; its task ends with `reason`, a new worker takes over. */
  private retire(slot: Slot, reason: 'timeout' | 'crash'): void {
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    this.slots.splice(index, 1);
    if (slot.timer) clearTimeout(slot.timer);
    const task = slot.task;
    slot.task = null;
    void slot.worker.terminate().catch(() => undefined);
    task?.resolve({ ok: false, reason });
    if (!slot.ready) {
      // A worker that dies while loading would die again: fail what waits instead of looping.
      this.options.logger.error('recognition worker failed to start');
      for (const t of this.drain()) t.resolve({ ok: false, reason: 'crash' });
      return;
    }
    if (!this.closed) this.pump();
  }
}
