import type { RefusalCode } from '../deposit/port.js';
import { formatDepositInstant, statusLabel } from '../deposit/receipt-pdf.js';
import { expectedPaymentLine } from '../followup/track-deposit.js';
import { FXO_CHOICE } from './facturx-out-commands.js';
import { FXO_CHOICES } from './facturx-out-messages.js';
import { formatCents, formatSiret } from './format.js';
import { BLOCK_TITLES, CHOICE_LABELS, FIELD_HINTS, FIELD_LABELS, TEXT } from './messages.js';
import { blockProblems, editableFields, visibleBlocks } from './requirements.js';
import { base, blockViews, noticeLines, optionsFor } from './render-fields.js';
import { alternativeChoices } from './alternatives.js';
import { stepOf, type SnapshotLike } from './step.js';
import { attachmentLines, prefillLines } from './after-deposit-draft.js';
import type { DraftContext } from './types.js';
import type { BlockId, Choice, View } from './view.js';
import { conflictChoices, depositModeLine, facturxReportLines, fluxRejectedView } from './facturx-render.js';
import { FACTURX_TEXT } from './facturx-messages.js';

/**
 * Snapshot → views. Pure: the service adds the revision, attachments and its own views. Every
 * view the user can land on offers at least one choice (a way forward).
 */

export { stepOf, describeStep, type Step, type SnapshotLike } from './step.js';
export { displayValue, fieldView, blockViews } from './render-fields.js';

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
    lines.push(
      ctx.values[field] === undefined
        ? TEXT.fillPrompt(FIELD_LABELS[field])
        : TEXT.editPrompt(FIELD_LABELS[field]),
    );
    expectsText = { field, hint: FIELD_HINTS[field] };
    choices.push(...alternativeChoices(ctx, [field]), ...optionsFor(ctx, field));
    if (ctx.values[field] !== undefined || blockProblems(ctx, block).every((p) => p.field !== field)) {
      choices.push({ id: 'back', label: CHOICE_LABELS.cancelEdit });
    }
    // A required value to type: the way forward is typing it, or leaving the draft for later.
    if (choices.length === 0) choices.push({ id: 'later', label: CHOICE_LABELS.later });
  } else {
    if (
      block === 'destinataire' &&
      ctx.recipientInfo &&
      ctx.status.recipient !== 'confirmed' &&
      !ctx.confirmed.destinataire
    ) {
      lines.push(TEXT.recipientFound(ctx.recipientInfo.structure.name));
    }
    lines.push(TEXT.blockPrompt);
    const conflict = conflictChoices(ctx);
    choices.push(...conflict);
    choices.push({
      id: 'ok',
      label: CHOICE_LABELS.confirm,
      ...(conflict.length ? {} : { style: 'primary' as const }),
    });
    // The other values printed for a field, one tap each, before the corrections.
    choices.push(...alternativeChoices(ctx, editableFields(ctx, block)));
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
  const lines = [
    ...prefillLines(ctx),
    TEXT.reportIntro(ctx.fileName, ctx.recognizedCount),
    ...facturxReportLines(ctx),
  ];
  if (ctx.advice.length > 0) {
    lines.push(TEXT.adviceIntro, ...ctx.advice.map((a) => `• ${a.message}`));
  } else {
    lines.push(TEXT.noAdvice);
  }
  return {
    ...base(ctx),
    kind: 'report',
    title: TEXT.reportTitle,
    lines,
    blocks: blockViews(ctx, null, 'all'),
    choices: [],
  };
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
        submitting:
          ctx.facturx && ctx.facturx.rejection === null && depositModeLine(ctx) === FACTURX_TEXT.asFlux
            ? FACTURX_TEXT.submittingFlux
            : TEXT.submitting,
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
          lines: [
            ...noticeLines(ctx),
            ...attachmentLines(ctx),
            ...[depositModeLine(ctx)].filter((l) => l !== null),
            TEXT.summaryPrompt,
          ],
          blocks: blockViews(ctx, null, 'all'),
          choices: [
            { id: 'ok', label: CHOICE_LABELS.confirmAndSend, style: 'primary' },
            ...visibleBlocks(ctx).map((b) => ({
              id: `block:${b}`,
              label: CHOICE_LABELS.correctBlock(BLOCK_TITLES[b]),
            })),
            ...leaveChoices(),
          ],
        },
      ];
    case 'refused': {
      const blocks = [
        ...new Set(
          ctx.refusals.map((r) => refusalBlock(r.code)).filter((b): b is BlockId => b !== undefined),
        ),
      ];
      return [
        {
          ...base(ctx),
          kind: 'error',
          title: TEXT.refusedTitle,
          lines: [TEXT.refusedIntro, ...ctx.refusals.map((r) => `• ${r.message}`), TEXT.refusedNext],
          blocks: blockViews(ctx, null, 'all'),
          choices: [
            ...blocks.map((b) => ({
              id: `block:${b}`,
              label: CHOICE_LABELS.correctBlock(BLOCK_TITLES[b]),
              style: 'primary' as const,
            })),
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
    case 'fluxRejected':
      return [fluxRejectedView(ctx)];
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
        `${L.date} : ${formatDepositInstant(r.depositedAt)}`,
        `${L.status} : ${statusLabel(r.status)}`,
        `${L.recipient} : ${r.recipientName ? `${r.recipientName} (${formatSiret(r.recipientSiret)})` : formatSiret(r.recipientSiret)}`,
        `${L.amount} : ${formatCents(r.totalInclTaxCents, r.currency)}`,
        expectedPaymentLine(r),
        ...attachmentLines(ctx),
        ...(r.notice ? [r.notice] : []),
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
      ...(r ? [{ id: FXO_CHOICE.version(ctx.draftId), label: FXO_CHOICES.version }] : []),
    ],
  };
}

/** A short French description of where the draft is (for « statut » and the drafts list). */
