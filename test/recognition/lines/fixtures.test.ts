/**
 * The lines read on the committed fixtures (pdf-lib, Chromium, LibreOffice) against the lines
 * written by hand from each fixture's source, checked with the fixture's own totals.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildChunks, type Chunk } from '../../../src/recognition/layout.js';
import { openPdf, readPageText } from '../../../src/recognition/pdf-document.js';
import { readLines } from '../../../src/recognition/lines/index.js';
import type { InvoiceLine } from '../../../src/recognition/lines/types.js';
import type { GroundTruth } from '../../fixtures/ground-truth.js';
import { EXPECTED_LINES, type ExpectedLine } from '../../fixtures/lines/expected-lines.js';

const dir = fileURLToPath(new URL('../../fixtures/generated/', import.meta.url));

async function chunksOf(name: string): Promise<Chunk[]> {
  const opened = await openPdf(new Uint8Array(readFileSync(join(dir, `${name}.pdf`))));
  if (!opened.ok) throw new Error(`cannot open ${name}`);
  const chunks: Chunk[] = [];
  for (let p = 1; p <= Math.min(3, opened.doc.numPages); p++) {
    chunks.push(...buildChunks((await readPageText(await opened.doc.getPage(p))).runs, p));
  }
  await opened.doc.destroy();
  return chunks;
}

const printed = (l: InvoiceLine): ExpectedLine => {
  const { kind, description, amountCents, page, quantity, unit, unitPrice, vatRate } = l;
  return JSON.parse(
    JSON.stringify({ kind, description, amountCents, page, quantity, unit, unitPrice, vatRate }),
  );
};

describe('invoice lines of the committed fixtures', () => {
  it.each(Object.entries(EXPECTED_LINES))(
    '%s',
    async (name, expected) => {
      const truth = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')) as GroundTruth;
      const value = (v: string | undefined) => (v === undefined ? null : { value: v });
      const reading = readLines(
        await chunksOf(name),
        {
          totalExclTax: value(truth.fields.totalExclTax),
          totalTax: value(truth.fields.totalTax),
          totalInclTax: value(truth.fields.totalInclTax),
        },
        {
          ...(truth.vatRegime ? { vatRegime: truth.vatRegime } : {}),
          creditNote: truth.invoiceType === 'AVOIR',
        },
      );
      expect(reading.lines.map(printed)).toEqual(expected.lines);
      expect(reading.issues.map((i) => i.code)).toEqual(expected.issues ?? []);
      expect(reading.consistent).toBe(expected.consistent);
    },
    30_000,
  );
});
