import { compactIdentifier } from '../recognition/identifiers.js';
import { normalizeAnswer, parseAmountCents, parseFrenchDate } from './format.js';
import { isCancellation, isConfirmation } from './answers.js';
import { BACK_WORDS, EDIT_WORDS, RETRY_WORDS } from './messages.js';
import { stepOf, type SnapshotLike } from './render.js';
import { parseField } from './validate.js';
import { isBlockId, isFieldKey, type DraftEvent, type FieldKey } from './types.js';

/**
 * Turns what the user typed or pressed into one machine event, given where the draft is.
 * Forgiving on purpose: « ok », « oui », « c'est bon » confirm; « corriger la date » opens the
 * date; a bare 14-digit number in the destinataire block is the SIRET; « ttc 1500 » sets the TTC.
 */

/** Words that name a field (accents and case already removed). Longest first when matching. */
const FIELD_WORDS: Array<[string, FieldKey]> = [
  ['numero de facture', 'invoiceNumber'],
  ['date de facture', 'invoiceDate'],
  ['code service', 'service'],
  ['bon de commande', 'engagement'],
  ["numero d'engagement", 'engagement'],
  ['numero de marche', 'market'],
  ['regime de tva', 'vatRegime'],
  ['montant ht', 'totalExclTax'],
  ['montant tva', 'totalTax'],
  ['montant ttc', 'totalInclTax'],
  ['destinataire', 'recipient'],
  ['engagement', 'engagement'],
  ['fournisseur', 'supplier'],
  ['emetteur', 'supplier'],
  ['valideur', 'validator'],
  ['titulaire', 'validator'],
  ['service', 'service'],
  ['numero', 'invoiceNumber'],
  ['banque', 'bankAccount'],
  ['compte', 'bankAccount'],
  ['regime', 'vatRegime'],
  ['marche', 'market'],
  ['devise', 'currency'],
  ['cadre', 'cadre'],
  ['siret', 'recipient'],
  ['date', 'invoiceDate'],
  ['type', 'invoiceType'],
  ['iban', 'bankAccount'],
  ['rib', 'bankAccount'],
  ['tva', 'totalTax'],
  ['ttc', 'totalInclTax'],
  ['ht', 'totalExclTax'],
  ['ej', 'engagement'],
];

function matchFieldWord(text: string): { field: FieldKey; rest: string } | undefined {
  for (const [word, field] of FIELD_WORDS) {
    if (text === word) return { field, rest: '' };
    for (const sep of [' : ', ': ', ' :', ' = ', '=', ' ']) {
      if (text.startsWith(word + sep)) return { field, rest: text.slice(word.length + sep.length).trim() };
    }
  }
  return undefined;
}

