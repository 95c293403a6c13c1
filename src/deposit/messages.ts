import type { RefusalCode } from './port.js';

/**
 * Every French sentence of the deposit part: refusal reasons (shown before the user confirms and
 * when Chorus Pro refuses) and transport/authentication failures. Short, concrete, actionable.
 */
export const REFUSAL_MESSAGES: Record<RefusalCode, string> = {
  'recipient-unknown': 'Ce SIRET de destinataire est inconnu de Chorus Pro. Vérifiez-le sur la facture.',
  'recipient-inactive': 'Ce destinataire n’est plus actif sur Chorus Pro : demandez-lui son nouveau SIRET.',
  'service-required': 'Ce destinataire exige un code service. Indiquez le service qui a passé la commande.',
  'service-unknown': 'Ce code service n’existe pas chez ce destinataire.',
  'service-inactive': 'Ce service du destinataire est fermé : choisissez-en un autre.',
  'engagement-required': 'Ce destinataire exige un numéro d’engagement (bon de commande).',
  'engagement-or-service-required':
    'Ce destinataire exige un numéro d’engagement ou un code service : indiquez au moins l’un des deux.',
  'invoice-number-invalid':
    'Le numéro de facture doit faire 20 caractères au plus : lettres, chiffres et - _ / + seulement.',
  'invoice-number-used': 'Vous avez déjà déposé une facture avec ce numéro sur Chorus Pro.',
  'bank-account-invalid':
    'Ce compte bancaire n’est pas (ou plus) valide sur Chorus Pro : choisissez-en un autre.',
  'file-too-large': 'Le PDF dépasse 10 Mo, la limite de Chorus Pro.',
  'file-name-too-long': 'Le nom du fichier dépasse 200 caractères : raccourcissez-le.',
  'totals-mismatch': 'Les montants ne sont pas cohérents : HT + TVA doit être égal au TTC.',
  'validator-required':
    'Pour une facture de sous-traitant ou de cotraitant, indiquez le SIRET du titulaire qui la valide.',
};

export const MESSAGES = {
  unreachable: 'Chorus Pro ne répond pas pour le moment. Réessayez dans quelques minutes.',
  timeout: 'Chorus Pro met trop de temps à répondre. Réessayez dans quelques minutes.',
  rateLimited: 'Chorus Pro reçoit trop de demandes en ce moment. Réessayez dans une minute.',
  serverError: 'Chorus Pro a rencontré une erreur interne. Réessayez dans quelques minutes.',
  invalidResponse:
    'Chorus Pro a envoyé une réponse inattendue. Réessayez plus tard ; si cela persiste, signalez-le.',
  pisteRefused:
    'La connexion à Chorus Pro (PISTE) est refusée : l’identifiant ou le secret de l’application est incorrect.',
  techAccountRefused:
    'Chorus Pro refuse les identifiants du compte technique. Vérifiez le login et le mot de passe (il expire régulièrement).',
  accessDenied: 'Chorus Pro refuse l’accès à cette opération pour ce compte technique.',
  inputInvalid: 'Certaines informations de la facture sont invalides',
  refusedGeneric: 'Chorus Pro a refusé la demande',
  pdfUnreadable: 'Chorus Pro ne peut pas lire ce fichier',
  notSupplier: 'Ce compte technique ne peut pas facturer pour cette structure.',
  pieceUnknown: 'Le PDF déposé n’est plus disponible sur Chorus Pro : déposez-le à nouveau.',
  invoiceUnknown: 'Cette facture est introuvable sur Chorus Pro.',
  structureUnknown: 'Cette structure est introuvable sur Chorus Pro.',
  prefixTooShort: 'Tapez au moins 3 chiffres du SIRET.',
  submitUnknownOutcome:
    'Chorus Pro n’a pas confirmé le dépôt et la facture est introuvable pour l’instant. Réessayez dans quelques minutes : Facteur vérifiera avant de redéposer.',
} as const;
