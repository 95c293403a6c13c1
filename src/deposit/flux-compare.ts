/**
 * What a Factur-X XML states, in the deposit's own terms, and where it differs from what the user
 * confirmed. Pure; shared by the conversation (to choose flux or plain PDF) and the flux deposit
 * (which refuses to send a contradicting XML).
 */
import type { CiiInvoice } from '../recognition/facturx/cii-invoice.js';
import { partySiret } from '../recognition/facturx/fields.js';
import type { FluxConfirmed } from './flux-port.js';

/** The confirmed fields as the XML states them (absent: the XML says nothing). */
export function fluxValuesOf(invoice: CiiInvoice): Partial<FluxConfirmed> {
  const t = invoice.totals;
  const out: Partial<FluxConfirmed> = {
    invoiceNumber: invoice.number,
    invoiceDate: invoice.issueDate,
    invoiceType: invoice.typeCode === '381' ? 'AVOIR' : invoice.typeCode ? 'FACTURE' : undefined,
    recipientSiret: partySiret(invoice.buyer),
    serviceCode: invoice.buyerReference?.trim() || undefined,
    engagementNumber: invoice.orderReference?.trim() || undefined,
    marketNumber: invoice.contractReference?.trim() || undefined,
    currency: invoice.currency?.toUpperCase(),
    totalExclTaxCents: t.taxBasisTotalCents,
    totalTaxCents: t.taxTotalCents,
    totalInclTaxCents: t.grandTotalCents,
  };
  for (const key of Object.keys(out) as Array<keyof FluxConfirmed>)
    if (out[key] === undefined) delete out[key];
  return out;
}

export const FLUX_COMPARED: ReadonlyArray<keyof FluxConfirmed> = [
  'invoiceNumber',
  'invoiceDate',
  'invoiceType',
  'recipientSiret',
  'serviceCode',
  'engagementNumber',
  'marketNumber',
  'currency',
  'totalExclTaxCents',
  'totalTaxCents',
  'totalInclTaxCents',
];

/**
 * The confirmed fields the XML does not state identically: a different value, or a value the
 * user gave that the XML lacks (or the reverse). [] when the XML says exactly what was confirmed.
 */
export function fluxContradictions(
  invoice: CiiInvoice,
  confirmed: FluxConfirmed,
): Array<keyof FluxConfirmed> {
  const xml = fluxValuesOf(invoice);
  return FLUX_COMPARED.filter((key) => {
    const a = xml[key];
    const b = confirmed[key];
    if (a === undefined || b === undefined) return (a ?? '') !== (b ?? '');
    return typeof a === 'string' && typeof b === 'string' ? a.trim() !== b.trim() : a !== b;
  });
}
