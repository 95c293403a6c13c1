import { describe, expect, it } from 'vitest';
import { checkLines, completeRates, vatOf } from '../../../src/recognition/lines/check.js';
import { decimalToCents, normalizeNumber } from '../../../src/recognition/lines/tokens.js';
import type { InvoiceLine } from '../../../src/recognition/lines/types.js';

const line = (amountCents: number, vatRate?: string, kind: InvoiceLine['kind'] = 'line'): InvoiceLine => ({
  kind,
  description: 'x',
  amountCents,
  page: 1,
  ...(vatRate !== undefined ? { vatRate, vatRateFrom: 'line' as const } : {}),
});

describe('numbers as printed', () => {
  it('normalizes French, English and grouped forms without floats', () => {
    expect(normalizeNumber('1 234,56')).toBe('1234.56');
    expect(normalizeNumber('1.234,56')).toBe('1234.56');
    expect(normalizeNumber('1,980.00')).toBe('1980.00');
    expect(normalizeNumber("2'400,00")).toBe('2400.00');
    expect(normalizeNumber('750.00')).toBe('750.00');
    expect(normalizeNumber('0,1850')).toBe('0.1850');
    expect(normalizeNumber('12/03')).toBeNull();
    expect(decimalToCents('1234.5')).toBe(123450);
    expect(decimalToCents('-0.05')).toBe(-5);
    expect(decimalToCents('0.1850')).toBeUndefined();
  });
});

describe('checkLines', () => {
  const totals = { totalExclTax: { value: '2850.00' }, totalTax: { value: '526.50' } };

  it('accepts lines, charges and several rates that add up', () => {
    const lines = [line(240000, '20'), line(30000, '5.5'), line(15000, '20', 'charge')];
    expect(checkLines(lines, totals, {})).toEqual([]);
    expect(vatOf(30000, '5.5')).toBe(1650);
  });

  it('says how far the sum and the VAT are off', () => {
    const issues = checkLines([line(240000, '20'), line(30000, '5.5')], totals, {});
    expect(issues.map((i) => i.code)).toEqual(['sum-mismatch', 'vat-mismatch']);
    expect(issues[0]).toMatchObject({ expectedCents: 285000, foundCents: 270000 });
    expect(issues[0]?.message).toContain('2\u202f700,00');
  });

  it('reports no lines and a missing total', () => {
    expect(checkLines([], totals, {}).map((i) => i.code)).toEqual(['no-lines']);
    expect(checkLines([line(100, '20')], {}, {}).map((i) => i.code)).toEqual(['no-total']);
  });

  it('takes a credit note printed positive under negative totals', () => {
    const credit = { totalExclTax: { value: '-600.00' }, totalTax: { value: '-120.00' } };
    expect(checkLines([line(60000, '20')], credit, { creditNote: true })).toEqual([]);
    expect(checkLines([line(60000, '20')], credit, {}).map((i) => i.code)).toContain('sum-mismatch');
  });

  it('fills a missing rate from the document only when it is certain', () => {
    const t = { totalExclTax: { value: '1250.00' }, totalTax: { value: '250.00' } };
    expect(completeRates([line(125000)], t, { printed: [] }, {})[0]).toMatchObject({
      vatRate: '20',
      vatRateFrom: 'document',
    });
    expect(completeRates([line(125000)], t, { printed: ['20', '5.5'] }, {})[0]?.vatRate).toBeUndefined();
    const franchise = completeRates(
      [line(65000)],
      { totalExclTax: { value: '650.00' } },
      { printed: [] },
      { vatRegime: 'SANS_TVA' },
    );
    expect(franchise[0]?.vatRate).toBe('0');
  });
});
