/**
 * The health of a running Facteur (`GET /healthz`): each channel, the store and Chorus Pro with
 * their state. `up` when it answers, `down` when it does not (Facteur retries in the background),
 * `starting` before the first answer. The whole is `ok` only when every part is `up`.
 */
export type ComponentState = 'up' | 'down' | 'starting';

export interface ComponentHealth {
  state: ComponentState;
  /** Since when (ISO) the component is in this state. */
  since: string;
  /** Why it is down (no secret: an error code or a short message). */
  detail?: string;
  /** When down: in how many ms the next attempt is made. */
  retryInMs?: number;
}

export interface HealthReport {
  status: 'ok' | 'down';
  components: Record<string, ComponentHealth>;
}

export function healthReport(components: Record<string, ComponentHealth>): HealthReport {
  const ok = Object.values(components).every((c) => c.state === 'up');
  return { status: ok ? 'ok' : 'down', components };
}

/** A short, secret-free description of an error (its codes), for health details and warnings. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 100);
  const codes: string[] = [];
  // Follow the wrapped errors (grammY's HttpError.error, fetch's cause) down to the system code.
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && !codes.includes(code)) codes.push(code);
    const c = current as { error?: unknown; cause?: unknown };
    current = c.cause ?? c.error;
  }
  if (codes.length === 0 && current instanceof Error && current.name !== 'Error') codes.push(current.name);
  return codes.join(' / ') || error.name;
}
