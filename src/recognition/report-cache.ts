/**
 * Reports shared by content: the same bytes under the same name are read once. In simulator mode
 * the embedded Chorus Pro answers `deposer/pdf` with Facteur's own recognition of the very PDF
 * the conversation is reading at that moment; with this cache in front of the one recognizer both
 * get the same report from one reading instead of two (the pending reading is shared too, so the
 * order in which the two ask does not matter). Bounded: the least recently used report goes first.
 */
import { createHash } from 'node:crypto';
import type { InspectionReport, Recognizer } from './types.js';

export interface ReportCacheOptions {
  /** Reports kept (default 128: a burst's documents in flight, with room to spare). */
  entries?: number;
}

export interface ReportCacheStats {
  /** Readings asked of the recognizer behind the cache. */
  misses: number;
  /** Answers served from the cache (a finished or a pending reading). */
  hits: number;
  size: number;
}

export interface CachingRecognizer extends Recognizer {
  stats(): ReportCacheStats;
}

/** The cache key: SHA-256 of the bytes and the file name (the report carries the name). */
export function reportKey(bytes: Uint8Array, fileName: string): string {
  return `${createHash('sha256').update(bytes).digest('hex')}:${fileName}`;
}

export function withReportCache(recognizer: Recognizer, options: ReportCacheOptions = {}): CachingRecognizer {
  const capacity = Math.max(1, options.entries ?? 128);
  const reports = new Map<string, Promise<InspectionReport>>();
  let hits = 0;
  let misses = 0;

  function remember(key: string, report: Promise<InspectionReport>): void {
    reports.set(key, report);
    while (reports.size > capacity) reports.delete(reports.keys().next().value as string);
  }

  return {
    inspect(bytes, fileName) {
      const key = reportKey(bytes, fileName);
      const known = reports.get(key);
      if (known) {
        hits += 1;
        // Used again: it becomes the most recent.
        reports.delete(key);
        reports.set(key, known);
        return known;
      }
      misses += 1;
      const reading = recognizer.inspect(bytes, fileName);
      remember(key, reading);
      // A failed reading (recognizer closed) is not kept: the next call tries again.
      reading.catch(() => {
        if (reports.get(key) === reading) reports.delete(key);
      });
      return reading;
    },
    renderPreview: (bytes, report, previewOptions) => recognizer.renderPreview(bytes, report, previewOptions),
    validateFacturx: (bytes, report) => recognizer.validateFacturx(bytes, report),
    async close() {
      reports.clear();
      await recognizer.close();
    },
    stats: () => ({ hits, misses, size: reports.size }),
  };
}
