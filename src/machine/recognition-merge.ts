import type { ChorusRecognition } from '../deposit/port.js';
import { isValidIban, isValidSiret } from '../recognition/identifiers.js';
import type { InspectionReport } from '../recognition/types.js';
import { parseAmountCents } from './format.js';
import type { PdfAdvice, RecognizedValues } from './types.js';
import { alternativesOf } from './alternatives.js';

/**
 * Facteur's own recognition first (it checks identifiers and totals), Chorus Pro's `deposer/pdf`
 * reading as a fallback for what Facteur did not find. Pure.
 */
export function mergeRecognition(
  report: InspectionReport,
  chorus: ChorusRecognition | null,
): RecognizedValues {
  const f = report.fields;
  const text = (key: keyof InspectionReport['fields']): string | undefined =>
    f[key]?.value?.trim() || undefined;
  const cents = (key: 'totalExclTax' | 'totalTax' | 'totalInclTax'): number | undefined => {
    const v = text(key);
    const parsed = v === undefined ? null : parseAmountCents(v);
    return parsed === null ? undefined : parsed;
  };
  const siret = (v: string | undefined) => (v && isValidSiret(v) ? v : undefined);
  const out: RecognizedValues = {
    invoiceNumber: text('invoiceNumber') ?? chorus?.invoiceNumber,
    invoiceDate: text('invoiceDate') ?? chorus?.invoiceDate,
    invoiceType: report.invoiceType ?? chorus?.invoiceType,
    recipient: siret(text('recipientSiret')) ?? siret(chorus?.recipientSiret),
    service: text('recipientServiceCode') ?? chorus?.recipientServiceCode,
    engagement: text('engagementNumber') ?? chorus?.engagementNumber,
    market: text('marketNumber'),
    currency: text('currency') ?? chorus?.currency,
    vatRegime: report.vatRegime ?? chorus?.vatRegime,
    totalExclTax: cents('totalExclTax') ?? chorus?.totalExclTaxCents,
    totalTax: cents('totalTax') ?? chorus?.totalTaxCents,
    totalInclTax: cents('totalInclTax') ?? chorus?.totalInclTaxCents,
    supplierSiret: siret(text('supplierSiret')),
    iban: (() => {
      const iban = text('supplierIban')?.replace(/\s/g, '').toUpperCase();
      return iban && isValidIban(iban) ? iban : undefined;
    })(),
  };
  if (out.invoiceNumber && !/^[A-Za-z0-9\-_/+]{1,20}$/.test(out.invoiceNumber)) delete out.invoiceNumber;
  if (out.invoiceDate && !/^\d{4}-\d{2}-\d{2}$/.test(out.invoiceDate)) delete out.invoiceDate;
  if (out.currency && !/^[A-Z]{3}$/.test(out.currency)) delete out.currency;
  for (const key of Object.keys(out) as Array<keyof RecognizedValues>)
    if (out[key] === undefined) delete out[key];
  const alternatives = alternativesOf(report);
  if (alternatives) out.alternatives = alternatives;
  return out;
}

/** The golden rules the PDF breaks, each with its one-line fix. */
export function adviceOf(report: InspectionReport): PdfAdvice[] {
  return report.violations.map((v) => ({ rule: v.rule, message: v.message }));
}

/** The file cannot be deposited at all (exit code 2 of `facteur inspect`, or over 10 Mo). */
export function isBlocking(report: InspectionReport): boolean {
  return report.violations.some((v) =>
    ['not-pdf', 'unreadable-pdf', 'encrypted-pdf', 'file-too-large'].includes(v.rule),
  );
}
