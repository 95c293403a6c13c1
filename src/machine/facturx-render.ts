/**
 * How the Factur-X part of a draft reads: the report's headline and points to check, the choice
 * after a correction of an XML value, the summary's deposit mode, a rejected flow.
 */
import { profileLabel } from '../recognition/facturx/messages.js';
import type { FacturxProfile } from '../recognition/facturx/types.js';
import { facturxHeadline } from '../recognition/facturx/messages.js';
import { FACTURX_TEXT } from './facturx-messages.js';
import { facturxDisplay, plainPdfReason, xmlRawValue, type PlainReason } from './facturx-machine.js';
import { BLOCK_TITLES, CHOICE_LABELS, FIELD_LABELS } from './messages.js';
import { base, blockViews } from './render-fields.js';
import { refusalBlockIds } from './facturx-blocks.js';
import type { DraftContext } from './types.js';
import type { Choice, View } from './view.js';

const asProfile = (p: string | null) => p as FacturxProfile | null;

export function plainReasonText(reason: PlainReason): string {
  switch (reason.kind) {
    case 'invalid':
      return FACTURX_TEXT.plain.invalid(reason.errorCount);
    case 'profile':
      return FACTURX_TEXT.plain.profile(profileLabel(asProfile(reason.profile)));
    case 'mismatch':
      return FACTURX_TEXT.plain.mismatch;
    case 'differs':
      return FACTURX_TEXT.plain.differs(reason.fields.map((f) => FIELD_LABELS[f].toLowerCase()).join(', '));
    case 'chosen':
      return FACTURX_TEXT.plain.chosen;
  }
}

/** The deposit mode, in one sentence (report and summary). */
export function depositModeLine(ctx: DraftContext): string | null {
  if (!ctx.facturx) return null;
  const reason = plainPdfReason(ctx);
  return reason ? plainReasonText(reason) : FACTURX_TEXT.asFlux;
}

/** The report's Factur-X lines: headline, points to check, deposit mode. */
export function facturxReportLines(ctx: DraftContext): string[] {
  const fx = ctx.facturx;
  if (!fx) return [];
  const lines = [facturxHeadline(asProfile(fx.profile))];
  if (fx.mismatches.length > 0) {
    lines.push(FACTURX_TEXT.mismatchesIntro);
    for (const m of fx.mismatches) lines.push(FACTURX_TEXT.mismatch(FIELD_LABELS[m.field], m.printed, m.xml));
  }
  const mode = depositModeLine(ctx);
  if (mode) lines.push(mode);
  return lines;
}

/** After a correction of a value the XML states: keep the XML's value, or the plain PDF. */
export function conflictChoices(ctx: DraftContext): Choice[] {
  const fx = ctx.facturx;
  const field = ctx.notice?.kind === 'info' ? ctx.notice.field : undefined;
  if (!fx || !field || fx.plainPdf || !plainPdfReason(ctx)) return [];
  const raw = xmlRawValue(fx, field);
  const choices: Choice[] = [{ id: 'fx:pdf', label: FACTURX_TEXT.usePlainPdf, style: 'primary' }];
  if (raw !== undefined)
    choices.push({
      id: `fx:keep:${field}`,
      label: FACTURX_TEXT.keepXml(facturxDisplay(field, fx.xml[field], ctx.values.currency)),
    });
  return choices;
}

/** A flow Chorus Pro rejected (or could not process): its reasons, and the ways on. */
export function fluxRejectedView(ctx: DraftContext): View {
  const incident = ctx.failure?.code === 'flux-incident';
  const reasons = ctx.facturx?.rejection?.reasons ?? ctx.failure?.reasons ?? [];
  const blocks = refusalBlockIds(reasons);
  return {
    ...base(ctx),
    kind: 'error',
    title: incident ? FACTURX_TEXT.incidentTitle : FACTURX_TEXT.rejectedTitle,
    lines: [
      ...(incident
        ? [ctx.failure?.message ?? '']
        : [FACTURX_TEXT.rejectedIntro, ...reasons.map((r) => `• ${r}`)]),
      incident ? FACTURX_TEXT.incidentNext : FACTURX_TEXT.rejectedNext,
    ].filter((l) => l !== ''),
    blocks: blockViews(ctx, null, 'all'),
    choices: [
      incident
        ? { id: 'retry', label: FACTURX_TEXT.resendChoice, style: 'primary' }
        : { id: 'fx:pdf', label: FACTURX_TEXT.plainPdfChoice, style: 'primary' },
      ...blocks.map((b) => ({ id: `block:${b}`, label: CHOICE_LABELS.correctBlock(BLOCK_TITLES[b]) })),
      { id: 'later', label: CHOICE_LABELS.later },
      { id: 'cancel', label: CHOICE_LABELS.cancel, style: 'danger' },
    ],
  };
}
