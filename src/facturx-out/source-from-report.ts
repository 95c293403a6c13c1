/**
 * The producer's input from Facteur's own reading of the PDF (the inspection report: the 14
 * fields and the lines) completed by what the caller states (`facteur facturx` options): what the
 * caller states wins. Reports every term still missing instead of guessing it.
 */
import type { InspectionReport } from '../recognition/types.js';
import type { Cadre, VatRegime } from '../deposit/port.js';
import { decimalToCents } from '../recognition/facturx/decimal.js';
import type { FacturxLine, FacturxSource } from './types.js';
import { fromReadLines } from './from-lines.js';

export interface SourceOverrides {
  recipientSiret: string;
  recipientName?: string;
  serviceCode?: string;
  engagement?: string;
  market?: string;
  cadre?: Cadre;
  invoiceNumber?: string;
  invoiceDate?: string;
  creditNote?: boolean;
  originalInvoice?: string;
  supplierSiret?: string;
  supplierName?: string;
  supplierVatNumber?: string;
  iban?: string;
  vatRegime?: VatRegime;
  totalExclTaxCents?: number;
  totalTaxCents?: number;
  totalInclTaxCents?: number;
  /** Lines stated by the caller: replace the lines read. */
  lines?: FacturxLine[];
}

export type SourceResult = { ok: true; source: FacturxSource } | { ok: false; missing: string[] };

export function sourceFromReport(report: InspectionReport, o: SourceOverrides): SourceResult {
  const f = (k: keyof InspectionReport['fields']) => report.fields[k]?.value || undefined;
  const creditNote = o.creditNote ?? report.invoiceType === 'AVOIR';
  // A credit note is written with positive amounts (381), whatever signs the page prints.
  const cents = (k: keyof InspectionReport['fields']) => {
    const c = decimalToCents(f(k));
    return c === undefined ? undefined : creditNote ? Math.abs(c) : c;
  };
  const ttc = o.totalInclTaxCents ?? cents('totalInclTax');
  const ht =
    o.totalExclTaxCents ??
    cents('totalExclTax') ??
    (ttc !== undefined && o.totalTaxCents !== undefined ? ttc - o.totalTaxCents : undefined);
  const tax =
    o.totalTaxCents ?? cents('totalTax') ?? (ttc !== undefined && ht !== undefined ? ttc - ht : undefined);
  const vatRegime: VatRegime = o.vatRegime ?? (tax === 0 ? 'SANS_TVA' : 'TVA_SUR_DEBIT');
  const read = fromReadLines(report.lines ?? [], { vatRegime, creditNote });
  const s = {
    number: o.invoiceNumber ?? f('invoiceNumber'),
    date: o.invoiceDate ?? f('invoiceDate'),
    supplierSiret: o.supplierSiret ?? f('supplierSiret'),
    recipientName: o.recipientName ?? f('recipientName'),
  };
  const missing = [
    !s.number && 'le numéro de facture (--number)',
    !s.date && 'la date de facture (--date)',
    !s.supplierSiret && 'votre SIRET (--supplier)',
    !o.supplierName && 'votre raison sociale (--supplier-name)',
    !s.recipientName && 'le nom du destinataire (--recipient-name)',
    ht === undefined && 'le total HT (--ht)',
    tax === undefined && 'le total TVA (--tva)',
    ttc === undefined && 'le total TTC (--ttc)',
  ].filter((m): m is string => Boolean(m));
  if (missing.length > 0) return { ok: false, missing };
  const iban = o.iban ?? f('supplierIban');
  const vatNumber = o.supplierVatNumber ?? f('supplierVatNumber');
  const service = o.serviceCode ?? f('recipientServiceCode');
  const engagement = o.engagement ?? f('engagementNumber');
  const market = o.market ?? f('marketNumber');
  return {
    ok: true,
    source: {
      cadre: o.cadre ?? 'A1',
      invoiceNumber: s.number!,
      invoiceDate: s.date!,
      invoiceType: creditNote ? 'AVOIR' : 'FACTURE',
      seller: { siret: s.supplierSiret!, name: o.supplierName!, ...(vatNumber ? { vatNumber } : {}) },
      buyer: { siret: o.recipientSiret, name: s.recipientName! },
      ...(service ? { serviceCode: service } : {}),
      ...(engagement ? { engagement } : {}),
      ...(market ? { market } : {}),
      currency: f('currency') ?? 'EUR',
      vatRegime,
      totalExclTaxCents: ht!,
      totalTaxCents: tax!,
      totalInclTaxCents: ttc!,
      ...(iban ? { iban } : {}),
      ...(o.originalInvoice ? { precedingInvoice: { number: o.originalInvoice } } : {}),
      lines: o.lines ?? read.lines,
      allowancesCharges: o.lines ? [] : read.allowancesCharges,
    },
  };
}
