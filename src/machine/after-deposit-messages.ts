/**
 * The French sentences of the conversation after a deposit: small talk, « mes factures »,
 * « statut <numéro> », a second PDF, the actions offered by status notifications and the
 * notification preference. Short, concrete, each says what to do next.
 */

export const AFTER_TEXT = {
  // Small talk on a finished draft: one short line, never the receipt again.
  thanks: 'Avec plaisir ! Envoyez une nouvelle facture PDF quand vous voulez.',
  okay: 'Parfait. Envoyez une nouvelle facture PDF quand vous voulez.',
  hello: (name?: string) =>
    name
      ? `Bonjour ${name} ! Envoyez-moi une facture PDF, ou tapez « mes factures ».`
      : 'Bonjour ! Envoyez-moi une facture PDF, ou tapez « mes factures ».',
  bye: 'Bonne journée ! Je vous préviens ici quand le statut de vos factures change.',
  /** Free text on a deposited invoice: what the user can do now. */
  afterDepositHelp: (invoice: string) =>
    `La facture ${invoice} est déposée : elle ne se modifie plus. Vous pouvez envoyer une nouvelle facture PDF, taper « mes factures », « statut ${invoice} » ou « aide ».`,
  afterEndHelp: (prov: string) =>
    `Le brouillon ${prov} est terminé. Envoyez une nouvelle facture PDF, ou tapez « mes factures », « brouillons » ou « aide ».`,

  invoicesTitle: 'Vos factures déposées',
  noInvoices: 'Aucune facture déposée pour le moment. Envoyez une facture PDF pour commencer.',
  invoicesPage: (from: number, to: number, total: number) =>
    from > 1 || total > to
      ? `Factures ${from} à ${to} sur ${total}, les plus récentes d’abord.`
      : `${total} facture${total > 1 ? 's' : ''}, les plus récentes d’abord.`,
  invoiceLine: (number: string, recipient: string, amount: string, status: string, due?: string) =>
    `• ${number} — ${recipient} — ${amount} — ${status}${due ? ` — paiement attendu au plus tard le ${due}` : ''}`,
  invoicesHint: 'Tapez « statut <numéro> » pour le détail d’une facture.',
  invoiceNotFound: (ref: string) =>
    `Aucune facture ni brouillon « ${ref} ». Tapez « mes factures » pour voir la liste.`,
  paymentDue: (date: string) => `Paiement attendu au plus tard le ${date}.`,
  statusComment: (comment: string) => `Commentaire de l’acheteur : ${comment}`,

  // A second PDF while a draft is open.
  secondPdfAsk: (prov: string) =>
    `Est-ce plutôt une pièce jointe de ${prov} (bon de commande, PV de réception…) ? Choisissez « Pièce jointe de ${prov} ».`,
  pendingGone: 'Ce fichier a déjà été traité.',
  discarded: (source: string, target: string) =>
    `Le brouillon ${source} est supprimé : son PDF est joint à ${target}.`,
  actionUnknownDraft: 'Ce brouillon est introuvable dans votre compte.',
  attached: (file: string) => `Pièce jointe ajoutée : « ${file} ». Elle sera envoyée avec la facture.`,
  attachmentsTitle: 'Pièces jointes',
  attachmentLine: (file: string) => `📎 ${file}`,
  attachmentNameTooLong: (file: string) =>
    `Le nom « ${file} » est trop long pour Chorus Pro (50 caractères au plus) : il est raccourci.`,
  draftNotOpen: (prov: string) =>
    `Le brouillon ${prov} n’est plus modifiable : envoyez ce PDF comme nouvelle facture.`,

  // Notifications preference.
  notificationsOff: (account: string) =>
    `Notifications désactivées pour le compte « ${account} ». Tapez « notifications on » pour les réactiver.`,
  notificationsOn: (account: string) =>
    `Notifications activées pour le compte « ${account} » : je vous préviens à chaque changement de statut.`,
  notificationsState: (on: boolean) =>
    on
      ? 'Les notifications sont activées. Tapez « notifications off » pour les couper.'
      : 'Les notifications sont désactivées. Tapez « notifications on » pour les réactiver.',

  // Actions from notifications.
  completeTitle: (invoice: string) => `Compléter la facture ${invoice}`,
  completeAsk: (invoice: string) => [
    `La facture ${invoice} est suspendue par l’acheteur.`,
    'Tapez le commentaire à lui transmettre. Vous pourrez ensuite joindre des pièces (PDF).',
  ],
  completeAttach: (n: number) =>
    n === 0
      ? 'Commentaire noté. Envoyez les pièces justificatives en PDF, ou « envoyer » pour transmettre sans pièce.'
      : `${n} pièce${n > 1 ? 's' : ''} jointe${n > 1 ? 's' : ''}. Envoyez-en d’autres, ou « envoyer » pour transmettre.`,
  completeDone: (invoice: string) =>
    `La facture ${invoice} est complétée : Chorus Pro l’a transmise à nouveau à l’acheteur.`,
  recycleTitle: (invoice: string) => `Corriger le destinataire de ${invoice}`,
  recycleAsk: (invoice: string) => [
    `L’acheteur a renvoyé la facture ${invoice} : le destinataire ou le service est à corriger.`,
    'Tapez le SIRET du bon destinataire (14 chiffres), ou ses premiers chiffres pour chercher.',
  ],
  recycleService: (name: string) => `${name} : choisissez le service, ou tapez son code.`,
  recycleConfirm: (name: string, service?: string) =>
    `Renvoyer la facture à ${name}${service ? `, service ${service}` : ''} ?`,
  recycleDone: (invoice: string, name: string) =>
    `La facture ${invoice} est renvoyée à ${name} : Chorus Pro la redépose avec le même numéro.`,
  recycleNeedsService: 'Ce destinataire exige un code service : choisissez-le.',
  newDraftFromRejected: (invoice: string, prov: string) =>
    `Nouveau brouillon ${prov}, pré-rempli depuis la facture rejetée ${invoice}.`,
  newNumberNeeded: (invoice: string) =>
    `Chorus Pro exige un nouveau numéro : la facture ${invoice} a été rejetée, son numéro ne peut pas être réutilisé.`,
  actionCancelled: 'D’accord, rien n’a été envoyé à Chorus Pro.',
  actionUnknownInvoice: 'Cette facture est introuvable dans votre compte.',
  actionNotAllowed: (invoice: string, status: string) =>
    `La facture ${invoice} est au statut « ${status} » : cette action n’est plus possible.`,
  actionUnavailable: 'Cette action n’est pas encore disponible sur ce serveur Facteur.',
  actionExpectsText: 'Tapez votre réponse, ou « annuler ».',
} as const;

export const AFTER_CHOICES = {
  invoices: 'Mes factures',
  next: 'Suivantes',
  previous: 'Précédentes',
  statusOf: (invoice: string) => `Statut ${invoice}`,
  newInvoice: 'Nouvelle facture',
  attachTo: (prov: string) => `Pièce jointe de ${prov}`,
  send: 'Envoyer',
  cancel: 'Annuler',
  confirmRecycle: 'Renvoyer la facture',
  noService: 'Sans code service',
  notificationsOff: 'Couper les notifications',
  notificationsOn: 'Réactiver les notifications',
  sendPdf: 'Envoyer une facture',
} as const;
