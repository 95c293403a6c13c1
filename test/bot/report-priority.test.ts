/**
 * First reports first: while a document waits for its report, the work that can wait runs one
 * task at a time (never starved), then freely once nothing is urgent or the channel stops.
 */
import { describe, expect, it, vi } from 'vitest';
import { ReportPriority } from '../../src/bot/report-priority.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

function task(log: string[], name: string, gate: Promise<void>) {
  return async () => {
    log.push(`start ${name}`);
    await gate;
    log.push(`end ${name}`);
    return name;
  };
}

describe('ReportPriority', () => {
  it('runs later steps freely when no document is urgent', async () => {
    const p = new ReportPriority();
    const log: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const all = Promise.all(['a', 'b', 'c'].map((n) => p.runLow(task(log, n, gate))));
    await tick();
    expect(log).toEqual(['start a', 'start b', 'start c']);
    open();
    expect(await all).toEqual(['a', 'b', 'c']);
  });

  it('runs them one at a time while a report is awaited, all at once after it', async () => {
    const p = new ReportPriority();
    const end = p.begin(42);
    expect(p.isUrgent(42)).toBe(true);
    expect(p.isUrgent(43)).toBe(false);
    const log: string[] = [];
    let openA!: () => void;
    const gateA = new Promise<void>((r) => (openA = r));
    let openRest!: () => void;
    const gateRest = new Promise<void>((r) => (openRest = r));
    const a = p.runLow(task(log, 'a', gateA));
    const b = p.runLow(task(log, 'b', gateRest));
    const c = p.runLow(task(log, 'c', gateRest));
    await tick();
    expect(log).toEqual(['start a']);
    openA();
    await a;
    await tick();
    expect(log).toEqual(['start a', 'end a', 'start b']);
    end();
    end(); // idempotent
    expect(p.pending).toBe(0);
    expect(p.isUrgent(42)).toBe(false);
    await tick();
    expect(log).toContain('start c');
    openRest();
    expect(await Promise.all([b, c])).toEqual(['b', 'c']);
  });

  it('holds them while documents queue for analysis, at most maxHoldMs', async () => {
    let backlog = 3;
    const p = new ReportPriority({ backlog: () => backlog, maxHoldMs: 200 });
    const end = p.begin(9);
    const log: string[] = [];
    const a = p.runLow(task(log, 'a', Promise.resolve()));
    await tick();
    expect(log).toEqual([]); // held: documents are waiting for the pool
    backlog = 0;
    end(); // a report went out: the pump looks again
    expect(await a).toBe('a');
    // Held too long behind a backlog that never clears: it goes anyway.
    backlog = 5;
    p.begin(10);
    const started = Date.now();
    const b = p.runLow(task(log, 'b', Promise.resolve()));
    expect(await b).toBe('b');
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('lets a held step go even when the clock moves between the pump’s look and its wake-up', async () => {
    // The hold timer fires when the pump's reading says 199 ms and the next reading 200 ms (seen
    // on a loaded CI machine): the step is overdue, nothing runs, and it must still go.
    const base = Date.now();
    const readings = [0, 0, 0, 199];
    const now = vi.spyOn(Date, 'now').mockImplementation(() => base + (readings.shift() ?? 200));
    try {
      const p = new ReportPriority({ backlog: () => 5, maxHoldMs: 200 });
      p.begin(1);
      const log: string[] = [];
      const b = p.runLow(task(log, 'b', Promise.resolve()));
      const late = new Promise((resolve) => setTimeout(() => resolve('stuck'), 2_000));
      expect(await Promise.race([b, late])).toBe('b');
    } finally {
      now.mockRestore();
    }
  });

  it('lets everything go at stop, and a failing task frees its turn', async () => {
    const p = new ReportPriority();
    p.begin(1);
    await expect(p.runLow(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const log: string[] = [];
    const never = new Promise<void>(() => undefined);
    void p.runLow(task(log, 'x', never));
    const y = p.runLow(async () => 'y');
    await tick();
    expect(log).toEqual(['start x']);
    p.release();
    expect(await y).toBe('y');
  });
});
