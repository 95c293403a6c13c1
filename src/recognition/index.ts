/**
 * Public API of the recognition engine.
 *
 * - `createRecognizer(deps)`: the `Recognizer` the rest of Facteur uses (worker pool, bounded
 *   time and memory per document).
 * - `inspectInThread(bytes, fileName)`: the same recognition in the calling thread (tools, tests).
 * - Identifier checks, for the conversation's validation of typed values.
 * - French display helpers (`formatReport`, `displayValue`) shared with the CLI.
 */
import { availableParallelism } from 'node:os';
import type { Logger } from '../shared/logger.js';
import { createSilentLogger } from '../shared/logger.js';
import type { InspectionReport, Recognizer } from './types.js';
import { DEFAULT_LIMITS, precheck, unreadableReport, type InspectLimits } from './basic-report.js';
import { WorkerPool } from './pool.js';
import { PreviewError, RecognizerClosedError } from './errors.js';

export type {
  InspectionReport,
  Recognizer,
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
export { RecognitionUnavailableError, PreviewError, RecognizerClosedError } from './errors.js';

export interface RecognizerDeps {
  /** Worker threads (default: min(2, cores)). */
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

export function createRecognizer(deps: RecognizerDeps = {}): Recognizer {
  const logger = (deps.logger ?? createSilentLogger()).child({ component: 'recognition' });
  const limits: InspectLimits = { ...DEFAULT_LIMITS, maxBytes: deps.maxBytes ?? DEFAULT_LIMITS.maxBytes };
  const pool = new WorkerPool({
    size: Math.max(1, deps.poolSize ?? Math.min(2, availableParallelism())),
    timeoutMs: deps.timeoutMs ?? 15_000,
    maxHeapMb: deps.maxHeapMb ?? 2048,
    logger,
  });
  return {
    async inspect(bytes: Uint8Array, fileName: string): Promise<InspectionReport> {
      const early = precheck(bytes, fileName, limits);
      if (early) return early;
      const copy = new Uint8Array(bytes);
      const outcome = await pool.run({ kind: 'inspect', bytes: copy, fileName, limits }, [copy.buffer]);
      if (outcome.ok && outcome.response.ok && outcome.response.kind === 'inspect')
        return outcome.response.report;
      if (!outcome.ok && outcome.reason === 'closed') throw new RecognizerClosedError();
      logger.warn(
        { reason: outcome.ok ? 'error' : outcome.reason, size: bytes.length },
        'document reported unreadable',
      );
      return unreadableReport(fileName, bytes.length, limits);
    },
    async renderPreview(bytes: Uint8Array, report: InspectionReport): Promise<Uint8Array> {
      const copy = new Uint8Array(bytes);
      const outcome = await pool.run({ kind: 'preview', bytes: copy, report, scale: 1.5 }, [copy.buffer]);
      if (!outcome.ok && outcome.reason === 'closed') throw new RecognizerClosedError();
      if (outcome.ok && outcome.response.ok && outcome.response.kind === 'preview')
        return outcome.response.png;
      const why = outcome.ok
        ? outcome.response.ok
          ? 'unexpected response'
          : outcome.response.message
        : outcome.reason;
      throw new PreviewError(`preview failed: ${why}`);
    },
    close: () => pool.close(),
  };
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
