import type { Cadre, InvoiceType, VatRegime } from '../deposit/port.js';
import type { BlockId } from './view.js';
import type { FieldKey } from './types.js';

/**
 * Every French sentence of the conversation, whatever the channel. Short, concrete, tutoiement
 * avoided; each error says what to type instead.
 */

export const BLOCK_TITLES: Record<BlockId, string> = {
  cadre: 'Cadre de facturation',
  identification: 'Identification de la facture',
  destinataire: 'Destinataire',
  fournisseur: 'Fournisseur',
  references: 'Références et montants',
};

export const FIELD_LABELS: Record<FieldKey, string> = {
  cadre: 'Cadre',
  validator: 'SIRET du titulaire (valideur)',
  invoiceNumber: 'Numéro de facture',
  invoiceDate: 'Date de facture',
  invoiceType: 'Type',
  recipient: 'SIRET du destinataire',
  service: 'Code service',
  supplier: 'Structure émettrice',
  engagement: 'Numéro d’engagement',
  market: 'Numéro de marché',
  currency: 'Devise',
  vatRegime: 'Régime de TVA',
  totalExclTax: 'Montant HT',
  totalTax: 'Montant TVA',
  totalInclTax: 'Montant TTC',
  bankAccount: 'Coordonnées bancaires',
};

/** What to type when correcting a field. */
export const FIELD_HINTS: Record<FieldKey, string> = {
  cadre:
    'Choisissez le cadre : A1 (dépôt par un fournisseur), A2 (déjà payée), A9 (sous-traitant), A12 (cotraitant).',
  validator: 'Tapez le SIRET (14 chiffres) du titulaire du marché qui valide la facture.',
  invoiceNumber: 'Tapez le numéro de la facture (20 caractères au plus : lettres, chiffres, - _ / +).',
  invoiceDate: 'Tapez la date de la facture, par exemple 15/03/2026.',
  invoiceType: 'Facture ou avoir ?',
  recipient: 'Tapez le SIRET du destinataire (14 chiffres), ou ses premiers chiffres pour chercher.',
  service: 'Choisissez le service du destinataire, ou tapez son code.',
  supplier: 'Choisissez la structure qui émet la facture.',
  engagement: 'Tapez le numéro d’engagement (bon de commande) donné par l’acheteur.',
  market: 'Tapez le numéro de marché, ou « aucun ».',
  currency: 'Tapez la devise en 3 lettres (EUR).',
  vatRegime: 'Choisissez le régime de TVA.',
  totalExclTax: 'Tapez le montant HT, par exemple 1 250,00.',
  totalTax: 'Tapez le montant de TVA, par exemple 250,00 (0 si pas de TVA).',
  totalInclTax: 'Tapez le montant TTC, par exemple 1 500,00.',
  bankAccount: 'Choisissez le compte bancaire sur lequel être payé.',
};

export const CADRE_LABELS: Record<Cadre, string> = {
  A1: 'A1 – Dépôt par un fournisseur',
  A2: 'A2 – Facture déjà payée',
  A9: 'A9 – Facture de sous-traitant',
  A12: 'A12 – Facture de cotraitant',
};

export const INVOICE_TYPE_LABELS: Record<InvoiceType, string> = { FACTURE: 'Facture', AVOIR: 'Avoir' };

export const VAT_REGIME_LABELS: Record<VatRegime, string> = {
  TVA_SUR_DEBIT: 'TVA sur les débits',
  TVA_SUR_ENCAISSEMENT: 'TVA sur les encaissements',
  EXONERATION: 'Exonération de TVA',
  SANS_TVA: 'Sans TVA (franchise en base)',
};

