/**
 * Waits until `check` holds, polling every 25 ms; fails with « timed out waiting for <what> »
 * after `timeoutMs`. Each test file picks its default bound: `const until = untilWithin(20_000)`.
 */
export function untilWithin(defaultTimeoutMs: number) {
  return async function until(
    check: () => boolean | Promise<boolean>,
    what: string,
    timeoutMs = defaultTimeoutMs,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
}
