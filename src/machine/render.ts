import type { RefusalCode } from '../deposit/port.js';
import { formatCents, formatDate, formatDateTime, formatSiret } from './format.js';
import {
  BLOCK_TITLES,
  CADRE_LABELS,
  CHOICE_LABELS,
  FIELD_HINTS,
  FIELD_LABELS,
  INVOICE_TYPE_LABELS,
  TEXT,
  VAT_REGIME_LABELS,
} from './messages.js';
import { blockProblems, editableFields, requirementsOf, visibleBlocks } from './requirements.js';
import { BLOCK_FIELDS, type DraftContext, type FieldKey } from './types.js';
import { VAT_REGIME_IDS } from './validate.js';
import type { BlockId, BlockView, Choice, FieldView, View } from './view.js';

/**
 * Snapshot → views. Pure: the service adds the revision, attachments and its own views. Every
 * view the user can land on offers at least one choice (a way forward).
 */

/** Where a draft is, derived from the machine's state value. */
export type Step =
  | { kind: 'busy'; what: 'analysing' | 'lookup' | 'precheck' | 'submitting' }
  | { kind: 'block'; block: BlockId; mode: 'reviewing' | 'editing' | 'choosing' }
  | { kind: 'summary' | 'refused' | 'submitFailed' | 'analysisFailed' | 'cancelConfirm' }
  | { kind: 'submitted' | 'cancelled' | 'rejected' | 'expired' };

/** Minimal view of an XState snapshot (keeps this module free of XState types). */
export interface SnapshotLike {
  value: unknown;
  context: DraftContext;
}

export function stepOf(value: unknown): Step {
  if (typeof value === 'string') {
    switch (value) {
      case 'analysing':
        return { kind: 'busy', what: 'analysing' };
      case 'prechecking':
        return { kind: 'busy', what: 'precheck' };
      case 'submitting':
      case 'submitRetryWait':
        return { kind: 'busy', what: 'submitting' };
      case 'cancelConfirm':
        return { kind: 'cancelConfirm' };
      case 'submitted':
      case 'cancelled':
      case 'rejected':
      case 'expired':
        return { kind: value };
    }
    throw new Error(`unknown state ${value}`);
  }
  const active = (value as { active?: unknown }).active;
  if (typeof active === 'string') {
    if (active === 'summary' || active === 'refused' || active === 'submitFailed' || active === 'analysisFailed') {
      return { kind: active };
    }
    throw new Error(`unknown state active.${active}`);
  }
  if (active && typeof active === 'object') {
    const [block, sub] = Object.entries(active)[0] ?? [];
    const mode = sub === 'choosing' ? 'choosing' : sub === 'editing' ? 'editing' : sub === 'reviewing' ? 'reviewing' : null;
    if (mode === null) return { kind: 'busy', what: 'lookup' };
    return { kind: 'block', block: block as BlockId, mode };
  }
  throw new Error(`unknown state ${JSON.stringify(value)}`);
}

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
  if ((field === 'service' && req.service) || (field === 'engagement' && req.engagement)) return TEXT.requiredByRecipient;
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
  const status = invalid ? 'invalid' : value === null ? (isOptional(ctx, field) ? 'confirmed' : 'missing') : (ctx.status[field] ?? 'confirmed');
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

function base(ctx: DraftContext): Pick<View, 'draftId' | 'provisionalNumber'> {
  return { draftId: ctx.draftId, provisionalNumber: ctx.provisionalNumber };
}

function noticeLines(ctx: DraftContext): string[] {
  return ctx.notice ? [`${ctx.notice.kind === 'error' ? '⚠ ' : ''}${ctx.notice.text}`] : [];
}

