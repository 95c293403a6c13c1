/**
 * What Facteur's parts report for monitoring. A part receives a `Metrics` through its
 * `createX(deps)` and calls these methods; it never imports the Prometheus client. The
 * composition root gives the Prometheus implementation (src/app/prometheus-metrics.ts) when
 * `FACTEUR_HTTP_PORT` is set, `noopMetrics` otherwise (and in tests that do not look at metrics).
 */

/** How a deposit ended, as counted in `facteur_deposits_total{outcome}`. */
export type DepositOutcome = 'deposited' | 'refused' | 'unknown' | 'failed';

export interface Metrics {
  /** A document went through recognition (`ok`: a report, `failed`: the analysis threw). */
  documentAnalysed(outcome: 'ok' | 'failed', seconds: number): void;
  /** Time from a document's arrival in a channel to its first report being sent back. */
  firstReportSent(channel: string, seconds: number): void;
  /** One submit to Chorus Pro ended. */
  depositEnded(outcome: DepositOutcome): void;
  /** A channel met an error (`kind`: a short stable word: `send`, `poll`, `connection`, `update`…). */
  channelError(channel: string, kind: string): void;
  /** The number of invoices whose follow-up (payment, status) is pending; set by src/followup/. */
  setPendingFollowUps(count: number): void;
  /**
   * Registers a work queue whose depth is read at each scrape (`facteur_queue_depth{queue}`):
   * e.g. `telegram-files` (PDFs waiting for their turn), `mail` (messages left in the mailbox).
   * Registering the same name again replaces the reader.
   */
  observeQueue(queue: string, depth: () => number): void;
}

/** Metrics that go nowhere: the default of every part. */
export const noopMetrics: Metrics = {
  documentAnalysed: () => undefined,
  firstReportSent: () => undefined,
  depositEnded: () => undefined,
  channelError: () => undefined,
  setPendingFollowUps: () => undefined,
  observeQueue: () => undefined,
};
