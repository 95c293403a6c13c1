import { normalizeAnswer } from './format.js';

/** Commands the user may type at any time, whatever the draft's state. */
export type GlobalCommand =
  | { kind: 'help' }
  | { kind: 'drafts' }
  | { kind: 'resume'; reference: string }
  | { kind: 'status' }
  | { kind: 'later' };

/** Recognizes a global command in typed text (accents, case, a leading `/` ignored). */
export function parseCommand(raw: string): GlobalCommand | undefined {
  const text = normalizeAnswer(raw.replace(/^\//, ''));
  if (['aide', 'help', '?', 'aidez-moi', 'au secours', 'commandes'].includes(text)) return { kind: 'help' };
  if (['brouillons', 'brouillon', 'mes brouillons', 'liste', 'drafts', 'en cours'].includes(text))
    return { kind: 'drafts' };
  if (['statut', 'status', 'etat', 'ou en est-on', 'ou en est on', 'suivi'].includes(text))
    return { kind: 'status' };
  if (['plus tard', 'garder en brouillon', 'pause', 'a plus tard'].includes(text)) return { kind: 'later' };
  const m = /^(?:reprendre|resume|ouvrir)\s+(?:le\s+)?(?:brouillon\s+)?(?:n[°o]?\s*)?([\w-]+)$/.exec(text);
  // The reference keeps its case from the raw text (draft ids are case-sensitive).
  if (m?.[1])
    return {
      kind: 'resume',
      reference:
        raw
          .trim()
          .split(/\s+/)
          .pop()
          ?.replace(/^n[°o]/i, '') ?? m[1],
    };
  return undefined;
}

/** Choice ids the service answers itself (not machine events). */
export function choiceToCommand(choiceId: string): GlobalCommand | undefined {
  if (choiceId === 'help') return { kind: 'help' };
  if (choiceId === 'drafts') return { kind: 'drafts' };
  if (choiceId === 'status') return { kind: 'status' };
  if (choiceId === 'later') return { kind: 'later' };
  if (choiceId.startsWith('resume:')) return { kind: 'resume', reference: choiceId.slice('resume:'.length) };
  return undefined;
}
