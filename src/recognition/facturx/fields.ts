/**
 * The 14 contract fields of a CII invoice, in the normal forms of the top-level `fields`, and
 * the comparison with what the printed pages say.
 */
import type { FieldKey, InspectionReport } from '../types.js';
import { FIELD_KEYS } from '../types.js';
import type { CiiIdentifier, CiiInvoice, CiiParty } from './cii-invoice.js';
import type { FacturxMismatch } from './types.js';
import { centsToDecimal } from './decimal.js';
import { compact } from './cii-reader.js';

/** Legal-id schemes that hold a SIRET when the value has 14 digits (ISO 6523 ICD 0002, 0009). */
const SIRET_SCHEMES = new Set(['0002', '0009']);

function isSiretShaped(id: CiiIdentifier | undefined): id is CiiIdentifier {
  if (!id) return false;
  const digits = id.value.replace(/\s+/g, '');
  return (
    digits.length === 14 && /^\d+$/.test(digits) && (id.scheme === undefined || SIRET_SCHEMES.has(id.scheme))
  );
}

/** The party's SIRET: its legal id (BT-30/BT-47) when it is one, else a SIRET global id (0009). */
export function partySiret(party: CiiParty): string | undefined {
  if (isSiretShaped(party.legalId)) return party.legalId.value.replace(/\s+/g, '');
  const global = party.ids.find((i) => i.scheme === '0009' && isSiretShaped(i));
  return global?.value.replace(/\s+/g, '');
}

/** The contract fields the XML states (absent keys: the XML says nothing). */
export function facturxFields(invoice: CiiInvoice): Partial<Record<FieldKey, { value: string }>> {
  const iban = invoice.paymentMeans.find((m) => m.iban)?.iban;
  const t = invoice.totals;
  const values: Partial<Record<FieldKey, string | undefined>> = {
    invoiceNumber: invoice.number,
    invoiceDate: invoice.issueDate,
    recipientSiret: partySiret(invoice.buyer),
    recipientServiceCode: invoice.buyerReference,
    recipientName: invoice.buyer.name,
    supplierSiret: partySiret(invoice.seller),
    supplierVatNumber: invoice.seller.vatNumber,
    engagementNumber: invoice.orderReference,
    marketNumber: invoice.contractReference,
    currency: invoice.currency?.toUpperCase(),
    totalExclTax: t.taxBasisTotalCents !== undefined ? centsToDecimal(t.taxBasisTotalCents) : undefined,
    totalTax: t.taxTotalCents !== undefined ? centsToDecimal(t.taxTotalCents) : undefined,
    totalInclTax: t.grandTotalCents !== undefined ? centsToDecimal(t.grandTotalCents) : undefined,
    supplierIban: iban,
  };
  const out: Partial<Record<FieldKey, { value: string }>> = {};
  for (const key of FIELD_KEYS) {
    const value = values[key];
    if (value) out[key] = { value };
  }
  return out;
}

/**
 * Fields compared between page and XML. The recipient's name is not: Chorus Pro routes by SIRET,
 * and a printed name legitimately differs from the legal name in the XML (trading name, service).
 */
export const COMPARED_FIELDS: readonly FieldKey[] = FIELD_KEYS.filter((k) => k !== 'recipientName');

const AMOUNTS = new Set<FieldKey>(['totalExclTax', 'totalTax', 'totalInclTax']);

/** Page and XML agree when equal in normal form (amounts as numbers, identifiers compact). */
export function sameValue(field: FieldKey, printed: string, xml: string): boolean {
  if (AMOUNTS.has(field)) return Number(printed) === Number(xml);
  if (field === 'invoiceDate') return printed === xml;
  return compact(printed) === compact(xml);
}

/** Every field the printed pages and the XML both state, with different values. */
export function findMismatches(
  printed: InspectionReport['fields'],
  xml: Partial<Record<FieldKey, { value: string }>>,
): FacturxMismatch[] {
  const out: FacturxMismatch[] = [];
  for (const field of COMPARED_FIELDS) {
    const p = printed[field]?.value;
    const x = xml[field]?.value;
    if (p && x && !sameValue(field, p, x)) out.push({ field, printed: p, xml: x });
  }
  return out;
}
