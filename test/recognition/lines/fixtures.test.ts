/**
 * The lines read on the committed fixtures (pdf-lib, Chromium, LibreOffice) against the lines
 * written by hand from each fixture's source, checked with the fixture's own totals.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readLines } from '../../../src/recognition/lines/index.js';
import { chunksOf, printed } from './helpers.js';
import type { GroundTruth } from '../../fixtures/ground-truth.js';
import { EXPECTED_LINES } from '../../fixtures/lines/expected-lines.js';

const dir = fileURLToPath(new URL('../../fixtures/generated/', import.meta.url));

describe('invoice lines of the committed fixtures', () => {
  it.each(Object.entries(EXPECTED_LINES))(
    '%s',
    async (name, expected) => {
      const truth = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')) as GroundTruth;
      const value = (v: string | undefined) => (v === undefined ? null : { value: v });
      const reading = readLines(
        await chunksOf(new Uint8Array(readFileSync(join(dir, `${name}.pdf`)))),
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
