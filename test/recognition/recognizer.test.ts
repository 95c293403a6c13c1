/**
 * The public engine (`createRecognizer`) with its real worker threads (dist/, built by `npm test`):
 * same reports as the in-thread function, previews, size limits, timeouts, close.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createRecognizer,
  inspectInThread,
  isUnusable,
  RecognizerClosedError,
} from '../../src/recognition/index.js';
import { warmUpPdf } from '../../src/recognition/warm-up.js';
import { invoiceLines, renderPdf } from '../fixtures/pdf-lib-invoice.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/generated/${name}`, import.meta.url))));

describe('createRecognizer', () => {
  const recognizer = createRecognizer({ poolSize: 2, timeoutMs: 20_000 });
  afterAll(() => recognizer.close());

  it('warms its workers up on a built-in invoice that reads like a real one', async () => {
    // What the warm-up runs through the workers: every field read (so the field scanners are
    // compiled too), no rule broken.
    const report = await inspectInThread(warmUpPdf(), 'warm-up.pdf');
    expect(Object.keys(report.fields).sort()).toEqual(
      [
        'currency',
        'invoiceDate',
        'invoiceNumber',
        'recipientName',
        'recipientServiceCode',
        'recipientSiret',
        'supplierIban',
        'supplierSiret',
        'totalExclTax',
        'totalInclTax',
        'totalTax',
      ].sort(),
    );
    expect(report.violations).toEqual([]);
    await expect(recognizer.warmUp?.()).resolves.toBeUndefined();
    // A closed engine's warm-up resolves too (start and stop may cross).
    const closed = createRecognizer({ poolSize: 1 });
    await closed.close();
    await expect(closed.warmUp?.()).resolves.toBeUndefined();
  });

  it('returns the same report as the in-thread recognition', async () => {
    const bytes = fixture('pl-clean-ministry.pdf');
    const [pooled, local] = await Promise.all([
      recognizer.inspect(bytes, 'a/b/facture.pdf'),
      inspectInThread(bytes, 'facture.pdf'),
    ]);
    expect(pooled).toEqual(local);
    expect(pooled.file).toBe('facture.pdf');
    expect(pooled.fields.engagementNumber?.value).toBe('1300012345');
  });

  it('does not detach or change the caller’s buffer', async () => {
    const bytes = fixture('pl-clean-commune.pdf');
    const before = Buffer.from(bytes).toString('base64');
    await recognizer.inspect(bytes, 'x.pdf');
    expect(bytes.byteLength).toBeGreaterThan(0);
    expect(Buffer.from(bytes).toString('base64')).toBe(before);
  });

  it('analyses several documents at once', async () => {
    const names = [
      'pl-clean-commune.pdf',
      'cr-clean-commune.pdf',
      'pl-glued.pdf',
      'cr-glued.pdf',
      'pl-scanned.pdf',
      'damaged.pdf',
    ];
    const reports = await Promise.all(names.map((n) => recognizer.inspect(fixture(n), n)));
    expect(reports.map((r) => r.file)).toEqual(names);
    expect(reports.map((r) => isUnusable(r))).toEqual([false, false, false, false, false, true]);
  });

  it('reports file-too-large above 10 MB and still reads the invoice', async () => {
    const doc = await PDFDocument.load(await renderPdf(invoiceLines()));
    await doc.attach(randomBytes(10.5 * 1024 * 1024), 'annexe.bin', { mimeType: 'application/octet-stream' });
    const big = await doc.save();
    expect(big.length).toBeGreaterThan(10 * 1024 * 1024);
    const report = await recognizer.inspect(big, 'gros.pdf');
    expect(report.violations.map((v) => v.rule)).toEqual(['file-too-large']);
    expect(report.fields.invoiceNumber?.value).toBe('F-2026-0042');
    expect(isUnusable(report)).toBe(false);
  });

  it('reads only the first pages of a very long document', async () => {
    const doc = await PDFDocument.load(await renderPdf(invoiceLines()));
    for (let i = 0; i < 499; i++) doc.addPage([595.28, 841.89]);
    const report = await recognizer.inspect(await doc.save(), 'long.pdf');
    expect(report.pageCount).toBe(500);
    expect(report.pagesRead).toBe(3);
    expect(report.violations).toEqual([]);
    expect(report.fields.totalInclTax?.value).toBe('1500.00');
  });

  it('answers without parsing for files far over the limit or not PDFs', async () => {
    const small = createRecognizer({ maxBytes: 1000 });
    const report = await small.inspect(fixture('pl-clean-commune.pdf'), 'x.pdf');
    expect(report.violations.map((v) => v.rule)).toEqual(['file-too-large']);
    expect(report.pageCount).toBe(0);
    const notPdf = await small.inspect(new TextEncoder().encode('hello'), 'x.pdf');
    expect(notPdf.violations.map((v) => v.rule)).toEqual(['not-pdf']);
    await small.close();
  });

  it('renders a PNG preview of page 1', async () => {
    const bytes = fixture('cr-clean-commune.pdf');
    const report = await recognizer.inspect(bytes, 'x.pdf');
    const png = await recognizer.renderPreview(bytes, report);
    expect(Buffer.from(png.subarray(0, 4)).toString('hex')).toBe('89504e47');
    expect(png.length).toBeGreaterThan(20_000);
  });

  it('reports unreadable-pdf when a document overruns its deadline', async () => {
    const hasty = createRecognizer({ poolSize: 1, timeoutMs: 1 });
    const report = await hasty.inspect(fixture('pl-clean-commune.pdf'), 'lent.pdf');
    expect(report.violations.map((v) => v.rule)).toEqual(['unreadable-pdf']);
    await hasty.close();
  });

  it('refuses work after close()', async () => {
    const r = createRecognizer({ poolSize: 1 });
    await r.close();
    await expect(r.inspect(fixture('pl-clean-commune.pdf'), 'x.pdf')).rejects.toBeInstanceOf(
      RecognizerClosedError,
    );
  });
});
