/**
 * Shaping the views of one message into e-mails: one answer per draft (two PDFs → two threads),
 * and only the latest state of a draft (a reply with three corrections yields one summary, not
 * three), keeping every error and information on the way.
 */
import { isCancellation, isConfirmation } from '../machine/answers.js';
import type { Choice, View, ViewKind } from '../machine/view.js';
import type { IncomingMail } from './parse-message.js';
import type { ReplySender } from './reply-sender.js';

/**
 * Views that show the draft's state; a later one of the same draft replaces an earlier one. The
 * recognition report is not one of them: it is the only view listing every field at once.
 */
const STATE_KINDS: ReadonlySet<ViewKind> = new Set([
  'analysing',
  'block',
  'summary',
  'submitting',
  'cancel-confirm',
]);
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

export const normalise = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[«»"'’.!,;:()\s]+/g, ' ')
    .trim();

/** A reply line that is exactly one of the offered choices (its label, its id, or its number). */
export function matchChoice(
  line: string,
  choices: Pick<Choice, 'id' | 'label'>[],
): Pick<Choice, 'id' | 'label'> | undefined {
  const n = normalise(line);
  if (!n) return undefined;
  const byNumber = /^\d{1,2}$/.test(n) ? choices[Number(n) - 1] : undefined;
  if (byNumber) return byNumber;
  return choices.find((c) => normalise(c.label) === n || normalise(c.id) === n);
}

/**
 * After the user confirmed by e-mail, the next step to confirm on their behalf, if any: an e-mail
 * « confirmer » accepts every block the recognition report already showed them as long as
 * nothing in it is missing or invalid. It stops at a block that needs an answer, and never
 * passes the final summary (the deposit itself always takes an explicit « confirmer »).
 */
export function nextAutoConfirm(
  line: string,
  views: View[],
  draftId: string | undefined,
): { choiceId: string; revision?: number } | undefined {
  const said = normalise(line);
  if (views.some((v) => v.kind === 'error')) return undefined;
  const last = [...views]
    .reverse()
    .find((v) => v.draftId !== undefined && (!draftId || v.draftId === draftId));
  if (!last || last.kind !== 'block') return undefined;
  const open = last.blocks?.find((b) => b.status === 'open');
  if (!open || open.fields.length === 0) return undefined;
  if (open.fields.some((f) => f.status === 'missing' || f.status === 'invalid')) return undefined;
  const primary = last.choices.find((c) => c.style === 'primary');
  if (!primary) return undefined;
  // What counts as a « yes » is the conversation's rule, not the channel's.
  if (normalise(primary.label) !== said && !isConfirmation(line)) return undefined;
  return { choiceId: primary.id, revision: last.revision };
}

/**
 * An e-mail « annuler » cancels: the question « Supprimer ce brouillon ? » that a chat asks back
 * is answered yes on the user's behalf (their mail already said it).
 */
export function nextAutoCancel(
  line: string,
  views: View[],
  draftId: string | undefined,
): { choiceId: string; revision?: number } | undefined {
  if (!isCancellation(line)) return undefined;
  const last = [...views]
    .reverse()
    .find((v) => v.draftId !== undefined && (!draftId || v.draftId === draftId));
  if (!last || last.kind !== 'cancel-confirm') return undefined;
  const yes = last.choices.find((c) => c.style === 'danger');
  return yes ? { choiceId: yes.id, revision: last.revision } : undefined;
}

/** Sends the views as one answer per draft, the notes (ignored parts…) in the first one only. */
export async function replyPerDraft(
  replies: ReplySender,
  mail: IncomingMail,
  key: string,
  views: View[],
  notes: string[],
): Promise<void> {
  const groups = groupViewsByDraft(views);
  if (groups.length === 0 && notes.length > 0) groups.push([]);
  for (const [i, group] of groups.entries()) {
    await replies.reply(mail, `${key}:reply:${i}`, group, i === 0 ? notes : []);
  }
}
