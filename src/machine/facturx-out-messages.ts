/** French text of « Version Factur-X » in the conversation (issue #13). */
import { formatEuros } from '../deposit/money.js';
import type { FacturxLine } from '../facturx-out/types.js';

export const FXO_CHOICES = {
  version: 'Version Factur-X',
  cancel: 'Annuler',
} as const;

export const FXO_TEXT = {
  notDeposited: 'La version Factur-X se fait pour une facture déposée : confirmez d’abord le dépôt.',
  unknownInvoice: (ref: string) => `Je ne trouve pas la facture « ${ref} » parmi vos factures.`,
  noInvoice: 'Aucune facture déposée pour l’instant : envoyez d’abord le PDF d’une facture.',
  pdfGone: 'Le PDF de cette facture n’est plus disponible : renvoyez-le pour en faire la version Factur-X.',
  unavailable: 'La version Factur-X n’est pas disponible sur ce serveur.',
  linesRead: 'Lignes lues sur la facture :',
  noLinesRead: 'Je n’ai pas trouvé de tableau de lignes sur la facture.',
  linesAsk: (invoice: string) =>
    `Pour la version Factur-X de la facture ${invoice}, envoyez les lignes, une par ligne de message, par exemple : « une seule ligne : Prestation de mars, 1 250,00 € HT, TVA 20 % » ou « Formation, 2 jours × 900 €, TVA 20 % ».`,
  lineUnreadable: (n: number) =>
    `Je n’ai pas compris la ligne ${n} : écrivez la description, le montant HT et le taux, par exemple « Prestation de mars, 1 250,00 € HT, TVA 20 % ».`,
  cancelled: 'D’accord, pas de version Factur-X pour cette fois.',
} as const;

export function lineText(l: FacturxLine): string {
  const qty = l.quantity === '1' ? '' : `${l.quantity.replace('.', ',')}${l.unit ? ` ${l.unit}` : ''} × `;
  return `• ${l.description} : ${qty}${formatEuros(l.amountCents)} HT, TVA ${l.vatRate.replace('.', ',')} %`;
}
