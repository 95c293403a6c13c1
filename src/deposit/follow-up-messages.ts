/** French sentences of the after-deposit operations (completer, recycler, ajouter/fichier). */
export const FOLLOW_UP_MESSAGES = {
  attachmentTooLarge: 'Cette pièce jointe dépasse 10 Mo, la limite de Chorus Pro.',
  attachmentEmpty: 'Cette pièce jointe est vide.',
  attachmentExtension: (ext: string) =>
    `Chorus Pro n’accepte pas les fichiers .${ext.toLowerCase()} : envoyez un PDF, une image ou un document bureautique.`,
  completeNeedsSomething: 'Ajoutez un commentaire ou au moins une pièce jointe pour compléter la facture.',
  commentTooLong: 'Le commentaire dépasse 1 000 caractères : raccourcissez-le.',
  recipientSiret: 'Le SIRET du destinataire doit faire 14 chiffres.',
  notSuspended: 'Cette facture n’est pas suspendue : il n’y a rien à compléter.',
  notToRecycle: 'Cette facture n’est pas « à recycler » : son destinataire ne peut pas être changé.',
} as const;