export const ERRORS = {
  required: 'Ce champ est obligatoire.',
  siretShape: 'Un SIRET compte 14 chiffres (les espaces sont acceptés).',
  siretChecksum: 'Ce SIRET n’est pas valide (la clé de contrôle ne correspond pas) : vérifiez les chiffres.',
  invoiceNumberShape:
    'Le numéro de facture doit faire 20 caractères au plus : lettres, chiffres et - _ / + seulement.',
  dateShape: 'Date non reconnue : tapez-la au format JJ/MM/AAAA, par exemple 15/03/2026.',
  dateImpossible: (typed: string) =>
    `Le ${typed} n’existe pas dans le calendrier : vérifiez le jour et le mois.`,
  dateFuture: 'La date de facture ne peut pas être dans le futur.',
  dateTooOld: 'Cette date est trop ancienne pour une facture à déposer.',
  invoiceType: 'Répondez « facture » ou « avoir ».',
  cadre: 'Cadre inconnu : répondez A1, A2, A9 ou A12.',
  amountShape: 'Montant non reconnu : tapez par exemple 1 250,00 (chiffres, virgule pour les centimes).',
  currency: 'La devise s’écrit en 3 lettres (code ISO), par exemple EUR.',
  engagementShape: 'Le numéro d’engagement fait 50 caractères au plus.',
  marketShape: 'Le numéro de marché fait 50 caractères au plus.',
  serviceUnknown: (code: string) =>
    `Le service « ${code} » n’existe pas chez ce destinataire : choisissez-en un dans la liste.`,
  serviceInactive: (code: string) => `Le service « ${code} » est fermé : choisissez-en un autre.`,
  serviceNoRecipient: 'Indiquez d’abord le SIRET du destinataire.',
  vatRegime: 'Régime de TVA non reconnu : choisissez-en un dans la liste.',
  supplierUnknown:
    'Cette structure ne fait pas partie de celles de votre compte : choisissez-en une dans la liste.',
  bankUnknown: 'Ce compte bancaire n’est pas dans la liste : choisissez-en un.',
  totalsMismatch: (ht: string, tva: string, ttc: string) =>
    `Les montants ne sont pas cohérents : ${ht} HT + ${tva} TVA ≠ ${ttc} TTC. Corrigez l’un des trois.`,
  recipientUnknown: (siret: string) =>
    `Aucune structure publique active avec le SIRET ${siret} sur Chorus Pro.`,
  recipientInactive: (name: string) =>
    `« ${name} » n’est plus active sur Chorus Pro : demandez son nouveau SIRET à l’acheteur.`,
  searchEmpty: (prefix: string) => `Aucune structure publique dont le SIRET commence par ${prefix}.`,
  searchShort: 'Tapez au moins 3 chiffres pour chercher un destinataire.',
  validatorRequired: 'Pour une facture A9 ou A12, indiquez le SIRET du titulaire qui la valide.',
  serviceRequired: 'Ce destinataire exige un code service.',
  engagementRequired: 'Ce destinataire exige un numéro d’engagement.',
  engagementOrService: 'Ce destinataire exige un numéro d’engagement ou un code service.',
  notEditableHere: 'Ce champ se corrige dans un autre bloc.',
} as const;

export const TEXT = {
  analysingTitle: 'Analyse de la facture',
  analysing: (file: string) => `Je lis « ${file} » et je le dépose sur Chorus Pro pour sa reconnaissance…`,
  reportTitle: 'Voici ce que j’ai reconnu',
  reportIntro: (file: string, count: number) =>
    count > 0
      ? `« ${file} » : ${count} information${count > 1 ? 's' : ''} reconnue${count > 1 ? 's' : ''}. Vérifions-les bloc par bloc.`
      : `« ${file} » : aucune information reconnue automatiquement. Remplissons la facture bloc par bloc.`,
  adviceIntro: 'Pour une meilleure reconnaissance, corrigez votre modèle de facture :',
  noAdvice: 'Le PDF respecte les règles de reconnaissance de Chorus Pro.',
  unusableTitle: 'Fichier inutilisable',
  unusable: 'Ce fichier ne peut pas être déposé sur Chorus Pro :',
  unusableNext: 'Envoyez un autre PDF quand il sera prêt.',
  analysisFailedTitle: 'Analyse impossible',
  blockTitle: (index: number, total: number, title: string) => `${title} (${index}/${total})`,
  blockPrompt: 'Tout est juste ? Confirmez, ou corrigez un champ.',
  editPrompt: (label: string) => `Correction : ${label}`,
  fillPrompt: (label: string) => `À renseigner : ${label}`,
  lookingUp: (siret: string) => `Je cherche le SIRET ${siret} sur Chorus Pro…`,
  searching: (prefix: string) => `Je cherche les structures dont le SIRET commence par ${prefix}…`,
  searchResults: (prefix: string, n: number) =>
    `${n} structure${n > 1 ? 's' : ''} dont le SIRET commence par ${prefix} : choisissez le destinataire.`,
  recipientFound: (name: string) => `Destinataire trouvé : ${name}. Est-ce bien lui ?`,
  requiredByRecipient: 'exigé par ce destinataire',
  optional: 'facultatif',
  factor: 'affactureur',
  summaryTitle: 'Récapitulatif avant envoi',
  summaryPrompt:
    'Tout est prêt. « confirmer » envoie la facture sur Chorus Pro ; « annuler » supprime le brouillon.',
  prechecking: 'Je vérifie la facture auprès de Chorus Pro…',
  submittingTitle: 'Envoi en cours',
  submitting: 'J’envoie la facture à Chorus Pro…',
  refusedTitle: 'Chorus Pro refuserait cette facture',
  refusedIntro: 'Avant l’envoi, Chorus Pro signale :',
  refusedNext: 'Corrigez le bloc concerné, puis confirmez à nouveau.',
  submitFailedTitle: 'Envoi non abouti',
  submitFailedNext: 'Rien n’a été déposé deux fois : vous pouvez réessayer sans risque.',
  receiptTitle: 'Facture déposée sur Chorus Pro',
  receiptLines: {
    number: 'Numéro Chorus Pro',
    invoice: 'Facture',
    date: 'Déposée le',
    status: 'Statut',
    recipient: 'Destinataire',
    amount: 'Montant TTC',
  },
  receiptAttached: 'Le récapitulatif de dépôt est joint (PDF).',
  cancelConfirmTitle: 'Supprimer ce brouillon ?',
  cancelConfirm: (prov: string) => `Le brouillon ${prov} sera supprimé. Rien n’a été envoyé à Chorus Pro.`,
  cancelledTitle: 'Brouillon supprimé',
  cancelled: (prov: string) => `Le brouillon ${prov} est supprimé. Envoyez un nouveau PDF quand vous voulez.`,
  expiredTitle: 'Brouillon expiré',
  expired: (prov: string) => `Le brouillon ${prov} est resté sans réponse trop longtemps : il est supprimé.`,
  notUnderstood: (text: string) =>
    `Je n’ai pas compris « ${text} ». Tapez « aide » pour la liste des réponses possibles.`,
  draftLabel: (prov: string) => `Brouillon ${prov}`,
  notSet: 'non renseigné',
  none: 'aucun',
} as const;

