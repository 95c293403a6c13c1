/**
 * Combined abort signals with deadlines, built on event listeners and a plain timer.
 *
 * Not `AbortSignal.any([..., AbortSignal.timeout(ms)])`: on Node 20 the composite does not keep
 * its timeout source alive, and when the garbage collector takes that source first the deadline
 * never fires (nodejs/node#57736) — a call to a server that accepts and never answers then hangs
 * for good. Here the timer holds the controller until it fires or `dispose()` clears it.
 * Also usable with signals that Node's `AbortSignal.any` does not follow (grammY and its runner
 * use the abort-controller package's): they are combined by their `abort` events.
 */

/** What is needed of a signal: its state and its `abort` event. */
export interface SignalLike {
  aborted: boolean;
  /** Why it was aborted, where the signal says (platform signals do). */
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface DisposableSignal {
  signal: AbortSignal;
  /** Removes the listeners and the timer (call it once the guarded operation has settled). */
  dispose(): void;
}

/** A signal aborted when any of `signals` is (the undefined ones are skipped). */
export function anySignal(signals: ReadonlyArray<SignalLike | undefined>): DisposableSignal {
  return combine(signals, undefined);
}

/**
 * A signal aborted after `ms` (reason: a `TimeoutError` DOMException, as `AbortSignal.timeout`
 * gives) or when any of `signals` is.
 */
export function deadlineSignal(
  ms: number,
  signals: ReadonlyArray<SignalLike | undefined> = [],
): DisposableSignal {
  return combine(signals, ms);
}

const keep = (): void => undefined;

function combine(signals: ReadonlyArray<SignalLike | undefined>, ms: number | undefined): DisposableSignal {
  const sources = signals.filter((s): s is SignalLike => s !== undefined);
  // One platform signal and no deadline (most Telegram calls: only the channel's stop): it is
  // the answer itself, without a controller and listeners of its own for each call.
  const [only] = sources;
  if (ms === undefined && sources.length === 1 && only instanceof AbortSignal)
    return { signal: only, dispose: keep };
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const dispose = (): void => {
    clearTimeout(timer);
    timer = undefined;
    for (const s of sources) s.removeEventListener('abort', onSource);
  };
  const abortWith = (reason?: unknown): void => {
    dispose();
    controller.abort(reason);
  };
  function onSource(): void {
    abortWith();
  }
  if (sources.some((s) => s.aborted)) {
    controller.abort();
    return { signal: controller.signal, dispose: () => undefined };
  }
  for (const s of sources) s.addEventListener('abort', onSource);
  if (ms !== undefined) {
    timer = setTimeout(
      () => abortWith(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      ms,
    );
    // Like AbortSignal.timeout's: the deadline alone does not keep the process running.
    timer.unref();
  }
  return { signal: controller.signal, dispose };
}
