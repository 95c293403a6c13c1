/**
 * Checks on the recognised fields: missing or glued keywords, fields found beyond page 3,
 * identifier checksums and totals (inspect-report.md, rule ids).
 */
import type { FieldKey, RecognizedField, Violation } from './types.js';
import type { Candidate } from './fields.js';
import { isValidIban, isValidSiret, isValidVatNumber } from './identifiers.js';
import { violationMessage } from './messages.js';

/** Fields the deposit needs: `missing-keyword` when Chorus Pro would not find them. */
export const DEPOSIT_FIELDS: FieldKey[] = ['invoiceNumber', 'invoiceDate', 'recipientSiret', 'totalInclTax'];

export interface RuleInput {
  chosen: Map<FieldKey, Candidate>;
  candidates: Candidate[];
  pagesRead: number;
  vatRegime?: string;
}

export function checkFields(input: RuleInput): Violation[] {
  const { chosen, candidates, pagesRead } = input;
  const out: Violation[] = [];
  // Glued keywords among the pages read, once per field.
  const glued = new Set<FieldKey>();
  for (const c of candidates) {
    if (!c.glued || c.page > pagesRead || glued.has(c.field) || !c.keyword) continue;
    const pick = chosen.get(c.field);
    // Only report the glued occurrence that was used, or any when the field was not chosen from it.
    if (pick && pick !== c && !pick.glued && pick.value !== c.value) continue;
    glued.add(c.field);
    out.push({
      rule: 'no-space-after-keyword',
      field: c.field,
      page: c.page,
      message: violationMessage('no-space-after-keyword', { field: c.field, keyword: c.keyword.trim() }),
    });
  }
  for (const field of DEPOSIT_FIELDS) {
    const c = chosen.get(field);
    if (c && c.page > pagesRead) continue; // reported as beyond-page-3
    if (!c || c.keyword === undefined) {
      out.push({ rule: 'missing-keyword', field, message: violationMessage('missing-keyword', { field }) });
    }
  }
  for (const [field, c] of chosen) {
    if (c.page > pagesRead) {
      out.push({
        rule: 'beyond-page-3',
        field,
        page: c.page,
        message: violationMessage('beyond-page-3', { field, page: c.page }),
      });
    }
  }
  for (const field of ['recipientSiret', 'supplierSiret'] as const) {
    const c = chosen.get(field);
    if (c && c.page <= pagesRead && !isValidSiret(c.value)) {
      out.push({
        rule: 'invalid-siret',
        field,
        page: c.page,
        message: violationMessage('invalid-siret', { field }),
      });
    }
  }
  const iban = chosen.get('supplierIban');
  if (iban && iban.page <= pagesRead && !isValidIban(iban.value)) {
    out.push({
      rule: 'invalid-iban',
      field: 'supplierIban',
      page: iban.page,
      message: violationMessage('invalid-iban'),
    });
  }
  const vat = chosen.get('supplierVatNumber');
  if (vat && vat.page <= pagesRead && !isValidVatNumber(vat.value)) {
    out.push({
      rule: 'invalid-vat-number',
      field: 'supplierVatNumber',
      page: vat.page,
      message: violationMessage('invalid-vat-number'),
    });
  }
  const ht = chosen.get('totalExclTax');
  const tva = chosen.get('totalTax');
  const ttc = chosen.get('totalInclTax');
  if (ht?.cents !== undefined && ttc?.cents !== undefined && ht.page <= pagesRead && ttc.page <= pagesRead) {
    const noVat = input.vatRegime === 'SANS_TVA' || input.vatRegime === 'EXONERATION';
    const tax = tva?.cents ?? (noVat ? 0 : undefined);
    if (tax !== undefined && Math.abs(ht.cents + tax - ttc.cents) > 1) {
      out.push({
        rule: 'totals-mismatch',
        field: 'totalInclTax',
        page: ttc.page,
        message: violationMessage('totals-mismatch'),
      });
    }
  }
  return out;
}

/** The contract's view of a chosen candidate. */
export function toRecognizedField(c: Candidate): RecognizedField {
  const f: RecognizedField = { value: c.value, page: c.page };
  if (c.keyword !== undefined) f.keyword = c.keyword.trim();
  if (c.alternatives && c.alternatives.length > 0) f.alternatives = [...c.alternatives];
  f.box = {
    x: round(c.box.x),
    y: round(c.box.y),
    width: round(c.box.width),
    height: round(c.box.height),
  };
  return f;
}

const round = (v: number): number => Math.round(v * 10) / 10;