export const CHOICE_LABELS = {
  confirm: 'Confirmer',
  confirmAndSend: 'Confirmer et envoyer',
  correct: (label: string) => `Corriger : ${label}`,
  correctBlock: (title: string) => `Corriger : ${title}`,
  cancel: 'Annuler',
  cancelEdit: 'Annuler la correction',
  deleteDraft: 'Oui, supprimer le brouillon',
  keepDraft: 'Non, continuer',
  retry: 'Réessayer',
  later: 'Garder en brouillon',
  otherSearch: 'Taper un autre SIRET',
  drafts: 'Mes brouillons',
  status: 'Suivre cette facture',
  help: 'Aide',
  resume: (prov: string) => `Reprendre ${prov}`,
  noMarket: 'Aucun numéro de marché',
  /** A value the PDF also prints for a field (the recognition's alternatives). */
  takeAlternative: (label: string, value: string) => `${label} : ${value}`,
} as const;

/** Views the service shows on its own (outside one draft's machine). */
export const SERVICE_TEXT = {
  welcomeTitle: 'Bienvenue sur Facteur',
  welcome: (name?: string) => [
    name ? `Bonjour ${name} !` : 'Bonjour !',
    'Envoyez-moi une facture en PDF : je la lis, vous vérifiez, je la dépose sur Chorus Pro.',
    'Tapez « aide » à tout moment.',
  ],
  helpTitle: 'Aide',
  help: [
    'Envoyez une facture PDF pour commencer un dépôt.',
    'Pendant la vérification, répondez « ok » (ou « oui », « confirmer », « c’est bon ») pour valider un bloc,',
    '« corriger » pour modifier un champ, ou tapez directement la bonne valeur (par exemple un SIRET).',
    'Commandes utiles à tout moment :',
    '  aide — cette aide',
    '  brouillons — la liste de vos brouillons',
    '  reprendre <n°> — reprendre un brouillon (par exemple « reprendre 42 »)',
    '  annuler — supprimer le brouillon en cours (après confirmation)',
    '  statut — où en est le brouillon ou la facture en cours',
  ],
  accessDeniedTitle: 'Accès non autorisé',
  accessDenied: [
    'Cet identifiant n’est rattaché à aucun compte Facteur.',
    'Demandez un code d’invitation à l’administrateur (commande « facteur accounts link »), puis envoyez-le ici.',
  ],
  linkedTitle: 'Compte rattaché',
  linked: (account: string) => [
    `Vous êtes rattaché au compte « ${account} ». Envoyez une facture PDF pour commencer.`,
  ],
  linkUnknown: 'Ce code d’invitation est inconnu : vérifiez-le ou demandez-en un nouveau.',
  linkExpired: 'Ce code d’invitation a expiré : demandez-en un nouveau.',
  linkUsed: 'Ce code d’invitation a déjà servi : demandez-en un nouveau.',
  draftsTitle: 'Vos brouillons',
  noDrafts: 'Aucun brouillon en cours. Envoyez une facture PDF pour commencer.',
  draftLine: (prov: string, what: string, updated: string, current: boolean) =>
    `${prov} — ${what} — modifié le ${updated}${current ? ' (en cours)' : ''}`,
  draftsHint: 'Tapez « reprendre <n°> » ou choisissez un brouillon.',
  draftNotFound: (ref: string) => `Aucun brouillon « ${ref} ». Tapez « brouillons » pour voir la liste.`,
  draftFinished: (prov: string) => `Le brouillon ${prov} est terminé : il ne peut plus être modifié.`,
  resumed: (prov: string) => `Reprise du brouillon ${prov}, là où vous l’aviez laissé.`,
  newDraftWhileOpen: (prov: string, other: string) =>
    `Nouveau brouillon ${prov}. Le brouillon ${other} reste enregistré : « reprendre ${other} » pour y revenir.`,
  keptAsDraft: (prov: string) =>
    `Brouillon ${prov} enregistré. Reprenez-le quand vous voulez avec « reprendre ${prov} ».`,
  noCurrentDraft:
    'Aucun brouillon en cours. Envoyez une facture PDF pour commencer, ou tapez « brouillons ».',
  staleTitle: 'Ce brouillon a changé',
  stale: 'Ce bouton vient d’un ancien message : voici où en est le brouillon maintenant.',
  statusTitle: 'Statut',
  statusDraft: (prov: string, step: string) => `${prov} : ${step}.`,
  statusDeposited: (prov: string, number: string, status: string) =>
    `${prov} : facture déposée sur Chorus Pro (n° ${number}), statut actuel : ${status}.`,
  statusUnavailable: 'Le statut Chorus Pro n’est pas disponible pour le moment.',
  fileNotPdf: (name: string) => `« ${name} » n’est pas un PDF. Envoyez la facture au format PDF.`,
  fileTooLarge: (name: string) =>
    `« ${name} » dépasse 10 Mo, la limite de Chorus Pro. Allégez le PDF et renvoyez-le.`,
  fileEmpty: (name: string) => `« ${name} » est vide.`,
  fileNameTooLong: 'Le nom du fichier dépasse 200 caractères : renommez-le et renvoyez-le.',
  reminderTitle: 'Brouillon en attente',
  reminder: (prov: string) => `Le brouillon ${prov} attend toujours votre réponse. Voici où il en est :`,
  noChorusAccount:
    'Aucun compte technique Chorus Pro n’est configuré pour votre compte Facteur : demandez à l’administrateur de l’ajouter.',
  internalError: 'Une erreur inattendue est survenue ; rien n’a été perdu. Réessayez dans un instant.',
  unsupportedInput: 'Envoyez une facture PDF, ou tapez « aide ».',
  stepLabels: {
    analysing: 'analyse en cours',
    block: (title: string) => `vérification du bloc « ${title} »`,
    summary: 'prêt à être envoyé (en attente de votre confirmation)',
    submitting: 'envoi en cours',
    refused: 'à corriger avant envoi',
    failed: 'envoi à réessayer',
    cancelling: 'suppression à confirmer',
    submitted: 'déposé',
    cancelled: 'supprimé',
    expired: 'expiré',
    unusable: 'fichier inutilisable',
  },
} as const;

/** Words accepted as « yes, confirm » (accents, case and final punctuation ignored). */
export const CONFIRM_WORDS = [
  'ok',
  'okay',
  'oui',
  'ouais',
  'yes',
  'confirmer',
  'confirme',
  'je confirme',
  'valider',
  'valide',
  "c'est bon",
  'cest bon',
  'c bon',
  'bon',
  'parfait',
  "d'accord",
  'daccord',
  'dac',
  'exact',
  'correct',
  "c'est correct",
  "c'est juste",
  'juste',
  'tout est bon',
  'envoyer',
  'confirmer et envoyer',
  'confirm',
  'go',
  'suivant',
  'continuer',
];

export const EDIT_WORDS = [
  'corriger',
  'modifier',
  'changer',
  'correction',
  'non',
  'faux',
  "c'est faux",
  'pas bon',
];
export const BACK_WORDS = ['retour', 'non merci', 'laisser', 'garder'];
export const RETRY_WORDS = ['reessayer', 'recommencer', 'retenter', 'encore'];
export const CANCEL_WORDS = ['annuler', 'supprimer', 'abandonner', 'stop', 'cancel'];
