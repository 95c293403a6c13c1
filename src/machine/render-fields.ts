import { formatCents, formatDate, formatSiret } from './format.js';
import {
  BLOCK_TITLES,
  CADRE_LABELS,
  CHOICE_LABELS,
  FIELD_LABELS,
  INVOICE_TYPE_LABELS,
  TEXT,
  VAT_REGIME_LABELS,
} from './messages.js';
import { editableFields, requirementsOf, visibleBlocks } from './requirements.js';
import type { DraftContext, FieldKey } from './types.js';
import { VAT_REGIME_IDS } from './validate.js';
import type { BlockId, BlockView, Choice, FieldView, View } from './view.js';

/** How the draft's fields and blocks read in a view (French display values, statuses, options). */

export function displayValue(ctx: DraftContext, field: FieldKey): string | null {
  const v = ctx.values;
  const cur = v.currency ?? 'EUR';
  switch (field) {
    case 'cadre':
      return v.cadre ? CADRE_LABELS[v.cadre] : null;
    case 'validator':
      return v.validator ? formatSiret(v.validator) : null;
    case 'invoiceNumber':
    case 'engagement':
    case 'market':
    case 'currency':
      return v[field] ?? null;
    case 'invoiceDate':
      return v.invoiceDate ? formatDate(v.invoiceDate) : null;
    case 'invoiceType':
      return v.invoiceType ? INVOICE_TYPE_LABELS[v.invoiceType] : null;
    case 'recipient': {
      if (!v.recipient) return null;
      const info = ctx.recipientInfo;
      return info && info.structure.siret === v.recipient
        ? `${info.structure.name} (${formatSiret(v.recipient)})`
        : formatSiret(v.recipient);
    }
    case 'service': {
      if (!v.service) return null;
      const s = ctx.recipientInfo?.rules.services.find((x) => x.code === v.service);
      return s ? `${s.code} – ${s.label}` : v.service;
    }
    case 'supplier': {
      const s = ctx.suppliers.find((x) => x.idStructureCPP === v.supplier);
      return s ? `${s.name} (${formatSiret(s.siret)})` : v.supplier !== undefined ? String(v.supplier) : null;
    }
    case 'vatRegime':
      return v.vatRegime ? VAT_REGIME_LABELS[v.vatRegime] : null;
    case 'totalExclTax':
    case 'totalTax':
    case 'totalInclTax':
      return v[field] !== undefined ? formatCents(v[field], cur) : null;
    case 'bankAccount': {
      const b = ctx.bankAccounts.find((x) => x.id === v.bankAccount);
      return b ? bankLabel(b) : null;
    }
  }
}

function bankLabel(b: DraftContext['bankAccounts'][number]): string {
  return `${b.label}${b.ibanHint ? ` (${b.ibanHint})` : ''}${b.isFactor ? ` – ${TEXT.factor}` : ''}`;
}

function fieldNote(ctx: DraftContext, field: FieldKey): string | undefined {
  if (ctx.notice?.kind === 'error' && ctx.notice.field === field) return ctx.notice.text;
  const req = requirementsOf(ctx);
  if ((field === 'service' && req.service) || (field === 'engagement' && req.engagement))
    return TEXT.requiredByRecipient;
  if (isOptional(ctx, field) && ctx.values[field] === undefined) return TEXT.optional;
  return undefined;
}

/** A field that may stay empty in this draft (market number, engagement when not required). */
function isOptional(ctx: DraftContext, field: FieldKey): boolean {
  if (field === 'market') return true;
  if (field === 'engagement') {
    const req = requirementsOf(ctx);
    return !req.engagement && !(req.engagementOrService && ctx.values.service === undefined);
  }
  if (field === 'service') return !requirementsOf(ctx).service;
  return false;
}

export function fieldView(ctx: DraftContext, field: FieldKey): FieldView {
  const value = displayValue(ctx, field);
  const invalid = ctx.notice?.kind === 'error' && ctx.notice.field === field;
  const status = invalid
    ? 'invalid'
    : value === null
      ? isOptional(ctx, field)
        ? 'confirmed'
        : 'missing'
      : (ctx.status[field] ?? 'confirmed');
  const note = fieldNote(ctx, field);
  return { key: field, label: FIELD_LABELS[field], value, status, ...(note ? { note } : {}) };
}

export function blockViews(ctx: DraftContext, open: BlockId | null, withFields: 'all' | 'open'): BlockView[] {
  return visibleBlocks(ctx).map((id) => ({
    id,
    title: BLOCK_TITLES[id],
    status: id === open ? 'open' : ctx.confirmed[id] ? 'confirmed' : 'pending',
    fields: withFields === 'all' || id === open ? editableFields(ctx, id).map((f) => fieldView(ctx, f)) : [],
  }));
}

export function base(ctx: DraftContext): Pick<View, 'draftId' | 'provisionalNumber'> {
  return { draftId: ctx.draftId, provisionalNumber: ctx.provisionalNumber };
}

export function noticeLines(ctx: DraftContext): string[] {
  return ctx.notice ? [`${ctx.notice.kind === 'error' ? '⚠ ' : ''}${ctx.notice.text}`] : [];
}

/** The options offered while correcting a field that has a closed list of values. */
export function optionsFor(ctx: DraftContext, field: FieldKey): Choice[] {
  switch (field) {
    case 'cadre':
      return (['A1', 'A2', 'A9', 'A12'] as const).map((c) => ({
        id: `set:cadre:${c}`,
        label: CADRE_LABELS[c],
      }));
    case 'invoiceType':
      return (['FACTURE', 'AVOIR'] as const).map((t) => ({
        id: `set:invoiceType:${t}`,
        label: INVOICE_TYPE_LABELS[t],
      }));
    case 'vatRegime':
      return (['TVA_SUR_ENCAISSEMENT', 'TVA_SUR_DEBIT', 'EXONERATION', 'SANS_TVA'] as const).map((r) => ({
        id: `set:vatRegime:${VAT_REGIME_IDS[r]}`,
        label: VAT_REGIME_LABELS[r],
      }));
    case 'service':
      return (ctx.recipientInfo?.rules.services ?? [])
        .filter((s) => s.active)
        .slice(0, 20)
        .map((s) => ({ id: `set:service:${s.idService}`, label: `${s.code} – ${s.label}` }));
    case 'supplier':
      return ctx.suppliers.map((s) => ({
        id: `set:supplier:${s.idStructureCPP}`,
        label: `${s.name} (${formatSiret(s.siret)})`,
      }));
    case 'bankAccount':
      return ctx.bankAccounts.map((b) => ({ id: `set:bankAccount:${b.id}`, label: bankLabel(b) }));
    case 'market':
      return [{ id: 'set:market:aucun', label: CHOICE_LABELS.noMarket }];
    case 'currency':
      return [{ id: 'set:currency:EUR', label: 'EUR' }];
    default:
      return [];
  }
}
