/** French sentences of the flux deposit (Factur-X through `deposer/flux`). */
export const FLUX_MESSAGES = {
  notFacturx: 'Ce PDF ne contient pas de Factur-X : il ne peut pas être déposé comme un flux.',
  xmlInvalid: (count: number) =>
    `Le Factur-X de ce PDF ne respecte pas la norme (${count} erreur${count > 1 ? 's' : ''}) : Chorus Pro le rejetterait.`,
  profileRefused: (profile: string) =>
    `Le profil Factur-X ${profile} n’est pas accepté par Chorus Pro comme une facture.`,
  contradiction: (fields: string) =>
    `Le Factur-X ne dit pas la même chose que ce que vous avez confirmé (${fields}) : il ne sera pas déposé tel quel.`,
  rejected: 'Chorus Pro a rejeté le flux Factur-X',
  incident:
    'Chorus Pro n’a pas pu traiter le flux Factur-X (incident de son côté) : il faut le déposer à nouveau.',
  pending: (flux: string) =>
    `Le flux n° ${flux} est toujours en cours de traitement chez Chorus Pro. Réessayez dans quelques minutes : son suivi reprendra, il ne sera pas redéposé.`,
  technicalError: (code: string, text: string) => (code ? `${text} (erreur ${code})` : text),
} as const;

/** How a confirmed field reads in « the XML disagrees on … ». */
export const FLUX_FIELD_LABELS: Record<string, string> = {
  invoiceNumber: 'numéro de facture',
  invoiceDate: 'date',
  invoiceType: 'type',
  recipientSiret: 'SIRET du destinataire',
  serviceCode: 'code service',
  engagementNumber: 'numéro d’engagement',
  marketNumber: 'numéro de marché',
  currency: 'devise',
  totalExclTaxCents: 'montant HT',
  totalTaxCents: 'montant TVA',
  totalInclTaxCents: 'montant TTC',
};