/** The options offered while correcting a field that has a closed list of values. */
function optionsFor(ctx: DraftContext, field: FieldKey): Choice[] {
  switch (field) {
    case 'cadre':
      return (['A1', 'A2', 'A9', 'A12'] as const).map((c) => ({ id: `set:cadre:${c}`, label: CADRE_LABELS[c] }));
    case 'invoiceType':
      return (['FACTURE', 'AVOIR'] as const).map((t) => ({ id: `set:invoiceType:${t}`, label: INVOICE_TYPE_LABELS[t] }));
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
      return ctx.suppliers.map((s) => ({ id: `set:supplier:${s.idStructureCPP}`, label: `${s.name} (${formatSiret(s.siret)})` }));
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

function blockView(ctx: DraftContext, block: BlockId, mode: 'reviewing' | 'editing' | 'choosing'): View {
  const blocks = visibleBlocks(ctx);
  const index = blocks.indexOf(block) + 1;
  const lines = noticeLines(ctx);
  const choices: Choice[] = [];
  let expectsText: View['expectsText'];
  if (mode === 'choosing') {
    lines.push(TEXT.searchResults(ctx.searchPrefix ?? '', ctx.searchResults.length));
    for (const s of ctx.searchResults) {
      choices.push({ id: `set:recipient:${s.siret}`, label: `${s.name} (${formatSiret(s.siret)})` });
    }
    choices.push({ id: 'edit:recipient', label: CHOICE_LABELS.otherSearch });
  } else if (mode === 'editing' && ctx.editing) {
    const field = ctx.editing;
    lines.push(ctx.values[field] === undefined ? TEXT.fillPrompt(FIELD_LABELS[field]) : TEXT.editPrompt(FIELD_LABELS[field]));
    expectsText = { field, hint: FIELD_HINTS[field] };
    choices.push(...optionsFor(ctx, field));
    if (ctx.values[field] !== undefined || blockProblems(ctx, block).every((p) => p.field !== field)) {
      choices.push({ id: 'back', label: CHOICE_LABELS.cancelEdit });
    }
    // A required value to type: the way forward is typing it, or leaving the draft for later.
    if (choices.length === 0) choices.push({ id: 'later', label: CHOICE_LABELS.later });
  } else {
    if (block === 'destinataire' && ctx.recipientInfo && ctx.status.recipient !== 'confirmed' && !ctx.confirmed.destinataire) {
      lines.push(TEXT.recipientFound(ctx.recipientInfo.structure.name));
    }
    lines.push(TEXT.blockPrompt);
    choices.push({ id: 'ok', label: CHOICE_LABELS.confirm, style: 'primary' });
    for (const field of editableFields(ctx, block)) {
      choices.push({ id: `edit:${field}`, label: CHOICE_LABELS.correct(FIELD_LABELS[field]) });
    }
  }
  return {
    ...base(ctx),
    kind: 'block',
    title: TEXT.blockTitle(index, blocks.length, BLOCK_TITLES[block]),
    lines,
    blocks: blockViews(ctx, block, 'open'),
    choices,
    ...(expectsText ? { expectsText } : {}),
  };
}

function reportView(ctx: DraftContext): View {
  const lines = [TEXT.reportIntro(ctx.fileName, ctx.recognizedCount)];
  if (ctx.advice.length > 0) {
    lines.push(TEXT.adviceIntro, ...ctx.advice.map((a) => `• ${a.message}`));
  } else {
    lines.push(TEXT.noAdvice);
  }
  return { ...base(ctx), kind: 'report', title: TEXT.reportTitle, lines, blocks: blockViews(ctx, null, 'all'), choices: [] };
}

const REFUSAL_BLOCK: Partial<Record<RefusalCode, BlockId>> = {
  'recipient-unknown': 'destinataire',
  'recipient-inactive': 'destinataire',
  'service-required': 'destinataire',
  'service-unknown': 'destinataire',
  'service-inactive': 'destinataire',
  'engagement-required': 'references',
  'engagement-or-service-required': 'references',
  'invoice-number-invalid': 'identification',
  'invoice-number-used': 'identification',
  'bank-account-invalid': 'references',
  'totals-mismatch': 'references',
  'validator-required': 'cadre',
};

/** The block where a Chorus Pro refusal is fixed (none for file problems). */
export function refusalBlock(code: RefusalCode): BlockId | undefined {
  return REFUSAL_BLOCK[code];
}

const leaveChoices = (): Choice[] => [
  { id: 'later', label: CHOICE_LABELS.later },
  { id: 'cancel', label: CHOICE_LABELS.cancel, style: 'danger' },
];

/** The views of the draft in its current state (the report first, on the turn after analysis). */
export function renderDraft(snapshot: SnapshotLike): View[] {
  const ctx = snapshot.context;
  const step = stepOf(snapshot.value);
  switch (step.kind) {
    case 'busy': {
      const text = {
        analysing: TEXT.analysing(ctx.fileName),
        lookup: TEXT.lookingUp(ctx.values.recipient ?? ''),
        precheck: TEXT.prechecking,
        submitting: TEXT.submitting,
      }[step.what];
      return [
        {
          ...base(ctx),
          kind: step.what === 'analysing' ? 'analysing' : 'submitting',
          title: step.what === 'analysing' ? TEXT.analysingTitle : TEXT.submittingTitle,
          lines: [text],
          choices: [{ id: 'status', label: CHOICE_LABELS.status }],
        },
      ];
    }
    case 'block': {
      const views = [blockView(ctx, step.block, step.mode)];
      if (ctx.freshReport) views.unshift(reportView(ctx));
      return views;
    }
    case 'summary':
      return [
        {
          ...base(ctx),
          kind: 'summary',
          title: TEXT.summaryTitle,
          lines: [...noticeLines(ctx), TEXT.summaryPrompt],
          blocks: blockViews(ctx, null, 'all'),
          choices: [
            { id: 'ok', label: CHOICE_LABELS.confirmAndSend, style: 'primary' },
            ...visibleBlocks(ctx).map((b) => ({ id: `block:${b}`, label: CHOICE_LABELS.correctBlock(BLOCK_TITLES[b]) })),
            ...leaveChoices(),
          ],
        },
      ];
    case 'refused': {
      const blocks = [...new Set(ctx.refusals.map((r) => refusalBlock(r.code)).filter((b): b is BlockId => b !== undefined))];
      return [
        {
          ...base(ctx),
          kind: 'error',
          title: TEXT.refusedTitle,
          lines: [TEXT.refusedIntro, ...ctx.refusals.map((r) => `• ${r.message}`), TEXT.refusedNext],
          blocks: blockViews(ctx, null, 'all'),
          choices: [
            ...blocks.map((b) => ({ id: `block:${b}`, label: CHOICE_LABELS.correctBlock(BLOCK_TITLES[b]), style: 'primary' as const })),
            { id: 'retry', label: CHOICE_LABELS.retry },
            ...leaveChoices(),
          ],
        },
      ];
    }
    case 'submitFailed':
    case 'analysisFailed':
      return [
        {
          ...base(ctx),
          kind: 'error',
          title: step.kind === 'submitFailed' ? TEXT.submitFailedTitle : TEXT.analysisFailedTitle,
          lines: [
            ctx.failure?.message ?? '',
            ...(step.kind === 'submitFailed' ? [TEXT.submitFailedNext] : []),
          ].filter((l) => l !== ''),
          choices: [{ id: 'retry', label: CHOICE_LABELS.retry, style: 'primary' }, ...leaveChoices()],
        },
      ];
    case 'cancelConfirm':
      return [
        {
          ...base(ctx),
          kind: 'cancel-confirm',
          title: TEXT.cancelConfirmTitle,
          lines: [TEXT.cancelConfirm(ctx.provisionalNumber)],
          choices: [
            { id: 'ok', label: CHOICE_LABELS.deleteDraft, style: 'danger' },
            { id: 'back', label: CHOICE_LABELS.keepDraft, style: 'primary' },
          ],
        },
      ];
    case 'submitted':
      return [receiptView(ctx)];
    case 'cancelled':
      return [
        {
          ...base(ctx),
          kind: 'cancelled',
          title: TEXT.cancelledTitle,
          lines: [TEXT.cancelled(ctx.provisionalNumber)],
          choices: [
            { id: 'drafts', label: CHOICE_LABELS.drafts },
            { id: 'help', label: CHOICE_LABELS.help },
          ],
        },
      ];
    case 'rejected':
      return [
        {
          ...base(ctx),
          kind: 'error',
          title: TEXT.unusableTitle,
          lines: [TEXT.unusable, ...ctx.advice.map((a) => `• ${a.message}`), TEXT.unusableNext],
          choices: [
            { id: 'help', label: CHOICE_LABELS.help },
            { id: 'drafts', label: CHOICE_LABELS.drafts },
          ],
        },
      ];
    case 'expired':
      return [
        {
          ...base(ctx),
          kind: 'expired',
          title: TEXT.expiredTitle,
          lines: [TEXT.expired(ctx.provisionalNumber)],
          choices: [{ id: 'drafts', label: CHOICE_LABELS.drafts }],
        },
      ];
  }
}

function receiptView(ctx: DraftContext): View {
  const r = ctx.receipt;
  const L = TEXT.receiptLines;
  const lines = r
    ? [
        `${L.number} : ${r.chorusInvoiceId}`,
        `${L.invoice} : ${r.invoiceNumber}`,
        `${L.date} : ${formatDateTime(r.depositedAt)}`,
        `${L.status} : ${r.status}`,
        `${L.recipient} : ${r.recipientName ? `${r.recipientName} (${formatSiret(r.recipientSiret)})` : formatSiret(r.recipientSiret)}`,
        `${L.amount} : ${formatCents(r.totalInclTaxCents, r.currency)}`,
      ]
    : [];
  return {
    ...base(ctx),
    kind: 'receipt',
    title: TEXT.receiptTitle,
    lines,
    choices: [
      { id: 'status', label: CHOICE_LABELS.status },
      { id: 'drafts', label: CHOICE_LABELS.drafts },
    ],
  };
}

/** A short French description of where the draft is (for « statut » and the drafts list). */
export function describeStep(snapshot: SnapshotLike, labels: {
  analysing: string;
  block: (title: string) => string;
  summary: string;
  submitting: string;
  refused: string;
  failed: string;
  cancelling: string;
  submitted: string;
  cancelled: string;
  expired: string;
  unusable: string;
}): string {
  const step = stepOf(snapshot.value);
  switch (step.kind) {
    case 'busy':
      return step.what === 'analysing' ? labels.analysing : step.what === 'lookup' ? labels.block(BLOCK_TITLES.destinataire) : labels.submitting;
    case 'block':
      return labels.block(BLOCK_TITLES[step.block]);
    case 'summary':
      return labels.summary;
    case 'refused':
      return labels.refused;
    case 'submitFailed':
    case 'analysisFailed':
      return labels.failed;
    case 'cancelConfirm':
      return labels.cancelling;
    case 'submitted':
      return labels.submitted;
    case 'cancelled':
      return labels.cancelled;
    case 'rejected':
      return labels.unusable;
    case 'expired':
      return labels.expired;
  }
}

export { BLOCK_FIELDS };
