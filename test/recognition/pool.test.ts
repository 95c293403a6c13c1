import { describe, expect, it } from 'vitest';
import { WorkerPool, workerFileUrl } from '../../src/recognition/pool.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { DEFAULT_LIMITS } from '../../src/recognition/basic-report.js';

const stub = new URL('./stub-worker.mjs', import.meta.url);
const pool = (timeoutMs = 2_000, size = 2) =>
  new WorkerPool({ size, timeoutMs, maxHeapMb: 64, logger: createSilentLogger(), workerUrl: stub });
const job = (fileName: string) => ({
  kind: 'inspect' as const,
  bytes: new Uint8Array(1),
  fileName,
  limits: DEFAULT_LIMITS,
});

describe('worker pool', () => {
  it('runs tasks in parallel and answers each in its own promise', async () => {
    const p = pool();
    const outcomes = await Promise.all(
      ['a.pdf', 'b.pdf', 'c.pdf', 'd.pdf', 'e.pdf'].map((n) => p.run(job(n))),
    );
    expect(
      outcomes.map((o) =>
        o.ok && o.response.ok && o.response.kind === 'inspect' ? o.response.report.file : null,
      ),
    ).toEqual(['a.pdf', 'b.pdf', 'c.pdf', 'd.pdf', 'e.pdf']);
    await p.close();
  });

  it('starts every waiting high-priority task before a low-priority one (previews after reports)', async () => {
    const p = pool(2_000, 1);
    const order: string[] = [];
    const run = (name: string, priority: 'high' | 'low') =>
      p.run(job(name), [], 2_000, priority).then(() => order.push(name));
    // The worker is still loading: all four wait in the queues.
    await Promise.all([
      run('low-1', 'low'),
      run('low-2', 'low'),
      run('high-1', 'high'),
      run('high-2', 'high'),
    ]);
    expect(order).toEqual(['high-1', 'high-2', 'low-1', 'low-2']);
    expect(p.waiting).toBe(0);
    await p.close();
  });

  it('terminates a worker that overruns its deadline and keeps serving with a new one', async () => {
    const p = pool(300, 1);
    const [hung, next] = await Promise.all([p.run(job('hang.pdf')), p.run(job('after.pdf'))]);
    expect(hung).toEqual({ ok: false, reason: 'timeout' });
    expect(next.ok).toBe(true);
    await p.close();
  });

  it('survives a worker that exits or runs out of heap', async () => {
    const p = pool(10_000, 1);
    expect(await p.run(job('crash.pdf'))).toEqual({ ok: false, reason: 'crash' });
    expect(await p.run(job('oom.pdf'))).toEqual({ ok: false, reason: 'crash' });
    const ok = await p.run(job('fine.pdf'));
    expect(ok.ok).toBe(true);
    await p.close();
  });

  it('passes worker-side errors through as responses', async () => {
    const p = pool();
    const out = await p.run(job('throw.pdf'));
    expect(out.ok && !out.response.ok && out.response.message).toBe('boom');
    await p.close();
  });

  it('ends queued tasks when closed', async () => {
    const p = pool(5_000, 1);
    const pending = [p.run(job('hang.pdf')), p.run(job('queued.pdf'))];
    await new Promise((r) => setTimeout(r, 50));
    await p.close();
    expect(await Promise.all(pending)).toEqual([
      { ok: false, reason: 'closed' },
      { ok: false, reason: 'closed' },
    ]);
    expect(await p.run(job('late.pdf'))).toEqual({ ok: false, reason: 'closed' });
  });

  it('fails waiting tasks instead of respawning a worker that cannot start', async () => {
    const p = new WorkerPool({
      size: 2,
      timeoutMs: 2_000,
      maxHeapMb: 64,
      logger: createSilentLogger(),
      workerUrl: new URL('./broken-worker.mjs', import.meta.url),
    });
    const outcomes = await Promise.all([p.run(job('a.pdf')), p.run(job('b.pdf')), p.run(job('c.pdf'))]);
    expect(outcomes.every((o) => !o.ok && o.reason === 'crash')).toBe(true);
    await p.close();
  });

  it('skips the oldest low-priority tasks past the bound, and those that waited too long', async () => {
    const options = { size: 1, timeoutMs: 300, maxHeapMb: 64, logger: createSilentLogger(), workerUrl: stub };
    // No wait bound here: a worker slow to load on a busy machine must not make the kept ones stale.
    const bounded = new WorkerPool({ ...options, maxLowWaiting: 2, maxLowWaitMs: 60_000 });
    // The worker is still loading: the five previews wait, the first three are skipped at once.
    const lows = ['l1', 'l2', 'l3', 'l4', 'l5'].map((n) => bounded.run(job(n), [], 2_000, 'low'));
    const first = await Promise.all(lows.slice(0, 3));
    expect(first).toEqual(Array(3).fill({ ok: false, reason: 'skipped' }));
    expect((await Promise.all(lows.slice(3))).every((o) => o.ok)).toBe(true);
    await bounded.close();

    const p = new WorkerPool({ ...options, maxLowWaitMs: 150 });
    expect((await p.run(job('ready.pdf'))).ok).toBe(true); // loaded
    // A report that hangs until its deadline (300 ms): the preview behind it waited too long.
    const hung = p.run(job('hang.pdf'));
    await new Promise((r) => setTimeout(r, 20));
    const stale = p.run(job('late-preview'), [], 2_000, 'low');
    expect(await hung).toEqual({ ok: false, reason: 'timeout' });
    expect(await stale).toEqual({ ok: false, reason: 'skipped' });
    await p.close();
  });

  it('builds the message of a task (its copy of the bytes) only when the task starts', async () => {
    const p = pool(2_000, 1);
    const built: string[] = [];
    const lazy = (name: string) =>
      p.runLazy(() => {
        built.push(name);
        return { payload: job(name), transfer: [] };
      });
    const a = lazy('a.pdf');
    const b = lazy('b.pdf');
    expect(built).toEqual([]); // the worker is loading: both wait, unbuilt
    await a;
    await b;
    expect(built).toEqual(['a.pdf', 'b.pdf']);
    await p.close();
  });

  it('replaces a worker after its share of tasks', async () => {
    const p = new WorkerPool({
      size: 1,
      timeoutMs: 2_000,
      maxHeapMb: 64,
      logger: createSilentLogger(),
      workerUrl: stub,
      recycleAfterTasks: 2,
    });
    const workers: unknown[] = [];
    for (const name of ['a.pdf', 'b.pdf', 'c.pdf', 'd.pdf', 'e.pdf']) {
      const out = await p.run(job(name));
      if (out.ok && out.response.ok && out.response.kind === 'inspect')
        workers.push((out.response.report as unknown as { worker: number }).worker);
    }
    expect(workers).toHaveLength(5);
    expect(new Set(workers.slice(0, 2)).size).toBe(1);
    expect(new Set(workers).size).toBe(3);
    await p.close();
  });

  it('finds the compiled worker from src/ and from dist/', () => {
    expect(workerFileUrl('file:///app/src/recognition/pool.ts').href).toBe(
      'file:///app/dist/recognition/worker.js',
    );
    expect(workerFileUrl('file:///app/dist/recognition/pool.js').href).toBe(
      'file:///app/dist/recognition/worker.js',
    );
  });
});

describe('default pool size', () => {
  it('leaves a core to the main thread, one worker at least, two at most, one below 2 GB', async () => {
    const { defaultPoolSize } = await import('../../src/recognition/index.js');
    expect([1, 2, 3, 4, 16].map((cores) => defaultPoolSize(cores, 8_192))).toEqual([1, 1, 2, 2, 2]);
    // Each worker holds its own pdfjs: one only on a small machine.
    expect(defaultPoolSize(4, 1_024)).toBe(1);
  });
});
