import { AFTER_TEXT } from './after-deposit-messages.js';
import type { AttachmentRef, DraftContext, FieldKey, FieldValues } from './types.js';
import type { FieldStatus } from './view.js';

/**
 * What the conversation after a deposit adds to a draft's machine (pure context updates and
 * lines): supporting documents (ATTACH) shown in the summary and the receipt, and a new draft
 * pre-filled from a rejected invoice.
 */

/** At most this many supporting documents per invoice (Chorus Pro accepts more; phones do not). */
export const MAX_ATTACHMENTS = 10;

export function attachmentPatch(ctx: DraftContext, attachment: AttachmentRef): Partial<DraftContext> {
  const current = ctx.attachments ?? [];
  if (current.some((a) => a.pieceJointeId === attachment.pieceJointeId)) return {};
  return {
    attachments: [...current, attachment].slice(0, MAX_ATTACHMENTS),
    notice: { kind: 'info', text: AFTER_TEXT.attached(attachment.fileName) },
  };
}

/** « 📎 bon-de-commande.pdf » lines (summary, receipt); none without attachments. */
export function attachmentLines(ctx: Pick<DraftContext, 'attachments'>): string[] {
  const list = ctx.attachments ?? [];
  return list.length === 0
    ? []
    : [`${AFTER_TEXT.attachmentsTitle} :`, ...list.map((a) => AFTER_TEXT.attachmentLine(a.fileName))];
}

/** The values of a rejected invoice worth carrying to its replacement (not the totals' status). */
const CARRIED: readonly FieldKey[] = [
  'cadre',
  'validator',
  'invoiceDate',
  'invoiceType',
  'recipient',
  'service',
  'supplier',
  'engagement',
  'market',
  'currency',
  'vatRegime',
  'totalExclTax',
  'totalTax',
  'totalInclTax',
  'bankAccount',
];

/** The pre-fill of a new draft from a rejected one: its values, without the number when refused. */
export function prefillFrom(values: FieldValues, fromInvoice: string, newNumber: boolean) {
  const carried: FieldValues = {};
  for (const key of CARRIED) {
    const value = values[key];
    if (value !== undefined) (carried as Record<string, unknown>)[key] = value;
  }
  if (!newNumber && values.invoiceNumber) carried.invoiceNumber = values.invoiceNumber;
  return { fromInvoice, values: carried, newNumber };
}

/**
 * After the analysis of a pre-filled draft: the rejected invoice's values win over what was read
 * (they were confirmed by the user), each to review again; the number is asked when Chorus Pro
 * refuses the old one.
 */
export function applyPrefill(ctx: DraftContext, patch: Partial<DraftContext>): Partial<DraftContext> {
  const prefill = ctx.prefill;
  if (!prefill) return patch;
  const values: FieldValues = { ...patch.values };
  const status: Partial<Record<FieldKey, FieldStatus>> = { ...patch.status };
  for (const [key, value] of Object.entries(prefill.values) as [FieldKey, unknown][]) {
    if (value === undefined) continue;
    (values as Record<string, unknown>)[key] = value;
    status[key] = 'recognized';
  }
  if (prefill.newNumber) {
    delete values.invoiceNumber;
    delete status.invoiceNumber;
  }
  const recipientInfo =
    patch.recipientInfo && patch.recipientInfo.structure.siret === values.recipient
      ? patch.recipientInfo
      : null;
  // A changed recipient is looked up again (its rules decide the service and engagement).
  if (!recipientInfo && values.recipient !== undefined) {
    delete values.service;
    delete status.service;
  }
  if (
    values.bankAccount !== undefined &&
    !(patch.bankAccounts ?? []).some((b) => b.id === values.bankAccount)
  ) {
    delete values.bankAccount;
    delete status.bankAccount;
  }
  return { ...patch, values, status, recipientInfo };
}

/** Lines of the report of a pre-filled draft. */
export function prefillLines(ctx: DraftContext): string[] {
  const prefill = ctx.prefill;
  if (!prefill) return [];
  return [
    AFTER_TEXT.newDraftFromRejected(prefill.fromInvoice, ctx.provisionalNumber),
    ...(prefill.newNumber ? [AFTER_TEXT.newNumberNeeded(prefill.fromInvoice)] : []),
  ];
}
