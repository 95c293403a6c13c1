/** One structural requirement checked on a produced Factur-X PDF. */
export interface CheckResult {
  /** Stable id (`trailer-id`, `output-intent`…), listed in docs/facturx-out.md. */
  id: string;
  ok: boolean;
  /** What was required (English, for logs and the CLI's JSON). */
  detail: string;
}
