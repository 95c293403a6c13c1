import { z } from 'zod';

/**
 * Fault injection: armed through `RunningSimulator.injectFault`, `POST /_simulator/faults`, or one
 * request's `x-simulator-fault` header (`latency=300`, `500`, `429`, `429;retry-after=1`, `drop`,
 * `drop-after-apply`).
 */
export const faultSchema = z.object({
  kind: z.enum(['latency', 'error', 'rate-limit', 'drop', 'drop-after-apply']),
  /** Operation path suffix (`/factures/v1/soumettre`) or `token`; every operation when absent. */
  operation: z.string().optional(),
  /** How many matching requests it hits (default 1). */
  times: z.number().int().positive().default(1),
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  status: z.number().int().min(500).max(599).default(500),
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
});
export type Fault = z.infer<typeof faultSchema>;
export type FaultSpec = z.input<typeof faultSchema>;

export function createFaultBoard() {
  const armed: Fault[] = [];
  return {
    inject(spec: FaultSpec): void {
      armed.push(faultSchema.parse(spec));
    },
    clear(): void {
      armed.length = 0;
    },
    /** The faults hitting this request (consumed). */
    take(path: string): Fault[] {
      const hits: Fault[] = [];
      for (const fault of armed) {
        if (fault.times <= 0) continue;
        if (fault.operation && !path.endsWith(fault.operation)) continue;
        if (hits.some((h) => h.kind === fault.kind)) continue;
        fault.times--;
        hits.push(fault);
      }
      for (let i = armed.length - 1; i >= 0; i--) if (armed[i]!.times <= 0) armed.splice(i, 1);
      return hits;
    },
  };
}

/** Reads the `x-simulator-fault` header of one request. */
export function faultFromHeader(value: string | undefined): Fault | undefined {
  if (!value) return undefined;
  const [head = '', ...params] = value.split(';').map((s) => s.trim());
  const opts = Object.fromEntries(params.map((p) => p.split('=').map((s) => s.trim()) as [string, string]));
  if (head.startsWith('latency='))
    return faultSchema.parse({ kind: 'latency', latencyMs: Number(head.slice(8)) });
  if (head === '429')
    return faultSchema.parse({
      kind: 'rate-limit',
      retryAfterSeconds: opts['retry-after'] ? Number(opts['retry-after']) : undefined,
    });
  if (/^5\d\d$/.test(head)) return faultSchema.parse({ kind: 'error', status: Number(head) });
  if (head === 'drop') return faultSchema.parse({ kind: 'drop' });
  if (head === 'drop-after-apply') return faultSchema.parse({ kind: 'drop-after-apply' });
  return undefined;
}
