import { parseFollowUpChoice, type FollowUpAction } from '../followup/actions.js';
import { normalizeAnswer } from './format.js';

/**
 * What the user can type or press after a deposit, outside any draft's machine: « mes factures »
 * (paginated), « statut <numéro> », « notifications off / on », the answer to « nouvelle facture
 * ou pièce jointe ? », and small talk. Pure parsing; the service answers (after-deposit-service.ts).
 */

export type AfterCommand =
  | { kind: 'invoices'; page: number }
  | { kind: 'status-of'; reference: string }
  | { kind: 'notifications'; on: boolean | null }
  /** The PDF of the new draft `draftId` is a supporting document of the open draft `to`. */
  | { kind: 'attach-draft'; draftId: string; to: string }
  /** Typed « pièce jointe de PROV-… »: the PDF of the draft in hand joins that open draft. */
  | { kind: 'attach-typed'; to?: string }
  /** A status notification's button (ids of src/followup/actions.ts). */
  | { kind: 'follow-up'; action: FollowUpAction; chorusInvoiceId: number };

export type SmallTalk = 'thanks' | 'okay' | 'hello' | 'bye';

/** Choice ids (≤ 32 ASCII chars: file ids are 16, draft ids 11). */
export const AFTER_CHOICE = {
  invoices: (page: number) => `invoices:${page}`,
  statusOf: (draftId: string) => `statut:${draftId}`,
  /** 8 + 11 + 1 + 11 = 31 chars. */
  attachDraft: (draftId: string, to: string) => `pdf:att:${draftId}:${to}`,
  notifications: (on: boolean) => `notif:${on ? 'on' : 'off'}`,
} as const;

const INVOICES_WORDS = new Set([
  'mes factures',
  'factures',
  'mes factures deposees',
  'factures deposees',
  'liste des factures',
  'la liste des factures',
  'mes factures envoyees',
  'invoices',
  'historique',
]);

/** Typed text → an after-deposit command, or undefined. */
export function parseAfterCommand(raw: string): AfterCommand | undefined {
  const text = normalizeAnswer(raw.replace(/^\//, ''));
  if (INVOICES_WORDS.has(text)) return { kind: 'invoices', page: 1 };
  const page = /^(?:mes )?factures (?:page )?(\d{1,3})$/.exec(text);
  if (page?.[1]) return { kind: 'invoices', page: Math.max(1, Number(page[1])) };
  const notif = /^(?:les )?notif(?:ication)?s?(?: (on|off|oui|non|activees|desactivees))?$/.exec(text);
  if (notif) {
    const word = notif[1];
    return { kind: 'notifications', on: word ? ['on', 'oui', 'activees'].includes(word) : null };
  }
  const verb =
    /^(couper|desactiver|arreter|stopper|activer|reactiver|remettre) (?:les )?notif(?:ication)?s?$/.exec(
      text,
    );
  if (verb?.[1]) return { kind: 'notifications', on: ['activer', 'reactiver', 'remettre'].includes(verb[1]) };
  const attach =
    /^(?:c'est |c est )?(?:une |la |plutot une )?piece jointe(?: (?:de|du|a|au|pour))?(?: (?:brouillon|facture) )?(?: ?([a-z0-9][\w-]*))?$/.exec(
      text,
    );
  if (attach) {
    const ref = attach[1];
    const at = ref ? raw.toLowerCase().lastIndexOf(ref) : -1;
    return { kind: 'attach-typed', ...(ref ? { to: at >= 0 ? raw.slice(at, at + ref.length) : ref } : {}) };
  }
  const status =
    /^(?:statut|status|etat|suivi|ou en est)(?: de)?(?: la)?(?: facture)?(?: n[°o]?)? ?([a-z0-9][\w/+-]*)$/.exec(
      text,
    );
  if (status?.[1]) {
    // The reference keeps its case from the raw text (draft ids are case-sensitive).
    const at = raw.toLowerCase().lastIndexOf(status[1]);
    return { kind: 'status-of', reference: at >= 0 ? raw.slice(at, at + status[1].length) : status[1] };
  }
  return undefined;
}

/** A pressed choice → an after-deposit command, or undefined. `statut:<id>` is a status-of. */
export function afterChoiceToCommand(choiceId: string): AfterCommand | undefined {
  const followUp = parseFollowUpChoice(choiceId);
  if (followUp) return { kind: 'follow-up', ...followUp };
  const inv = /^invoices:(\d{1,4})$/.exec(choiceId);
  if (inv?.[1]) return { kind: 'invoices', page: Math.max(1, Number(inv[1])) };
  if (choiceId === 'invoices') return { kind: 'invoices', page: 1 };
  const st = /^statut:([\w-]{1,24})$/.exec(choiceId);
  if (st?.[1]) return { kind: 'status-of', reference: st[1] };
  const pdf = /^pdf:att:([\w-]{1,12}):([\w-]{1,12})$/.exec(choiceId);
  if (pdf?.[1] && pdf[2]) return { kind: 'attach-draft', draftId: pdf[1], to: pdf[2] };
  if (choiceId === 'notif:on') return { kind: 'notifications', on: true };
  if (choiceId === 'notif:off') return { kind: 'notifications', on: false };
  return undefined;
}

const THANKS = new Set(['merci', 'mercis', 'thanks', 'thank', 'thx', 'cimer', 'remerciements']);
const HELLO = new Set(['bonjour', 'salut', 'hello', 'bonsoir', 'coucou', 'hey', 'hi', 'yo', 're']);
const BYE = new Set(['revoir', 'bientot', 'bye', 'ciao', 'journee', 'soiree', 'weekend', 'week-end', 'a+']);
const FILLER = new Set([
  'ok',
  'okay',
  'oki',
  "d'accord",
  'daccord',
  'dac',
  'super',
  'top',
  'parfait',
  'genial',
  'cool',
  'nickel',
  'tres',
  'bien',
  'recu',
  'ca',
  'marche',
  'entendu',
  'oui',
  'yes',
  'beaucoup',
  'bcp',
  'mille',
  'you',
  'a',
  'au',
  'bonne',
  'bon',
  'et',
  'encore',
  'vous',
  'pour',
  'tout',
  'tous',
  'madame',
  'monsieur',
  'excellent',
  'impeccable',
  'good',
  'great',
  'thank',
]);

/**
 * Short courtesy messages (« merci », « ok super », « bonjour », « bonne journée ! », 👍): which
 * kind, or undefined when the text says something else. At most 6 words, all courtesy.
 */
export function smallTalkOf(raw: string): SmallTalk | undefined {
  const text = normalizeAnswer(raw)
    .replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu, ' 👍 ')
    .replace(/[!.?;:,()]+/g, ' ')
    .trim();
  if (!text) return undefined;
  const words = text.split(/\s+/).filter((w) => w !== '👍');
  if (words.length === 0) return 'okay';
  if (words.length > 6) return undefined;
  if (!words.every((w) => THANKS.has(w) || HELLO.has(w) || BYE.has(w) || FILLER.has(w))) return undefined;
  if (words.some((w) => THANKS.has(w))) return 'thanks';
  if (words.some((w) => HELLO.has(w))) return 'hello';
  if (words.some((w) => BYE.has(w))) return 'bye';
  return 'okay';
}
