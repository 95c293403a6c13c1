import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DepositOutcome, Metrics } from '../shared/metrics.js';

/** The Prometheus side of `Metrics`: one registry per app (never prom-client's global one). */
export interface PrometheusMetrics extends Metrics {
  readonly registry: Registry;
  /** The text exposition format (`GET /metrics`). */
  render(): Promise<string>;
  readonly contentType: string;
}

/** Seconds: a report is expected well under 3 s, an analysis under 1 s; the tails show bursts. */
const ANALYSIS_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const REPORT_BUCKETS = [0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 20, 60];

export function createPrometheusMetrics(options: { processMetrics?: boolean } = {}): PrometheusMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'facteur_' });

  const analysed = new Counter({
    name: 'facteur_documents_analysed_total',
    help: 'Documents that went through recognition, by outcome.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const analysis = new Histogram({
    name: 'facteur_analysis_duration_seconds',
    help: 'Duration of the recognition of one document.',
    buckets: ANALYSIS_BUCKETS,
    registers: [registry],
  });
  const firstReport = new Histogram({
    name: 'facteur_first_report_latency_seconds',
    help: 'Time from a document arriving in a channel to its first report being sent.',
    labelNames: ['channel'] as const,
    buckets: REPORT_BUCKETS,
    registers: [registry],
  });
  const deposits = new Counter({
    name: 'facteur_deposits_total',
    help: 'Submits to Chorus Pro, by outcome (deposited, refused, unknown, failed).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const channelErrors = new Counter({
    name: 'facteur_channel_errors_total',
    help: 'Errors met by a channel, by channel and kind.',
    labelNames: ['channel', 'kind'] as const,
    registers: [registry],
  });
  const followUps = new Gauge({
    name: 'facteur_pending_follow_ups',
    help: 'Deposited invoices whose follow-up (status, payment) is pending.',
    registers: [registry],
  });
  const queues = new Map<string, () => number>();
  new Gauge({
    name: 'facteur_queue_depth',
    help: 'Work waiting in a queue, read at scrape time.',
    labelNames: ['queue'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [queue, depth] of queues) {
        const value = depth();
        if (Number.isFinite(value)) this.set({ queue }, value);
      }
    },
  });
  // Every outcome exists from the start: a rate over a series that appears late reads as nothing.
  for (const outcome of ['ok', 'failed']) analysed.inc({ outcome }, 0);
  for (const outcome of ['deposited', 'refused', 'unknown', 'failed'] satisfies DepositOutcome[])
    deposits.inc({ outcome }, 0);
  followUps.set(0);

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    documentAnalysed(outcome, seconds) {
      analysed.inc({ outcome });
      analysis.observe(seconds);
    },
    firstReportSent(channel, seconds) {
      firstReport.observe({ channel }, seconds);
    },
    depositEnded(outcome) {
      deposits.inc({ outcome });
    },
    channelError(channel, kind) {
      channelErrors.inc({ channel, kind });
    },
    setPendingFollowUps(count) {
      followUps.set(count);
    },
    observeQueue(queue, depth) {
      queues.set(queue, depth);
    },
  };
}
