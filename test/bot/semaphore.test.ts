import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../src/bot/semaphore.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('Semaphore', () => {
  it('runs at most N tasks at once, in arrival order, and survives failures', async () => {
    const sem = new Semaphore(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const tasks = Array.from({ length: 7 }, (_, i) =>
      sem
        .run(async () => {
          active += 1;
          peak = Math.max(peak, active);
          order.push(i);
          await tick();
          active -= 1;
          if (i === 3) throw new Error('boom');
          return i;
        })
        .catch(() => -1),
    );
    expect(sem.queuePosition).toBe(6); // two running, five waiting: a new one would be sixth in line
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, -1, 4, 5, 6]);
    expect(sem.queuePosition).toBe(0);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

describe('Semaphore with a weight budget', () => {
  it('admits small tasks together and a heavy one alone, in arrival order', async () => {
    const sem = new Semaphore(10, 100);
    const running: number[] = [];
    let peakWeight = 0;
    const order: string[] = [];
    const task = (name: string, weight: number) =>
      sem.run(async () => {
        running.push(weight);
        peakWeight = Math.max(peakWeight, running.reduce((a, b) => a + b, 0));
        order.push(name);
        await tick();
        running.splice(running.indexOf(weight), 1);
      }, weight);
    await Promise.all([task('a', 40), task('b', 40), task('c', 40), task('huge', 500), task('d', 10)]);
    expect(order).toEqual(['a', 'b', 'c', 'huge', 'd']);
    // a and b together (80), c once they left; the task above the budget ran alone.
    expect(peakWeight).toBe(500);
    expect(sem.running).toBe(0);
  });
});
