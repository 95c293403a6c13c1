/**
 * Public API of the recognition engine.
 *
 * - `createRecognizer(deps)`: the `Recognizer` the rest of Facteur uses (worker pool, bounded
 *   time and memory per document).
 * - `inspectInThread(bytes, fileName)`: the same recognition in the calling thread (tools, tests).
 * - Identifier checks, for the conversation's validation of typed values.
 * - French display helpers (`formatReport`, `displayValue`) shared with the CLI.
 */
import { availableParallelism, totalmem } from 'node:os';
import type { Logger } from '../shared/logger.js';
import { createSilentLogger } from '../shared/logger.js';
import type { InspectionReport, Recognizer } from './types.js';
import { DEFAULT_LIMITS, precheck, unreadableReport, type InspectLimits } from './basic-report.js';
import { WorkerPool } from './pool.js';
import { warmUpPdf } from './warm-up.js';
import { PreviewError, PreviewSkippedError, RecognizerClosedError } from './errors.js';
import type { FacturxValidation } from './facturx/types.js';
import { isValidationPending, withValidation } from './facturx/validation-state.js';

export type {
  InspectionReport,
  Recognizer,
  PreviewFormat,
  PreviewOptions,
  RecognizedField,
  Violation,
  FieldKey,
  RuleId,
  Box,
} from './types.js';
export { FIELD_KEYS, RULE_IDS, isUnusable } from './types.js';
export type { InspectLimits } from './basic-report.js';
export { DEFAULT_LIMITS, oversizedReport } from './basic-report.js';
export {
  isValidSiret,
  isValidSiren,
  isValidIban,
  isValidVatNumber,
  compactIdentifier,
} from './identifiers.js';
export { FIELD_LABELS, FIELD_SHORT_LABELS, violationMessage } from './messages.js';
export { formatReport, displayValue, frenchAmount, DEPOSIT_BLOCKS } from './format.js';
export {
  RecognitionUnavailableError,
  PreviewError,
  PreviewSkippedError,
  RecognizerClosedError,
} from './errors.js';
export { withReportCache, type CachingRecognizer, type ReportCacheStats } from './report-cache.js';
// Factur-X: the types and the light helpers; the whole API (reader, writer, embedding,
// validator) is src/recognition/facturx/index.ts, imported by those who need it.
export type * from './facturx/types.js';
export { FACTURX_PROFILES } from './facturx/types.js';
export { isValidationPending, withValidation } from './facturx/validation-state.js';
export { checkFacturxForChorus } from './facturx/chorus-checks.js';
export { isProfileAcceptedByChorus } from './facturx/profile.js';
export { facturxHeadline, profileLabel } from './facturx/messages.js';

export interface RecognizerDeps {
  /** Worker threads (default: `defaultPoolSize()`, one core left to the main thread). */
  poolSize?: number;
  /** Deadline per document in ms (default 15 s); past it the worker is replaced. */
  timeoutMs?: number;
  /** Files above this size are not parsed (default 32 MB; the deposit limit stays 10 MB). */
  maxBytes?: number;
  /**
   * Heap limit of each worker in MB (default 2048). V8 collects far more often under a tight old-space
   * limit (512 MB doubled the CPU per document), so the bound is set high; sizes, page counts and
   * pdfjs' image limit keep real documents far below it.
   */
  maxHeapMb?: number;
  logger?: Logger;
}

/**
 * Workers by default: one core is left to the main thread (channels, store, Chorus Pro client, the
 * embedded simulator), at most two workers. On two cores a second worker only fights the main
 * thread for the CPU in a burst, and each worker holds its own pdfjs (about 120 MB resident): a
 * machine with less than 2 GB of memory gets one.
 */
export function defaultPoolSize(cores = availableParallelism(), memoryMb = totalmem() / 1_048_576): number {
  if (memoryMb < 2_048) return 1;
  return Math.max(1, Math.min(2, cores - 1));
}

