/**
 * French text the e-mail channel writes on its own (everything else comes from the conversation's
 * views). Kept short: the answers are read on a phone.
 */
import type { IgnoredPart } from './parse-message.js';
import { MAIL_LIMITS } from './limits.js';

const mb = (bytes: number) =>
  `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
const limitMb = mb(MAIL_LIMITS.maxAttachmentBytes);

export const mailMessages = {
  noPdfTitle: 'Aucune facture trouvée',
  noPdf: [
    'Je n’ai trouvé aucune facture PDF dans votre message.',
    `Pour déposer une facture sur Chorus Pro, transférez-moi l’e-mail qui la contient ou joignez le PDF (${limitMb} maximum, ${MAIL_LIMITS.maxPdfsPerMessage} factures par message).`,
    'Pour poursuivre un brouillon, répondez à mon dernier message à son sujet.',
  ],
  emptyReply: [
    'Je n’ai trouvé aucune instruction dans votre réponse.',
    'Écrivez « confirmer », une correction par ligne (par ex. « destinataire : 110 046 018 00013 ») ou « annuler », au-dessus du message cité.',
  ],
  tooManyPdfsTitle: 'Trop de factures dans un seul message',
  tooManyPdfs: (count: number) => [
    `Votre message contient ${count} PDF ; j’en traite ${MAIL_LIMITS.maxPdfsPerMessage} au plus par message.`,
    'Renvoyez vos factures en plusieurs messages : aucune n’a été prise en compte.',
  ],
  tooLargeTitle: 'Message trop volumineux',
  tooLarge: (size: number) => [
    `Votre message pèse ${mb(size)} : je ne peux pas le lire.`,
    `Envoyez chaque facture PDF (${limitMb} maximum) dans un message séparé.`,
  ],
  malformedTitle: 'Message illisible',
  unusablePdfTitle: 'Facture non prise en compte',
  ignoredPart: (part: IgnoredPart) =>
    part.reason === 'too-large'
      ? `Pièce jointe « ${part.fileName} » ignorée : ${mb(part.size)}, au-delà de la limite de ${limitMb}.`
      : part.reason === 'damaged'
        ? `Pièce jointe « ${part.fileName} » illisible : elle est arrivée abîmée (encodage MIME invalide). Renvoyez le PDF.`
        : `Pièce jointe « ${part.fileName} » ignorée : ce n’est pas un PDF.`,
  internalErrorTitle: 'Erreur de traitement',
  internalError: [
    'Une erreur inattendue m’a empêché de traiter votre message, malgré plusieurs essais.',
    'Renvoyez-le un peu plus tard ; si l’erreur persiste, contactez la personne qui gère Facteur.',
  ],
  howToReplyTitle: 'Pour répondre',
  howToReplyChoices: (labels: string[]) =>
    `Répondez à cet e-mail avec ${labels.length > 1 ? 'l’un de ces mots' : 'le mot'} : ${labels.map((l) => `« ${l} »`).join(', ')}.`,
  howToCorrect:
    'Pour corriger un champ, écrivez une ligne « champ : valeur », par exemple « destinataire : 110 046 018 00013 », « engagement : 1300012345 » ou « numéro : F-2026-042 ».',
  howToQuote: 'Écrivez au-dessus du message cité ; une instruction par ligne.',
  expects: (hint: string) => `Attendu : ${hint}`,
  fieldStatus: {
    recognized: 'reconnu',
    facturx: 'lu dans le Factur-X',
    confirmed: 'confirmé',
    corrected: 'corrigé',
    missing: 'manquant',
    invalid: 'invalide',
  },
  blockStatus: { pending: 'à venir', open: 'à vérifier', confirmed: 'confirmé' },
  emptyValue: '—',
  footer: 'Facteur — dépôt de factures sur Chorus Pro',
  defaultSubject: 'Votre facture',
} as const;
