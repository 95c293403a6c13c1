/**
 * The lines against the totals: the lines, with charges and discounts, sum to the total excl.
 * tax, and the VAT computed per rate sums to the VAT total. Rates missing on the lines are taken
 * from the document when it has only one (printed in the totals, or VAT franchise).
 */
import type { InvoiceLine, LineIssue, LineTotals, ReadLinesOptions } from './types.js';
import { decimalToCents, normalizeNumber } from './tokens.js';
import { lineIssueMessage } from './messages.js';

/** Rates a French invoice may carry (metropolitan France, Corsica, overseas departments). */
const KNOWN_RATES = ['20', '10', '8.5', '5.5', '2.1', '13', '0.9', '1.05', '1.75', '0'];

function cents(field: { value: string } | null | undefined): number | undefined {
  if (!field) return undefined;
  const n = normalizeNumber(field.value.replace(/^-/, ''));
  if (n === null) return undefined;
  const c = decimalToCents(n);
  return c === undefined ? undefined : field.value.startsWith('-') ? -c : c;
}

/** VAT of `base` cents at `rate` percent, rounded half away from zero. */
export function vatOf(baseCents: number, rate: string): number {
  const [int = '0', frac = ''] = rate.replace(/^-/, '').split('.');
  const scale = 10 ** frac.length;
  const numerator = Number(int + frac);
  const exact = (Math.abs(baseCents) * numerator) / (100 * scale);
  return Math.sign(baseCents) * Math.round(exact);
}

export interface DocumentRates {
  /** Distinct rates printed in the VAT summary or totals (`TVA 20 %`), normalized. */
  printed: string[];
  /**
   * The amounts printed on each rate's summary row (its base, its VAT, sometimes its total),
   * used to tell which line carries which rate when the lines print none.
   */
  amountsByRate?: Map<string, number[]>;
}

/** Most rate assignments tried (rates ^ lines) before giving up. */
const MAX_ASSIGNMENTS = 4_096;

/**
 * The one way to give each line one of the printed rates so that every rate's summary row shows
 * its base or its VAT; null when there is none or more than one.
 */
function ratesByBreakdown(lines: InvoiceLine[], amountsByRate: Map<string, number[]>): string[] | null {
  const rates = [...amountsByRate.keys()];
  const n = lines.length;
  if (rates.length < 2 || n === 0 || rates.length ** n > MAX_ASSIGNMENTS) return null;
  let found: string[] | null = null;
  const choice = new Array<number>(n).fill(0);
  for (;;) {
    const bases = new Map<string, number>();
    choice.forEach((c, i) => {
      const r = rates[c] as string;
      bases.set(r, (bases.get(r) ?? 0) + (lines[i] as InvoiceLine).amountCents);
    });
    const fits = rates.every((r) => {
      const base = bases.get(r);
      if (base === undefined) return false;
      const printed = amountsByRate.get(r) ?? [];
      const vat = vatOf(base, r);
      return printed.some(
        (a) => Math.abs(a) === Math.abs(base) || Math.abs(Math.abs(a) - Math.abs(vat)) <= 1,
      );
    });
    if (fits) {
      if (found) return null;
      found = choice.map((c) => rates[c] as string);
    }
    let k = 0;
    while (k < n && choice[k] === rates.length - 1) choice[k++] = 0;
    if (k === n) break;
    choice[k] = (choice[k] as number) + 1;
  }
  return found;
}

/**
 * The one rate of the document for lines that print none: the only printed rate, 0 for a VAT
 * franchise or exemption (or a zero VAT total), or the usual rate that gives the VAT total.
 */
function documentRate(
  totals: { ht?: number; tax?: number },
  doc: DocumentRates,
  options: ReadLinesOptions,
): string | undefined {
  if (options.vatRegime === 'SANS_TVA' || options.vatRegime === 'EXONERATION') return '0';
  if (doc.printed.length === 1) return doc.printed[0];
  if (doc.printed.length > 1) return undefined;
  if (totals.tax === 0) return '0';
  if (totals.ht === undefined || totals.tax === undefined) return undefined;
  const { ht, tax } = totals;
  return KNOWN_RATES.find((r) => Math.abs(vatOf(ht, r) - tax) <= 1);
}

