import { normalizeAnswer } from './format.js';
import { CANCEL_WORDS, CONFIRM_WORDS } from './messages.js';

/**
 * Whether a free answer means « yes » or « cancel ». One place for every channel: the terminal and
 * Telegram text go through the machine, and the e-mail channel asks it before confirming blocks
 * on the user's behalf. Busy people on a phone write « Oui, je confirme ! » or « ok merci ».
 */

/** Leading words that only reinforce what follows (« oui c'est bon », « ok merci »). */
const AFFIRMATIONS = new Set(['oui', 'ok', 'okay', 'parfait', 'super', "d'accord", 'tres bien', 'bien sur']);

function plain(raw: string): string {
  return normalizeAnswer(raw)
    .replace(/[!.?;:,]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function isConfirmation(raw: string): boolean {
  const text = plain(raw);
  if (CONFIRM_WORDS.includes(text)) return true;
  for (const lead of AFFIRMATIONS) {
    if (!text.startsWith(lead + ' ')) continue;
    const rest = text.slice(lead.length + 1);
    if (rest === 'merci' || CONFIRM_WORDS.includes(rest.replace(/ merci$/, ''))) return true;
  }
  return false;
}

/** « annuler », « supprimer le brouillon », « annuler ce brouillon ». */
export function isCancellation(raw: string): boolean {
  const text = plain(raw).replace(/ (le|ce) brouillon$/, '');
  return CANCEL_WORDS.includes(text);
}
