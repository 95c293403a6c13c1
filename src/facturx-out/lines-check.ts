/**
 * Are the lines consistent with the confirmed totals? The sum of the lines, with charges and
 * discounts, must equal the total excl. VAT; the VAT computed per rate must add up to the VAT
 * total (line-level rounding may move it by at most one cent per line, which then goes to the
 * largest base); HT + TVA must equal TTC. Pure; nothing is ever adjusted beyond that rounding.
 */
import type { FacturxAllowanceCharge, FacturxLine, FacturxSource } from './types.js';
import { normalizeRate, productCents, rateTimesCents } from './decimal-rate.js';

export interface RateBreakdown {
  /** Normalized percent (`"20"`, `"5.5"`, `"0"`). */
  rate: string;
  basisCents: number;
  taxCents: number;
}

export type LinesProblem =
  | { code: 'no-lines' }
  | { code: 'line-invalid'; index: number }
  | { code: 'line-product'; index: number; expectedCents: number }
  | { code: 'sum-differs'; linesCents: number; totalExclTaxCents: number }
  | { code: 'vat-differs'; computedCents: number; totalTaxCents: number }
  | { code: 'ttc-differs'; computedCents: number; totalInclTaxCents: number }
  | { code: 'franchise-rate'; index: number };

export type LinesCheck =
  { ok: true; breakdown: RateBreakdown[]; lineTotalCents: number } | { ok: false; problems: LinesProblem[] };

const QUANTITY = /^-?\d+(\.\d{1,4})?$/;

/** Whether the invoice is VAT-free (franchise en base / exemption): every rate must then be 0. */
export function isVatFree(source: Pick<FacturxSource, 'vatRegime' | 'totalTaxCents'>): boolean {
  return (
    (source.vatRegime === 'EXONERATION' || source.vatRegime === 'SANS_TVA') && source.totalTaxCents === 0
  );
}

export function checkLines(source: FacturxSource): LinesCheck {
  const problems: LinesProblem[] = [];
  const lines = source.lines;
  if (lines.length === 0) return { ok: false, problems: [{ code: 'no-lines' }] };
  const vatFree = isVatFree(source);
  lines.forEach((l, index) => {
    if (!validLine(l)) return problems.push({ code: 'line-invalid', index });
    if (vatFree && normalizeRate(l.vatRate) !== '0') problems.push({ code: 'franchise-rate', index });
    const expected = productCents(l.quantity, l.unitPrice);
    // The printed line amount may round quantity × price; more than a cent apart is a misreading.
    if (Math.abs(expected - l.amountCents) > 1)
      problems.push({ code: 'line-product', index, expectedCents: expected });
  });
  if (problems.length > 0) return { ok: false, problems };

  const extras = source.allowancesCharges ?? [];
  const lineTotalCents = lines.reduce((s, l) => s + l.amountCents, 0);
  const signed = (a: FacturxAllowanceCharge) => (a.kind === 'charge' ? a.amountCents : -a.amountCents);
  const basis = lineTotalCents + extras.reduce((s, a) => s + signed(a), 0);
  if (basis !== source.totalExclTaxCents)
    problems.push({ code: 'sum-differs', linesCents: basis, totalExclTaxCents: source.totalExclTaxCents });

  const byRate = new Map<string, number>();
  const add = (rate: string, cents: number) => byRate.set(rate, (byRate.get(rate) ?? 0) + cents);
  for (const l of lines) add(normalizeRate(l.vatRate), l.amountCents);
  for (const a of extras) add(normalizeRate(a.vatRate), signed(a));
  const breakdown: RateBreakdown[] = [...byRate.entries()]
    .map(([rate, basisCents]) => ({ rate, basisCents, taxCents: rateTimesCents(rate, basisCents, 100) }))
    .sort((a, b) => b.basisCents - a.basisCents);
  const computed = breakdown.reduce((s, b) => s + b.taxCents, 0);
  const gap = source.totalTaxCents - computed;
  const taxed = breakdown.find((b) => b.rate !== '0');
  if (gap !== 0 && taxed && Math.abs(gap) <= lines.length) taxed.taxCents += gap;
  else if (gap !== 0)
    problems.push({ code: 'vat-differs', computedCents: computed, totalTaxCents: source.totalTaxCents });

  const ttc = source.totalExclTaxCents + source.totalTaxCents;
  if (ttc !== source.totalInclTaxCents)
    problems.push({ code: 'ttc-differs', computedCents: ttc, totalInclTaxCents: source.totalInclTaxCents });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, breakdown, lineTotalCents };
}

function validLine(l: FacturxLine): boolean {
  return (
    l.description.trim().length > 0 &&
    QUANTITY.test(l.quantity) &&
    /^\d+(\.\d{1,6})?$/.test(l.unitPrice) &&
    Number.isInteger(l.amountCents) &&
    /^\d{1,2}(\.\d{1,2})?$/.test(l.vatRate)
  );
}