export function createRecognizer(deps: RecognizerDeps = {}): Recognizer {
  const logger = (deps.logger ?? createSilentLogger()).child({ component: 'recognition' });
  const limits: InspectLimits = { ...DEFAULT_LIMITS, maxBytes: deps.maxBytes ?? DEFAULT_LIMITS.maxBytes };
  const size = Math.max(1, deps.poolSize ?? defaultPoolSize());
  const timeoutMs = deps.timeoutMs ?? 15_000;
  const pool = new WorkerPool({
    size,
    timeoutMs,
    maxHeapMb: deps.maxHeapMb ?? 2048,
    logger,
  });
  // The invoice XML of each fast report, for its validation (no second PDF parse).
  const facturxXml = new WeakMap<InspectionReport, Uint8Array>();
  return {
    async inspect(bytes: Uint8Array, fileName: string): Promise<InspectionReport> {
      const early = precheck(bytes, fileName, limits);
      if (early) return early;
      const outcome = await pool.runLazy(() => {
        const copy = new Uint8Array(bytes);
        return { payload: { kind: 'inspect', bytes: copy, fileName, limits }, transfer: [copy.buffer] };
      });
      if (outcome.ok && outcome.response.ok && outcome.response.kind === 'inspect') {
        const { report, facturxXml: xml } = outcome.response;
        if (xml) facturxXml.set(report, xml);
        return report;
      }
      if (!outcome.ok && outcome.reason === 'closed') throw new RecognizerClosedError();
      logger.warn(
        { reason: outcome.ok ? 'error' : outcome.reason, size: bytes.length },
        'document reported unreadable',
      );
      return unreadableReport(fileName, bytes.length, limits);
    },
    async renderPreview(bytes, report, options = {}): Promise<Uint8Array> {
      const outcome = await pool.runLazy(
        () => {
          const copy = new Uint8Array(bytes);
          const scale = options.scale ?? 1.5;
          const format = options.format ?? 'png';
          return {
            payload: { kind: 'preview', bytes: copy, report, scale, format },
            transfer: [copy.buffer],
          };
        },
        timeoutMs,
        'low',
      );
      if (!outcome.ok && outcome.reason === 'closed') throw new RecognizerClosedError();
      if (!outcome.ok && outcome.reason === 'skipped') throw new PreviewSkippedError();
      if (outcome.ok && outcome.response.ok && outcome.response.kind === 'preview')
        return outcome.response.png;
      const why = outcome.ok
        ? outcome.response.ok
          ? 'unexpected response'
          : outcome.response.message
        : outcome.reason;
      throw new PreviewError(`preview failed: ${why}`);
    },
    async validateFacturx(bytes: Uint8Array, report: InspectionReport): Promise<InspectionReport> {
      if (!isValidationPending(report) || !report.facturx) return report;
      const xml = facturxXml.get(report);
      const copy = xml ? new Uint8Array(xml) : new Uint8Array(bytes);
      // A worker's first validation loads SaxonJS and the profile's compiled rules (seconds on a
      // busy machine): a longer bound than a page reading's.
      const outcome = await pool.run(
        { kind: 'facturx', profile: report.facturx.profile, ...(xml ? { xml: copy } : { pdf: copy }) },
        [copy.buffer],
        Math.max(60_000, timeoutMs),
      );
      if (!outcome.ok && outcome.reason === 'closed') throw new RecognizerClosedError();
      if (outcome.ok && outcome.response.ok && outcome.response.kind === 'facturx')
        return withValidation(report, outcome.response.validation);
      const why = outcome.ok
        ? outcome.response.ok
          ? 'unexpected response'
          : outcome.response.message
        : outcome.reason;
      logger.warn({ reason: why }, 'factur-x validation failed');
      return withValidation(report, validationNotRun(why));
    },
    async warmUp(): Promise<void> {
      const started = performance.now();
      const outcomes = await Promise.all(
        Array.from({ length: size }, () =>
          pool.runLazy(
            () => {
              const bytes = warmUpPdf();
              return {
                payload: { kind: 'inspect', bytes, fileName: 'warm-up.pdf', limits },
                transfer: [bytes.buffer],
              };
            },
            timeoutMs,
            'low',
          ),
        ),
      );
      if (outcomes.some((o) => !o.ok && o.reason === 'closed')) return; // stopped meanwhile
      const failed = outcomes.filter((o) => !o.ok || !o.response.ok).length;
      if (failed > 0) logger.warn({ failed }, 'recognition warm-up failed');
      else
        logger.debug({ workers: size, ms: Math.round(performance.now() - started) }, 'recognition warmed up');
    },
    close: () => pool.close(),
  };
}

/** A validation that could not complete (timeout, crash) never calls the file valid. */
function validationNotRun(why: string): FacturxValidation {
  return {
    valid: false,
    errors: [
      {
        source: 'schematron',
        rule: 'validation-not-run',
        message: `The validation did not complete (${why}).`,
      },
    ],
  };
}

/**
 * `validateFacturx` in the calling thread (tools, tests): the report with its `facturx` section
 * completed. Loads the validator in this thread.
 */
export async function validateFacturxInThread(
  bytes: Uint8Array,
  report: InspectionReport,
): Promise<InspectionReport> {
  if (!isValidationPending(report) || !report.facturx) return report;
  const { validateInWorker } = await import('./facturx/worker-task.js');
  const validation = await validateInWorker({ pdf: new Uint8Array(bytes), profile: report.facturx.profile });
  return withValidation(report, validation);
}

/** The recognition in the calling thread, without a pool (loads pdfjs in this thread). */
export async function inspectInThread(
  bytes: Uint8Array,
  fileName: string,
  limits: InspectLimits = DEFAULT_LIMITS,
): Promise<InspectionReport> {
  const { inspectPdf } = await import('./inspect.js');
  return inspectPdf(bytes, fileName, limits);
}
