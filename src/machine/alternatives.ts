/**
 * Values the recognition read for a field besides the one it kept (the report's `alternatives`,
 * docs/inspect-report.md): the conversation offers each as a one-tap choice (`set:<field>:<value>`)
 * when the field's block is shown and while the field is being corrected, instead of silently
 * keeping the first. Pure.
 */
import type { InspectionReport } from '../recognition/types.js';
import { isValidSiret } from '../recognition/identifiers.js';
import { formatCents, formatDate, formatSiret, parseAmountCents } from './format.js';
import { CHOICE_LABELS, FIELD_LABELS } from './messages.js';
import type { DraftContext, FieldKey } from './types.js';
import type { Choice } from './view.js';

export type Alternatives = Partial<Record<FieldKey, string[]>>;

/** Report field → draft field, for the fields a user confirms. */
const REPORT_TO_DRAFT: Partial<Record<keyof InspectionReport['fields'], FieldKey>> = {
  invoiceNumber: 'invoiceNumber',
  invoiceDate: 'invoiceDate',
  recipientSiret: 'recipient',
  engagementNumber: 'engagement',
  marketNumber: 'market',
  totalExclTax: 'totalExclTax',
  totalTax: 'totalTax',
  totalInclTax: 'totalInclTax',
};

const MAX_CHOICES = 3;

/** The alternatives of a report, keyed by draft field, each in the form `SET` accepts. */
export function alternativesOf(report: InspectionReport): Alternatives | undefined {
  let out: Alternatives | undefined;
  for (const [key, field] of Object.entries(REPORT_TO_DRAFT) as Array<
    [keyof InspectionReport['fields'], FieldKey]
  >) {
    const values = (report.fields[key]?.alternatives ?? []).filter(
      (v) => field !== 'recipient' || isValidSiret(v),
    );
    if (values.length === 0) continue;
    out ??= {};
    out[field] = values.slice(0, MAX_CHOICES);
  }
  return out;
}

function display(field: FieldKey, value: string, currency: string): string {
  if (field === 'invoiceDate') return formatDate(value);
  if (field === 'recipient') return formatSiret(value);
  if (field === 'totalExclTax' || field === 'totalTax' || field === 'totalInclTax') {
    const cents = parseAmountCents(value);
    return cents === null ? value : formatCents(cents, currency);
  }
  return value;
}

/** One choice per alternative of these fields that differs from the draft's current value. */
export function alternativeChoices(ctx: DraftContext, fields: readonly FieldKey[]): Choice[] {
  const alternatives = ctx.alternatives;
  if (!alternatives) return [];
  const currency = ctx.values.currency ?? 'EUR';
  const choices: Choice[] = [];
  for (const field of fields) {
    const current = ctx.values[field];
    for (const value of alternatives[field] ?? []) {
      const same =
        typeof current === 'number' ? parseAmountCents(value) === current : String(current ?? '') === value;
      if (same) continue;
      const id = `set:${field}:${value}`;
      // Choice ids travel as Telegram callback data (64 bytes at most).
      if (Buffer.byteLength(id) > 64) continue;
      choices.push({
        id,
        label: CHOICE_LABELS.takeAlternative(FIELD_LABELS[field], display(field, value, currency)),
      });
    }
  }
  return choices;
}
