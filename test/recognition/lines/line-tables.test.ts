/**
 * The line reader on pdf-lib invoices drawn for it (test/fixtures/lines/line-tables.ts): the
 * PDFs are made at test time, parsed for real, and their lines compared with the hand-written ones.
 */
import { describe, expect, it } from 'vitest';
import { readLines } from '../../../src/recognition/lines/index.js';
import { chunksOf, printed } from './helpers.js';
import { renderPdf } from '../../fixtures/pdf-lib-invoice.js';
import { LINE_TABLES } from '../../fixtures/lines/line-tables.js';

describe('invoice lines of tables drawn for the line reader', () => {
  it.each(LINE_TABLES.map((t) => [t.name, t] as const))(
    '%s',
    async (_name, t) => {
      const value = (v: string | undefined) => (v === undefined ? null : { value: v });
      const reading = readLines(
        await chunksOf(await renderPdf(t.spec)),
        {
          totalExclTax: value(t.totals.totalExclTax),
          totalTax: value(t.totals.totalTax),
          totalInclTax: value(t.totals.totalInclTax),
        },
        { creditNote: t.creditNote ?? false },
      );
      expect(reading.lines.map(printed)).toEqual(t.expected.lines);
      expect(reading.issues.map((i) => i.code)).toEqual(t.expected.issues ?? []);
      expect(reading.consistent).toBe(t.expected.consistent);
    },
    30_000,
  );

  it('says by how much the lines miss the total', async () => {
    const t = LINE_TABLES.find((x) => x.name === 'totals-disagree');
    if (!t) throw new Error('fixture missing');
    const reading = readLines(await chunksOf(await renderPdf(t.spec)), {
      totalExclTax: { value: '1250.00' },
      totalTax: { value: '250.00' },
    });
    expect(reading.issues[0]).toMatchObject({
      code: 'sum-mismatch',
      expectedCents: 125000,
      foundCents: 112000,
    });
  }, 30_000);
});
