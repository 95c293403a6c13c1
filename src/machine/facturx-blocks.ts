import type { BlockId } from './view.js';

/**
 * The blocks a flow rejection points at, from Chorus Pro's reasons (free French text): the
 * recipient and service for the buyer, the references for the engagement, the identification
 * for the number. The destinataire block is offered when nothing more precise is found.
 */
export function refusalBlockIds(reasons: string[]): BlockId[] {
  const text = reasons.join(' ').toLowerCase();
  const out = new Set<BlockId>();
  if (/destinataire|acheteur|code service|service/.test(text)) out.add('destinataire');
  if (/engagement|commande/.test(text)) out.add('references');
  if (/numéro de facture|numero de facture/.test(text)) out.add('identification');
  if (out.size === 0) out.add('destinataire');
  return [...out];
}