function stripArticle(s: string): string {
  return s.replace(/^(le |la |les |l'|du |de la |des |de )/, '');
}

/** A choice id (from a view) → event; undefined for choices the service handles itself. */
export function choiceToEvent(choiceId: string): DraftEvent | undefined {
  if (choiceId === 'ok') return { type: 'CONFIRM' };
  if (choiceId === 'back') return { type: 'BACK' };
  if (choiceId === 'cancel') return { type: 'CANCEL' };
  if (choiceId === 'retry') return { type: 'RETRY' };
  if (choiceId === 'fx:pdf') return { type: 'PLAIN_PDF' };
  const [kind, field, ...rest] = choiceId.split(':');
  if (kind === 'edit' && field && isFieldKey(field)) return { type: 'EDIT', field };
  if (kind === 'block' && field && isBlockId(field)) return { type: 'EDIT', block: field };
  if (kind === 'set' && field && isFieldKey(field) && rest.length > 0)
    return { type: 'SET', field, value: rest.join(':') };
  return undefined;
}

/** Typed text → event, in the context of the draft's current state. */
export function textToEvent(snapshot: SnapshotLike, raw: string, today?: string): DraftEvent {
  const text = normalizeAnswer(raw);
  const step = stepOf(snapshot.value);
  const ctx = snapshot.context;
  const set = (field: FieldKey, value: string): DraftEvent => ({
    type: 'SET',
    field,
    value,
    ...(today ? { today } : {}),
  });

  if (step.kind === 'cancelConfirm') {
    if (['non', 'continuer', 'retour', 'garder', 'non merci', 'reprendre'].includes(text))
      return { type: 'BACK' };
    if (isConfirmation(raw) || isCancellation(raw)) return { type: 'CONFIRM' };
    return { type: 'NOT_UNDERSTOOD', text: raw.trim() };
  }
  if (isCancellation(raw)) return { type: 'CANCEL' };
  if (RETRY_WORDS.includes(text)) return { type: 'RETRY' };
  if (BACK_WORDS.includes(text)) return { type: 'BACK' };
  if (isConfirmation(raw)) return { type: 'CONFIRM' };

  // « corriger », « corriger la date », « modifier le siret »
  for (const word of EDIT_WORDS) {
    if (text === word) return { type: 'EDIT' };
    if (text.startsWith(word + ' ')) {
      const named = stripArticle(text.slice(word.length + 1).trim());
      if (isBlockId(named)) return { type: 'EDIT', block: named };
      const m = matchFieldWord(named);
      if (m) return m.rest ? set(m.field, rawTail(raw, m.rest)) : { type: 'EDIT', field: m.field };
      break;
    }
  }

  const editing = step.kind === 'block' ? ctx.editing : null;
  if (step.kind === 'block' && editing && step.mode === 'editing') {
    // « numéro F-12 » while correcting the number: the field word is not part of the value.
    const named = matchFieldWord(text);
    if (named && named.rest && named.field === editing) return set(editing, rawTail(raw, named.rest));
    // « tva 200 » while correcting the TTC: another field, when the value is valid for it.
    if (named && named.rest && parseField(named.field, rawTail(raw, named.rest), ctx, today).ok) {
      return set(named.field, rawTail(raw, named.rest));
    }
    if (editing === 'recipient') {
      const digits = compactIdentifier(raw);
      if (/^\d{3,13}$/.test(digits)) return { type: 'SEARCH', prefix: digits };
    }
    return set(editing, raw.trim());
  }

  // « ttc 1500,00 », « date : 15/03/2026 »
  const named = matchFieldWord(text);
  if (named && named.rest) return set(named.field, rawTail(raw, named.rest));
  if (named && !named.rest) return { type: 'EDIT', field: named.field };

  if (step.kind === 'block') {
    const obvious = obviousField(snapshot, raw);
    if (obvious)
      return obvious.search ? { type: 'SEARCH', prefix: obvious.value } : set(obvious.field, obvious.value);
  }
  if (isBlockId(text)) return { type: 'EDIT', block: text };
  return { type: 'NOT_UNDERSTOOD', text: raw.trim() };
}

/** The part of the raw text matching the normalized tail (keeps the user's case and accents). */
function rawTail(raw: string, normalizedRest: string): string {
  const trimmed = raw.trim();
  return trimmed.slice(Math.max(0, trimmed.length - normalizedRest.length)).trim();
}

/** The field a bare value obviously belongs to, in the open block. */
function obviousField(
  snapshot: SnapshotLike,
  raw: string,
):
  | { field: FieldKey; value: string; search?: false }
  | { field: 'recipient'; value: string; search: true }
  | undefined {
  const step = stepOf(snapshot.value);
  if (step.kind !== 'block') return undefined;
  const ctx = snapshot.context;
  const text = normalizeAnswer(raw);
  const digits = compactIdentifier(raw);
  switch (step.block) {
    case 'destinataire':
      if (/^\d{14}$/.test(digits)) return { field: 'recipient', value: digits };
      if (/^\d{3,13}$/.test(digits)) return { field: 'recipient', value: digits, search: true };
      if (ctx.recipientInfo?.rules.services.some((s) => s.code.toLowerCase() === raw.trim().toLowerCase())) {
        return { field: 'service', value: raw.trim() };
      }
      return undefined;
    case 'cadre':
      if (/^a?(1|2|9|12)$/.test(text)) return { field: 'cadre', value: text };
      if (/^\d{14}$/.test(digits)) return { field: 'validator', value: digits };
      return undefined;
    case 'identification':
      if (text === 'facture' || text === 'avoir') return { field: 'invoiceType', value: text };
      if (parseFrenchDate(raw)) return { field: 'invoiceDate', value: raw.trim() };
      return undefined;
    case 'fournisseur':
      if (/^\d{14}$/.test(digits)) return { field: 'supplier', value: digits };
      return undefined;
    case 'references':
      if (/^[a-z]{3}$/.test(text) && ['eur', 'usd', 'chf', 'gbp'].includes(text))
        return { field: 'currency', value: text };
      if (ctx.values.engagement === undefined && parseAmountCents(raw) === null && /\d/.test(raw)) {
        return { field: 'engagement', value: raw.trim() };
      }
      return undefined;
  }
}
