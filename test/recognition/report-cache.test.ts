/**
 * The report cache in front of the recognizer: the same bytes under the same name are read once
 * (a finished or a pending reading is shared), other bytes or names are read, the number of
 * reports kept is bounded (in number and in memory), and a failed reading is not kept.
 */
import { describe, expect, it } from 'vitest';
import { RecognizerClosedError } from '../../src/recognition/errors.js';
import { reportBytes, withReportCache } from '../../src/recognition/report-cache.js';
import type { InspectionReport, Recognizer } from '../../src/recognition/types.js';

/** A recognizer that answers after `delayMs` and counts the readings it was asked for. */
function countingRecognizer(delayMs = 20) {
  const reads: string[] = [];
  let closed = false;
  const recognizer: Recognizer = {
    async inspect(bytes, fileName) {
      reads.push(`${fileName}:${bytes.length}`);
      await new Promise((r) => setTimeout(r, delayMs));
      if (closed) throw new RecognizerClosedError();
      return {
        file: fileName,
        pageCount: 1,
        pagesRead: 1,
        fields: {},
        violations: [],
      } as unknown as InspectionReport;
    },
    renderPreview: async () => new Uint8Array([1]),
    validateFacturx: async (_bytes, report) => report,
    close: async () => {
      closed = true;
    },
  };
  return { recognizer, reads, reopen: () => (closed = false) };
}

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill);

describe('report cache', () => {
  it('shares one reading between callers asking for the same bytes, even while it runs', async () => {
    const inner = countingRecognizer();
    const cache = withReportCache(inner.recognizer);
    const pdf = bytes(100);
    const [a, b] = await Promise.all([
      cache.inspect(pdf, 'f.pdf'),
      cache.inspect(new Uint8Array(pdf), 'f.pdf'),
    ]);
    const c = await cache.inspect(pdf, 'f.pdf');
    expect(inner.reads).toEqual(['f.pdf:100']);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(cache.stats()).toMatchObject({ misses: 1, hits: 2, size: 1 });
  });

  it('reads again other bytes or another file name', async () => {
    const inner = countingRecognizer(1);
    const cache = withReportCache(inner.recognizer);
    await cache.inspect(bytes(100, 1), 'f.pdf');
    await cache.inspect(bytes(100, 2), 'f.pdf');
    await cache.inspect(bytes(100, 1), 'g.pdf');
    expect(inner.reads).toHaveLength(3);
  });

  it('keeps at most `entries` reports, dropping the least recently used', async () => {
    const inner = countingRecognizer(1);
    const cache = withReportCache(inner.recognizer, { entries: 2 });
    await cache.inspect(bytes(10, 1), 'a.pdf');
    await cache.inspect(bytes(10, 2), 'b.pdf');
    await cache.inspect(bytes(10, 1), 'a.pdf'); // a is now the most recent
    await cache.inspect(bytes(10, 3), 'c.pdf'); // b goes
    expect(cache.stats().size).toBe(2);
    await cache.inspect(bytes(10, 1), 'a.pdf');
    expect(inner.reads).toHaveLength(3);
    await cache.inspect(bytes(10, 2), 'b.pdf');
    expect(inner.reads).toHaveLength(4);
  });

  it('keeps the reports within `maxBytes` of estimated memory, dropping the least recently used', async () => {
    const inner = countingRecognizer(1);
    const one = reportBytes(await inner.recognizer.inspect(bytes(1), 'a.pdf'));
    inner.reads.length = 0;
    const cache = withReportCache(inner.recognizer, { maxBytes: 2 * one + 10 });
    for (const fill of [1, 2, 3]) await cache.inspect(bytes(10, fill), 'a.pdf');
    expect(cache.stats()).toMatchObject({ size: 2, bytes: 2 * one });
    await cache.inspect(bytes(10, 3), 'a.pdf');
    await cache.inspect(bytes(10, 1), 'a.pdf');
    expect(inner.reads).toHaveLength(4); // the first one was dropped, the last one kept
  });

  it('does not keep a failed reading', async () => {
    const inner = countingRecognizer(1);
    const cache = withReportCache(inner.recognizer);
    await inner.recognizer.close();
    await expect(cache.inspect(bytes(10), 'f.pdf')).rejects.toBeInstanceOf(RecognizerClosedError);
    inner.reopen();
    await expect(cache.inspect(bytes(10), 'f.pdf')).resolves.toMatchObject({ file: 'f.pdf' });
    expect(inner.reads).toHaveLength(2);
  });
});
