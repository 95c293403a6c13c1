/**
 * The totals block read as a person reads one they have never seen: among every amount announced
 * as a total excl. tax, a VAT amount (or several per rate) and a total incl. tax, the combination
 * with HT + TVA = TTC and the strongest evidence wins. Without any consistent combination the
 * strongest candidate of each field stays (rules.ts then reports the mismatch).
 *
 * Evidence: the keyword's strength (`Total HT` before `Sous-total`, `Total TTC` before a bare
 * `Total`), a value beside its label before one under it, and « Net à payer » is no TTC total
 * when an advance was deducted before it (`Acompte`, `Déjà payé`).
 */
import type { FieldKey } from './types.js';
import type { Candidate, FieldScan } from './fields.js';
import { better } from './fields.js';
import { unionBox } from './layout.js';
import { formatCents } from './values.js';

const AMOUNT_DUE = new Set(['net-to-pay', 'amount-to-pay']);
/** Bonus of a combination whose amounts add up, in evidence points (a rank step is 2). */
const CONSISTENT = 12;

function evidence(c: Candidate, deduction: boolean): number {
  let s = 10 - 2 * c.rank;
  if (deduction && c.field === 'totalInclTax' && c.family && AMOUNT_DUE.has(c.family)) s -= 5;
  return s;
}

/** Best candidate per distinct amount of a field, among the pages read. */
function amounts(candidates: Candidate[], field: FieldKey, pagesRead: number): Candidate[] {
  const byCents = new Map<number, Candidate>();
  for (const c of candidates) {
    if (c.field !== field || c.cents === undefined || c.page > pagesRead) continue;
    const cur = byCents.get(c.cents);
    if (!cur || better(c, cur, pagesRead)) byCents.set(c.cents, c);
  }
  return [...byCents.values()];
}

/** The VAT lines per rate (`TVA 5,5 %`, `TVA 20 %`) summed, when there are several rates. */
function perRateSum(taxes: Candidate[]): Candidate | null {
  const byRate = new Map<string, Candidate>();
  for (const c of taxes) {
    if (c.rate === undefined || c.cents === undefined || byRate.has(c.rate)) continue;
    byRate.set(c.rate, c);
  }
  if (byRate.size < 2) return null;
  const parts = [...byRate.values()];
  const first = parts[0] as Candidate;
  const cents = parts.reduce((sum, c) => sum + (c.cents ?? 0), 0);
  const box = parts.slice(1).reduce((b, c) => (c.page === first.page ? unionBox(b, c.box) : b), first.box);
  const rank = Math.max(...parts.map((c) => c.rank));
  return { ...first, cents, value: formatCents(cents), box, rank, rate: undefined };
}

/** Chooses the three totals in `chosen` (already holding the best candidate of each field). */
export function decideTotals(chosen: Map<FieldKey, Candidate>, scan: FieldScan, pagesRead: number): void {
  const { candidates, deduction } = scan;
  const hts = amounts(candidates, 'totalExclTax', pagesRead);
  const ttcs = amounts(candidates, 'totalInclTax', pagesRead);
  const taxes = amounts(candidates, 'totalTax', pagesRead);
  const summed = perRateSum(candidates.filter((c) => c.field === 'totalTax' && c.page <= pagesRead));
  if (summed) taxes.push(summed);
  const noVat = zeroTax(scan, chosen);
  if (noVat && !taxes.some((t) => t.cents === 0)) taxes.push(noVat);
  const taxByCents = new Map<number, Candidate>();
  for (const t of taxes) {
    const cur = taxByCents.get(t.cents as number);
    if (!cur || evidence(t, deduction) > evidence(cur, deduction)) taxByCents.set(t.cents as number, t);
  }
  let best: { ht: Candidate; tax: Candidate; ttc: Candidate } | null = null;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const ht of hts) {
    for (const ttc of ttcs) {
      const tax = taxByCents.get((ttc.cents as number) - (ht.cents as number));
      if (!tax || ht === ttc) continue;
      // A TTC total below its HT total only on credit notes (both negative).
      const score =
        evidence(ht, deduction) + evidence(tax, deduction) + evidence(ttc, deduction) + CONSISTENT;
      if (score > bestScore) {
        best = { ht, tax, ttc };
        bestScore = score;
      }
    }
  }
  if (best) {
    chosen.set('totalExclTax', best.ht);
    chosen.set('totalTax', best.tax);
    chosen.set('totalInclTax', best.ttc);
    return;
  }
  // No consistent combination: the strongest of each, the amount due only without a deduction.
  const ttc = strongest(ttcs, deduction);
  if (ttc) chosen.set('totalInclTax', ttc);
  const tax = chosen.get('totalTax');
  if (summed && tax && tax.rank > 0 && tax.rate !== undefined) chosen.set('totalTax', summed);
  else if (!tax && noVat) chosen.set('totalTax', noVat);
}

function strongest(list: Candidate[], deduction: boolean): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of list) {
    if (!best || evidence(c, deduction) > evidence(best, deduction)) best = c;
  }
  return best;
}

/**
 * Under the VAT franchise (« TVA non applicable, art. 293 B du CGI ») or an exemption, the VAT
 * amount is 0.00 and the mention is its keyword.
 */
function zeroTax(scan: FieldScan, chosen: Map<FieldKey, Candidate>): Candidate | null {
  const m = scan.vatMention;
  if (!m || (scan.vatRegime !== 'SANS_TVA' && scan.vatRegime !== 'EXONERATION')) return null;
  const anchor = chosen.get('totalExclTax');
  return {
    field: 'totalTax',
    value: '0.00',
    cents: 0,
    page: m.page,
    keyword: m.text,
    rank: 1,
    order: anchor?.order ?? 0,
    box: m.box,
    glued: false,
    family: 'vat-mention',
  };
}
