/**
 * The embedded Factur-X of an analysed PDF, as the draft keeps it: the values its XML states (in
 * the draft's units), whether it may go as a flux, the printed/XML mismatches. Used by the
 * analysis actor once the report's `facturx` section is validated.
 */
import { fluxValuesOf } from '../deposit/flux-compare.js';
import { partySiret } from '../recognition/facturx/fields.js';
import { isProfileAcceptedByChorus } from '../recognition/facturx/profile.js';
import type { FacturxReport } from '../recognition/facturx/types.js';
import type { FieldKey as ReportField } from '../recognition/types.js';
import { formatCents, formatDate, formatSiret, parseAmountCents } from './format.js';
import type { FacturxDraft } from './facturx-types.js';
import type { FieldKey, FieldValues, RecognizedValues } from './types.js';

const REPORT_TO_DRAFT: Partial<Record<ReportField, FieldKey>> = {
  invoiceNumber: 'invoiceNumber',
  invoiceDate: 'invoiceDate',
  recipientSiret: 'recipient',
  recipientServiceCode: 'service',
  engagementNumber: 'engagement',
  marketNumber: 'market',
  currency: 'currency',
  totalExclTax: 'totalExclTax',
  totalTax: 'totalTax',
  totalInclTax: 'totalInclTax',
  supplierSiret: 'supplier',
  supplierIban: 'bankAccount',
};

const AMOUNTS = new Set<ReportField>(['totalExclTax', 'totalTax', 'totalInclTax']);

function display(field: ReportField, value: string): string {
  if (AMOUNTS.has(field)) {
    const cents = parseAmountCents(value);
    return cents === null ? value : formatCents(cents);
  }
  if (field === 'invoiceDate' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
  if (field === 'recipientSiret' || field === 'supplierSiret') return formatSiret(value);
  return value;
}

export interface FacturxReading {
  draft: FacturxDraft;
  /** What the XML states, to put over what the page shows (supplier SIRET and IBAN included). */
  recognized: RecognizedValues;
}

/** Null when the section has no readable invoice. `section.valid` must be settled (not null). */
export function readFacturxSection(section: FacturxReport): FacturxReading | null {
  const invoice = section.invoice;
  if (!invoice) return null;
  const v = fluxValuesOf(invoice);
  const xml: Partial<FieldValues> = {
    invoiceNumber: v.invoiceNumber,
    invoiceDate: v.invoiceDate,
    invoiceType: v.invoiceType,
    recipient: v.recipientSiret,
    service: v.serviceCode,
    engagement: v.engagementNumber,
    market: v.marketNumber,
    currency: v.currency,
    totalExclTax: v.totalExclTaxCents,
    totalTax: v.totalTaxCents,
    totalInclTax: v.totalInclTaxCents,
  };
  for (const key of Object.keys(xml) as FieldKey[]) if (xml[key] === undefined) delete xml[key];
  const mismatches: FacturxDraft['mismatches'] = [];
  for (const m of section.mismatches) {
    const field = REPORT_TO_DRAFT[m.field];
    if (field) mismatches.push({ field, printed: display(m.field, m.printed), xml: display(m.field, m.xml) });
  }
  const iban = invoice.paymentMeans.find((p) => p.iban)?.iban;
  const supplierSiret = partySiret(invoice.seller);
  const recognized: RecognizedValues = { ...(xml as RecognizedValues) };
  if (supplierSiret) recognized.supplierSiret = supplierSiret;
  if (iban) recognized.iban = iban;
  return {
    draft: {
      profile: section.profile,
      valid: section.valid === true,
      errorCount: section.errors.length,
      profileAccepted: isProfileAcceptedByChorus(section.profile),
      xml,
      mismatches,
      ...(supplierSiret ? { sellerSiret: supplierSiret } : {}),
      plainPdf: false,
      rejection: null,
    },
    recognized,
  };
}
