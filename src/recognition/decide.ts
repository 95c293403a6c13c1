/**
 * From candidates to one value per field, with the document's global consistency: the totals
 * that add up (totals.ts), the supplier's VAT number that matches the supplier's SIREN printed
 * elsewhere (a customer's VAT number in a header grid is not it), the day/month order of the
 * document's digit dates, and `alternatives` when another value has comparable evidence.
 */
import type { FieldKey } from './types.js';
import type { Candidate, FieldScan } from './fields.js';
import { better, chooseFields } from './fields.js';
import { decideTotals } from './totals.js';

const TOTALS = new Set<FieldKey>(['totalExclTax', 'totalTax', 'totalInclTax']);
const REFERENCES = new Set<FieldKey>(['invoiceNumber', 'engagementNumber', 'marketNumber']);

export function decideFields(scan: FieldScan, pagesRead: number): Map<FieldKey, Candidate> {
  const chosen = chooseFields(scan.candidates, pagesRead);
  decideTotals(chosen, scan, pagesRead);
  decideVatNumber(chosen, scan, pagesRead);
  const date = chosen.get('invoiceDate');
  if (date && scan.monthFirst && date.numericDate) {
    const [y, m, d] = date.value.split('-');
    if (Number(d) <= 12) chosen.set('invoiceDate', { ...date, value: `${y}-${d}-${m}` });
  }
  addAlternatives(chosen, scan, pagesRead);
  return chosen;
}

/** The last nine digits of a French VAT number: the SIREN it belongs to. */
function sirenOf(vat: string): string | null {
  return /^FR[0-9A-Z]{2}(\d{9})$/.exec(vat)?.[1] ?? null;
}

function decideVatNumber(chosen: Map<FieldKey, Candidate>, scan: FieldScan, pagesRead: number): void {
  if (scan.supplierSirens.size === 0) return;
  const current = chosen.get('supplierVatNumber');
  if (current && scan.supplierSirens.has(sirenOf(current.value) ?? '')) return;
  let best: Candidate | undefined;
  for (const c of scan.candidates) {
    if (c.field !== 'supplierVatNumber' || c.page > pagesRead) continue;
    if (!scan.supplierSirens.has(sirenOf(c.value) ?? '')) continue;
    if (!best || better(c, best, pagesRead)) best = c;
  }
  if (best) chosen.set('supplierVatNumber', best);
}

/**
 * Another value of the same field, on the pages read, announced as strongly (same keyword rank)
 * as the chosen one: the report keeps the best and lists the others. Totals settled by their
 * consistency have none.
 */
function addAlternatives(chosen: Map<FieldKey, Candidate>, scan: FieldScan, pagesRead: number): void {
  for (const [field, pick] of chosen) {
    if (pick.page > pagesRead) continue;
    if (TOTALS.has(field) && consistent(chosen)) continue;
    // Only values announced by a strong keyword compete (a bare « Date » column header does not).
    if (pick.rank >= 2) continue;
    let alternatives: string[] | undefined;
    for (const c of scan.candidates) {
      if (c.field !== field || c.page > pagesRead || c.rank !== pick.rank || c.value === pick.value) continue;
      if (field === 'supplierVatNumber' && scan.supplierSirens.has(sirenOf(pick.value) ?? '')) continue;
      if (field === 'invoiceDate' && pick.numericDate && scan.monthFirst) continue;
      // A one- or two-character reference (`# ligne BC: 1`) is a line number, not an order.
      if (REFERENCES.has(field) && c.value.length < 3) continue;
      alternatives ??= [];
      if (!alternatives.includes(c.value) && alternatives.length < 3) alternatives.push(c.value);
    }
    if (alternatives) chosen.set(field, { ...pick, alternatives });
  }
}

function consistent(chosen: Map<FieldKey, Candidate>): boolean {
  const ht = chosen.get('totalExclTax')?.cents;
  const tax = chosen.get('totalTax')?.cents;
  const ttc = chosen.get('totalInclTax')?.cents;
  return ht !== undefined && tax !== undefined && ttc !== undefined && ht + tax === ttc;
}
