/**
 * Reports shared by content: the same bytes under the same name are read once. In simulator mode
 * the embedded Chorus Pro answers `deposer/pdf` with Facteur's own recognition of the very PDF
 * the conversation is reading at that moment; with this cache in front of the one recognizer both
 * get the same report from one reading instead of two (the pending reading is shared too, so the
 * order in which the two ask does not matter). Bounded by the memory its reports take (and by
 * their number): the least recently used report goes first.
 */
import { createHash } from 'node:crypto';
import type { InspectionReport, Recognizer } from './types.js';

export interface ReportCacheOptions {
  /** Reports kept at most (default 256: a burst's documents in flight, with room to spare). */
  entries?: number;
  /** Memory the finished reports may take, estimated from their JSON size (default 4 MB). */
  maxBytes?: number;
}

export interface ReportCacheStats {
  /** Readings asked of the recognizer behind the cache. */
  misses: number;
  /** Answers served from the cache (a finished or a pending reading). */
  hits: number;
  size: number;
  /** Estimated memory of the finished reports kept. */
  bytes: number;
}

export interface CachingRecognizer extends Recognizer {
  stats(): ReportCacheStats;
}

/** A report's memory, estimated: its JSON length in UTF-16 code units (2 bytes each). */
export function reportBytes(report: InspectionReport): number {
  return 2 * JSON.stringify(report).length;
}

/** The cache key: SHA-256 of the bytes and the file name (the report carries the name). */
export function reportKey(bytes: Uint8Array, fileName: string): string {
  return `${createHash('sha256').update(bytes).digest('hex')}:${fileName}`;
}

export function withReportCache(recognizer: Recognizer, options: ReportCacheOptions = {}): CachingRecognizer {
  const capacity = Math.max(1, options.entries ?? 256);
  const maxBytes = Math.max(0, options.maxBytes ?? 4 * 1024 * 1024);
  const reports = new Map<string, Promise<InspectionReport>>();
  /** The estimated size of each finished report kept (a pending reading counts once done). */
  const sizes = new Map<string, number>();
  let bytes = 0;
  let hits = 0;
  let misses = 0;

  function forget(key: string): void {
    reports.delete(key);
    bytes -= sizes.get(key) ?? 0;
    sizes.delete(key);
  }

  /** Drops the least recently used reports until both bounds hold (the newest one stays). */
  function trim(): void {
    while (reports.size > 1 && (reports.size > capacity || bytes > maxBytes))
      forget(reports.keys().next().value as string);
  }

  function remember(key: string, report: Promise<InspectionReport>): void {
    reports.set(key, report);
    trim();
    report.then(
      (done) => {
        if (reports.get(key) !== report) return;
        const size = reportBytes(done);
        sizes.set(key, size);
        bytes += size;
        trim();
      },
      // A failed reading (recognizer closed) is not kept: the next call tries again.
      () => {
        if (reports.get(key) === report) forget(key);
      },
    );
  }

  return {
    inspect(pdf, fileName) {
      const key = reportKey(pdf, fileName);
      const known = reports.get(key);
      if (known) {
        hits += 1;
        // Used again: it becomes the most recent.
        reports.delete(key);
        reports.set(key, known);
        return known;
      }
      misses += 1;
      const reading = recognizer.inspect(pdf, fileName);
      remember(key, reading);
      return reading;
    },
    renderPreview: (bytes, report, previewOptions) => recognizer.renderPreview(bytes, report, previewOptions),
    validateFacturx: (bytes, report) => recognizer.validateFacturx(bytes, report),
    async close() {
      reports.clear();
      sizes.clear();
      bytes = 0;
      await recognizer.close();
    },
    stats: () => ({ hits, misses, size: reports.size, bytes }),
  };
}
