/**
 * The Factur-X rules of the draft, pure functions of its context: whether it goes as a flux,
 * why not, what a correction of an XML value means, what a rejected flow leaves.
 */
import type { FacturxDraft } from './facturx-types.js';
import { formatCents, formatDate, formatSiret } from './format.js';
import { FACTURX_TEXT } from './facturx-messages.js';
import { FIELD_LABELS, INVOICE_TYPE_LABELS } from './messages.js';
import type { ActorFailure, DraftContext, FieldKey, FieldValues, Notice } from './types.js';

/** The fields a flux carries and the user confirms (the XML must state exactly these). */
export const FLUX_FIELDS: readonly FieldKey[] = [
  'invoiceNumber',
  'invoiceDate',
  'invoiceType',
  'recipient',
  'service',
  'engagement',
  'market',
  'currency',
  'totalExclTax',
  'totalTax',
  'totalInclTax',
];

function same(a: FieldValues[FieldKey], b: FieldValues[FieldKey]): boolean {
  if (a === undefined || b === undefined) return a === b;
  return typeof a === 'string' && typeof b === 'string' ? a.trim() === b.trim() : a === b;
}

/** Fields where the draft no longer says what the XML says. */
export function facturxDiffers(
  ctx: Pick<DraftContext, 'values' | 'facturx'> & { suppliers?: DraftContext['suppliers'] },
): FieldKey[] {
  const fx = ctx.facturx;
  if (!fx) return [];
  const out = FLUX_FIELDS.filter((f) => !same(ctx.values[f], fx.xml[f]));
  const supplier = ctx.suppliers?.find((s) => s.idStructureCPP === ctx.values.supplier);
  if (fx.sellerSiret && supplier && supplier.siret !== fx.sellerSiret) out.push('supplier');
  return out;
}

export type PlainReason =
  | { kind: 'invalid'; errorCount: number }
  | { kind: 'profile'; profile: string }
  | { kind: 'mismatch' }
  | { kind: 'differs'; fields: FieldKey[] }
  | { kind: 'chosen' };

/** Why this Factur-X goes as a plain PDF; null when it is deposited as a flux. */
export function plainPdfReason(
  ctx: Pick<DraftContext, 'values' | 'facturx'> & { suppliers?: DraftContext['suppliers'] },
): PlainReason | null {
  const fx = ctx.facturx;
  if (!fx) return null;
  if (fx.plainPdf) return { kind: 'chosen' };
  if (!fx.profileAccepted) return { kind: 'profile', profile: fx.profile ?? 'inconnu' };
  if (!fx.valid) return { kind: 'invalid', errorCount: fx.errorCount };
  if (fx.mismatches.length > 0) return { kind: 'mismatch' };
  const differs = facturxDiffers(ctx);
  if (differs.length > 0) return { kind: 'differs', fields: differs };
  return null;
}

/** Deposit as a flux: a Factur-X that may go as one and says exactly what was confirmed. */
export function fluxWanted(
  ctx: Pick<DraftContext, 'values' | 'facturx'> & { suppliers?: DraftContext['suppliers'] },
): boolean {
  return ctx.facturx !== null && ctx.facturx !== undefined && plainPdfReason(ctx) === null;
}

/** A field value as the user reads it. */
export function facturxDisplay(field: FieldKey, value: FieldValues[FieldKey], currency = 'EUR'): string {
  if (value === undefined) return '—';
  if (typeof value === 'number')
    return field === 'totalExclTax' || field === 'totalTax' || field === 'totalInclTax'
      ? formatCents(value, currency)
      : String(value);
  if (field === 'invoiceDate') return formatDate(value);
  if (field === 'recipient') return formatSiret(value);
  if (field === 'invoiceType') return INVOICE_TYPE_LABELS[value as 'FACTURE' | 'AVOIR'] ?? value;
  return value;
}

/**
 * The notice after the user set `field` to `value`: the XML states something else (or nothing),
 * so a flux would no longer match. Null when nothing changes for the Factur-X.
 */
export function correctionNotice(
  ctx: Pick<DraftContext, 'values' | 'facturx'>,
  field: FieldKey,
  value: FieldValues[FieldKey],
): Notice | null {
  const fx = ctx.facturx;
  if (!fx || fx.plainPdf || !FLUX_FIELDS.includes(field) || same(value, fx.xml[field])) return null;
  // Only a file that would otherwise go as a flux needs the choice.
  if (!fx.valid || !fx.profileAccepted || fx.mismatches.length > 0) return null;
  const label = FIELD_LABELS[field];
  const xml = fx.xml[field];
  return {
    kind: 'info',
    field,
    text:
      xml === undefined
        ? FACTURX_TEXT.conflictAbsent(label)
        : FACTURX_TEXT.conflict(label, facturxDisplay(field, xml, ctx.values.currency)),
  };
}

/** The raw value a `SET` needs to put the XML's value back (what `parseField` reads). */
export function xmlRawValue(fx: FacturxDraft, field: FieldKey): string | undefined {
  const v = fx.xml[field];
  if (v === undefined) return undefined;
  if (typeof v === 'number') {
    const abs = Math.abs(v);
    return `${v < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  }
  return v;
}

export function choosePlainPdf(ctx: DraftContext): Partial<DraftContext> {
  if (!ctx.facturx) return {};
  return { facturx: { ...ctx.facturx, plainPdf: true }, notice: null };
}

/** A rejected flow: its reasons are kept; the next deposit of this draft is a plain PDF. */
export function assignFluxRejection(ctx: DraftContext, failure: ActorFailure): Partial<DraftContext> {
  const rejection = { state: failure.code, reasons: failure.reasons ?? [failure.message] };
  return {
    failure,
    ...(ctx.facturx ? { facturx: { ...ctx.facturx, rejection } } : {}),
  };
}
