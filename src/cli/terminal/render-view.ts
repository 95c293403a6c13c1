import type { BlockView, FieldView, View } from '../../machine/view.js';

/**
 * A view as terminal text, the way a phone user would read it: title, lines, the blocks with
 * their fields, then the numbered choices. Numbers continue across the views of one answer.
 */

const BLOCK_MARK: Record<BlockView['status'], string> = { confirmed: '✓', open: '▸', pending: '·' };

function fieldLine(field: FieldView): string {
  const value = field.value ?? '—';
  const status =
    field.status === 'recognized'
      ? ' (reconnu)'
      : field.status === 'facturx'
        ? ' (lu dans le Factur-X)'
        : field.status === 'corrected'
          ? ' (corrigé)'
          : field.status === 'missing'
            ? ' (à renseigner)'
            : field.status === 'invalid'
              ? ' ✗'
              : '';
  const note = field.note ? (field.value === null ? ` (${field.note})` : ` — ${field.note}`) : '';
  return `     ${field.label} : ${value}${status}${note}`;
}

export interface NumberedChoice {
  n: number;
  choiceId: string;
  draftId?: string;
  revision?: number;
}

export function renderView(view: View, firstNumber: number): { text: string; choices: NumberedChoice[] } {
  const out: string[] = [];
  const tag = view.provisionalNumber ? ` [${view.provisionalNumber}]` : '';
  if (view.title || tag) out.push(`── ${view.title ?? ''}${tag} ──`);
  out.push(...view.lines);
  for (const block of view.blocks ?? []) {
    if (block.fields.length === 0 && view.kind === 'block') continue;
    out.push(`  ${BLOCK_MARK[block.status]} ${block.title}`);
    for (const field of block.fields) out.push(fieldLine(field));
  }
  if (view.expectsText) out.push(`✎ ${view.expectsText.hint}`);
  const choices: NumberedChoice[] = [];
  view.choices.forEach((choice, i) => {
    const n = firstNumber + i;
    choices.push({ n, choiceId: choice.id, draftId: view.draftId, revision: view.revision });
    out.push(`  ${n}. ${choice.label}`);
  });
  return { text: out.join('\n'), choices };
}

/** Several views (one answer of the service), choices numbered from 1. */
export function renderViews(views: View[]): { text: string; choices: NumberedChoice[] } {
  const parts: string[] = [];
  const choices: NumberedChoice[] = [];
  for (const view of views) {
    const r = renderView(view, choices.length + 1);
    parts.push(r.text);
    choices.push(...r.choices);
  }
  return { text: parts.join('\n\n'), choices };
}
