/**
 * Shaping the views of one message into e-mails: one answer per draft (two PDFs → two threads),
 * and only the latest state of a draft (a reply with three corrections yields one summary, not
 * three), keeping every error and information on the way.
 */
import type { Choice, View, ViewKind } from '../machine/view.js';

/** Views that show the draft's state; a later one of the same draft replaces an earlier one. */
const STATE_KINDS: ReadonlySet<ViewKind> = new Set(['analysing', 'report', 'block', 'summary', 'submitting', 'cancel-confirm']);
/** Views after which the draft's state views are obsolete. */
const FINAL_KINDS: ReadonlySet<ViewKind> = new Set(['receipt', 'cancelled', 'expired']);

export function collapseViews(views: View[]): View[] {
  const lastState = new Map<string, number>();
  const finalAt = new Map<string, number>();
  views.forEach((v, i) => {
    const draft = v.draftId ?? '';
    if (STATE_KINDS.has(v.kind)) lastState.set(draft, i);
    if (FINAL_KINDS.has(v.kind)) finalAt.set(draft, i);
  });
  return views.filter((v, i) => {
    if (!STATE_KINDS.has(v.kind)) return true;
    const draft = v.draftId ?? '';
    const final = finalAt.get(draft);
    if (final !== undefined && final > i) return false;
    return lastState.get(draft) === i;
  });
}

/**
 * Groups the (collapsed) views per draft, in order of first appearance. Views of no draft join
 * the first group (or stand alone when there is none).
 */
export function groupViewsByDraft(views: View[]): View[][] {
  const collapsed = collapseViews(views);
  const groups = new Map<string, View[]>();
  const loose: View[] = [];
  for (const v of collapsed) {
    if (!v.draftId) {
      loose.push(v);
      continue;
    }
    const g = groups.get(v.draftId) ?? [];
    g.push(v);
    groups.set(v.draftId, g);
  }
  const result = [...groups.values()];
  if (loose.length > 0) {
    if (result[0]) result[0].unshift(...loose);
    else result.push(loose);
  }
  return result;
}

const normalise = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[«»"'’.!,;:()\s]+/g, ' ')
    .trim();

/** A reply line that is exactly one of the offered choices (its label, its id, or its number). */
export function matchChoice(line: string, choices: Pick<Choice, 'id' | 'label'>[]): Pick<Choice, 'id' | 'label'> | undefined {
  const n = normalise(line);
  if (!n) return undefined;
  const byNumber = /^\d{1,2}$/.test(n) ? choices[Number(n) - 1] : undefined;
  if (byNumber) return byNumber;
  return choices.find((c) => normalise(c.label) === n || normalise(c.id) === n);
}
