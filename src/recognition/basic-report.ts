/**
 * The parts of a report that need no PDF parser: limits, the empty report, the checks done on
 * the raw bytes. Kept apart from inspect.ts so the main thread can answer them without loading
 * pdfjs (the pool uses them for files too large to send and for workers that time out).
 */
import { basename } from 'node:path';
import type { InspectionReport, Violation } from './types.js';
import { violationMessage } from './messages.js';

export interface InspectLimits {
  /** Chorus Pro's deposit limit: above it, `file-too-large` (the file is still inspected). */
  depositMaxBytes: number;
  /** Above this size the file is not parsed at all (memory bound). */
  maxBytes: number;
  /** Pages Chorus Pro reads. */
  pagesRead: number;
  /** Further pages looked at to tell "missing" from "beyond page 3". */
  extraPages: number;
}

export const DEFAULT_LIMITS: InspectLimits = {
  depositMaxBytes: 10 * 1024 * 1024,
  maxBytes: 32 * 1024 * 1024,
  pagesRead: 3,
  extraPages: 7,
};

export function emptyReport(fileName: string): InspectionReport {
  return { file: basename(fileName), pageCount: 0, pagesRead: 0, fields: {}, violations: [], facturx: null };
}

export function fileTooLarge(limits: InspectLimits): Violation {
  return {
    rule: 'file-too-large',
    message: violationMessage('file-too-large', { maxMb: Math.round(limits.depositMaxBytes / 1048576) }),
  };
}

/** A report for a file the engine could not analyse (timeouts, crashes, parser errors). */
export function unreadableReport(
  fileName: string,
  sizeBytes?: number,
  limits: InspectLimits = DEFAULT_LIMITS,
): InspectionReport {
  const report = emptyReport(fileName);
  if (sizeBytes !== undefined && sizeBytes > limits.depositMaxBytes)
    report.violations.push(fileTooLarge(limits));
  report.violations.push({ rule: 'unreadable-pdf', message: violationMessage('unreadable-pdf') });
  return report;
}

/** PDF readers accept the `%PDF-` header anywhere in the first kilobyte. */
export function looksLikePdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString('latin1');
  return head.includes('%PDF-');
}

/**
 * The report for bytes that need no parsing (not a PDF, or over the hard size cap), or null when
 * the file must go to the parser.
 */
export function precheck(
  bytes: Uint8Array,
  fileName: string,
  limits: InspectLimits,
): InspectionReport | null {
  const report = emptyReport(fileName);
  if (bytes.length > limits.depositMaxBytes) report.violations.push(fileTooLarge(limits));
  // Over the parsing cap (memory bound): not parsed; `file-too-large` says why.
  if (bytes.length > limits.maxBytes) {
    if (report.violations.length === 0) {
      report.violations.push(
        fileTooLarge({ ...limits, depositMaxBytes: Math.min(limits.maxBytes, limits.depositMaxBytes) }),
      );
    }
    return report;
  }
  if (!looksLikePdf(bytes)) {
    report.violations.push({ rule: 'not-pdf', message: violationMessage('not-pdf') });
    return report;
  }
  return null;
}

/** The report of a file known (from its size alone) to be over the parsing cap: nothing is read. */
export function oversizedReport(fileName: string, limits: InspectLimits = DEFAULT_LIMITS): InspectionReport {
  const report = emptyReport(fileName);
  report.violations.push(
    fileTooLarge({ ...limits, depositMaxBytes: Math.min(limits.maxBytes, limits.depositMaxBytes) }),
  );
  return report;
}
