/** French sentences of the Factur-X part of the conversation (reading, choosing, flux deposit). */
export const FACTURX_TEXT = {
  mismatchesIntro: 'Points à vérifier — la page imprimée et le Factur-X ne disent pas la même chose :',
  mismatch: (label: string, printed: string, xml: string) =>
    `• ${label} : ${printed} sur la page, ${xml} dans le Factur-X (valeur retenue : celle du Factur-X)`,
  asFlux:
    'La facture sera déposée comme flux Factur-X : Chorus Pro lira ces données exactes, sans reconnaissance.',
  plain: {
    invalid: (n: number) =>
      `Le Factur-X n’est pas valide (${n} erreur${n > 1 ? 's' : ''}) : la facture sera déposée en PDF simple (sans le XML), avec les valeurs que vous confirmez.`,
    profile: (profile: string) =>
      `Le profil ${profile} n’est pas accepté par Chorus Pro comme facture : la facture sera déposée en PDF simple (sans le XML), avec les valeurs que vous confirmez.`,
    mismatch:
      'Comme la page et le Factur-X diffèrent, la facture sera déposée en PDF simple (sans le XML), avec les valeurs que vous confirmez.',
    differs: (labels: string) =>
      `Vos valeurs diffèrent du Factur-X (${labels}) : la facture sera déposée en PDF simple (sans le XML), avec vos valeurs.`,
    chosen: 'Vous avez choisi le dépôt en PDF simple (sans le XML), avec les valeurs que vous confirmez.',
  },
  conflict: (label: string, xml: string) =>
    `Le Factur-X indique ${label} : ${xml}. Avec votre correction, ses données ne diront plus la même chose que le dépôt : choisissez.`,
  conflictAbsent: (label: string) =>
    `Le Factur-X ne contient pas ce champ (${label}) : avec cette valeur, la facture sera déposée en PDF simple.`,
  keepXml: (xml: string) => `Garder ${xml} (Factur-X)`,
  usePlainPdf: 'PDF simple avec ma correction',
  submittingFlux: 'J’envoie le flux Factur-X à Chorus Pro et je suis son intégration…',
  rejectedTitle: 'Flux Factur-X rejeté par Chorus Pro',
  incidentTitle: 'Flux Factur-X non traité par Chorus Pro',
  rejectedIntro: 'Chorus Pro a rejeté le flux Factur-X. Ses raisons :',
  rejectedNext:
    'Le brouillon reste ouvert. Vous pouvez déposer le PDF seul (sans le XML) avec vos valeurs, ou corriger la facture.',
  incidentNext: 'Le brouillon reste ouvert : vous pouvez renvoyer le flux sans risque de doublon.',
  plainPdfChoice: 'Déposer en PDF simple',
  resendChoice: 'Renvoyer le flux',
  receiptFlux: (flux: string) => `Flux Factur-X : n° ${flux} (intégré)`,
} as const;