/** Fills the rates the lines miss (marked `vatRateFrom: 'document'`); returns new lines. */
export function completeRates(
  lines: InvoiceLine[],
  totals: LineTotals,
  doc: DocumentRates,
  options: ReadLinesOptions,
): InvoiceLine[] {
  const onLines = new Set(lines.filter((l) => l.vatRate !== undefined).map((l) => l.vatRate));
  if (onLines.size === 0 && doc.amountsByRate && doc.amountsByRate.size >= 2) {
    const assigned = ratesByBreakdown(lines, doc.amountsByRate);
    if (assigned)
      return lines.map((l, i) => ({ ...l, vatRate: assigned[i] as string, vatRateFrom: 'document' }));
  }
  let fallback: string | undefined;
  if (onLines.size === 1) fallback = [...onLines][0];
  else if (onLines.size === 0)
    fallback = documentRate({ ht: htCents(totals), tax: taxCents(totals) }, doc, options);
  return lines.map((l) =>
    l.vatRate !== undefined || fallback === undefined
      ? l
      : { ...l, vatRate: fallback, vatRateFrom: 'document' },
  );
}

/** The total excl. tax, or the total incl. tax less the VAT when only those are printed. */
function htCents(totals: LineTotals): number | undefined {
  const ht = cents(totals.totalExclTax);
  if (ht !== undefined) return ht;
  const ttc = cents(totals.totalInclTax);
  const tax = cents(totals.totalTax);
  return ttc !== undefined && tax !== undefined ? ttc - tax : undefined;
}

function taxCents(totals: LineTotals): number | undefined {
  const tax = cents(totals.totalTax);
  if (tax !== undefined) return tax;
  const ht = cents(totals.totalExclTax);
  const ttc = cents(totals.totalInclTax);
  return ht !== undefined && ttc !== undefined ? ttc - ht : undefined;
}

/** The issues that keep the lines from being consistent with the totals ([] when they add up). */
export function checkLines(lines: InvoiceLine[], totals: LineTotals, options: ReadLinesOptions): LineIssue[] {
  const issues: LineIssue[] = [];
  if (lines.length === 0) return [{ code: 'no-lines', message: lineIssueMessage('no-lines') }];
  const ht = htCents(totals);
  if (ht === undefined) return [{ code: 'no-total', message: lineIssueMessage('no-total') }];
  const sum = lines.reduce((s, l) => s + l.amountCents, 0);
  // A credit note may print its lines positive under negative totals, or the reverse.
  const sign = options.creditNote && sum === -ht && sum !== 0 ? -1 : 1;
  if (sum * sign !== ht) {
    issues.push({
      code: 'sum-mismatch',
      message: lineIssueMessage('sum-mismatch', { foundCents: sum, expectedCents: ht }),
      expectedCents: ht,
      foundCents: sum,
    });
  }
  const byRate = new Map<string, number>();
  lines.forEach((l, index) => {
    if (l.vatRate === undefined) {
      issues.push({
        code: 'vat-rate-unknown',
        message: lineIssueMessage('vat-rate-unknown', { description: l.description }),
        line: index,
      });
      return;
    }
    byRate.set(l.vatRate, (byRate.get(l.vatRate) ?? 0) + l.amountCents * sign);
  });
  const tax = taxCents(totals);
  if (tax !== undefined && !issues.some((i) => i.code === 'vat-rate-unknown')) {
    let vat = 0;
    for (const [rate, base] of byRate) vat += vatOf(base, rate);
    if (Math.abs(vat - tax) > Math.max(1, byRate.size)) {
      issues.push({
        code: 'vat-mismatch',
        message: lineIssueMessage('vat-mismatch', { foundCents: vat, expectedCents: tax }),
        expectedCents: tax,
        foundCents: vat,
      });
    }
  }
  return issues;
}
