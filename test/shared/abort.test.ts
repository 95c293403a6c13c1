import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { anySignal, deadlineSignal } from '../../src/shared/abort.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const aborted = (signal: AbortSignal) =>
  new Promise<unknown>((resolve) => signal.addEventListener('abort', () => resolve(signal.reason)));

describe('deadlineSignal', () => {
  it('aborts after its delay with a TimeoutError, as AbortSignal.timeout does', async () => {
    const started = Date.now();
    const { signal } = deadlineSignal(50);
    const reason = await aborted(signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(reason).toBeInstanceOf(DOMException);
    expect((reason as DOMException).name).toBe('TimeoutError');
  });

  it('still fires when nothing but the caller waiting on it is left and the GC runs (nodejs/node#57736)', async () => {
    // The pattern that hung a probe: only the combined signal's listener, kept by a pending promise.
    const outcome = (async () => {
      const { signal } = deadlineSignal(80, [new AbortController().signal]);
      return aborted(signal);
    })();
    for (let i = 0; i < 5; i += 1) {
      gc();
      await new Promise((r) => setTimeout(r, 5));
    }
    const winner = await Promise.race([
      outcome.then(() => 'aborted'),
      new Promise((r) => setTimeout(() => r('hung'), 2_000)),
    ]);
    expect(winner).toBe('aborted');
  });

  it('follows the other signals, and after dispose() neither the delay nor they abort it', async () => {
    const outer = new AbortController();
    const first = deadlineSignal(10_000, [outer.signal, undefined]);
    outer.abort();
    expect(first.signal.aborted).toBe(true);
    expect((first.signal.reason as DOMException | undefined)?.name).not.toBe('TimeoutError');

    const other = new AbortController();
    const second = deadlineSignal(20, [other.signal]);
    second.dispose();
    other.abort();
    await new Promise((r) => setTimeout(r, 60));
    expect(second.signal.aborted).toBe(false);
  });

  it('is aborted at once when a source already is', () => {
    const done = new AbortController();
    done.abort();
    expect(deadlineSignal(1_000, [done.signal]).signal.aborted).toBe(true);
    expect(anySignal([done.signal]).signal.aborted).toBe(true);
  });
});

describe('anySignal', () => {
  it('aborts with the first source and removes its listeners from the others', () => {
    const a = new AbortController();
    const b = new AbortController();
    let listening = 0;
    const counted = {
      get aborted() {
        return b.signal.aborted;
      },
      addEventListener: (t: 'abort', l: () => void) => {
        listening += 1;
        b.signal.addEventListener(t, l);
      },
      removeEventListener: (t: 'abort', l: () => void) => {
        listening -= 1;
        b.signal.removeEventListener(t, l);
      },
    };
    const combined = anySignal([a.signal, counted]);
    expect(listening).toBe(1);
    a.abort();
    expect(combined.signal.aborted).toBe(true);
    expect(listening).toBe(0);
  });

  it('hands back a lone platform signal as it is (no controller per call)', () => {
    const stop = new AbortController();
    const combined = anySignal([undefined, stop.signal]);
    expect(combined.signal).toBe(stop.signal);
    combined.dispose();
    stop.abort();
    expect(combined.signal.aborted).toBe(true);
    // With a deadline it is still a signal of its own.
    const timed = deadlineSignal(60_000, [stop.signal]);
    expect(timed.signal).not.toBe(stop.signal);
    timed.dispose();
  });
});
