/**
 * Every French sentence of the follow-up: status notifications with their next step, payment
 * deadline, late-payment interest and the ready-to-send reminder. Short, concrete, for a phone.
 */
import { formatCents } from '../machine/format.js';
import { frenchDate } from './calendar.js';

const eur = (cents: number, currency = 'EUR') => formatCents(cents, currency);
const percent = (bp: number) => `${(bp / 100).toFixed(2).replace('.', ',')} %`;

export const FOLLOW_UP_TEXT = {
  buttons: {
    complete: 'Compléter',
    fixRecipient: 'Corriger le destinataire',
    newInvoice: 'Préparer une nouvelle facture',
    reminder: 'Texte de relance',
    status: 'Voir le suivi',
  },
  paymentDueBy: (day: string) => `paiement attendu au plus tard le ${frenchDate(day)}`,
  paymentDueLine: (day: string, days: number, estimated: boolean) =>
    `Paiement attendu au plus tard le ${frenchDate(day)} (délai légal de ${days} jours${
      estimated ? ', compté dès que le destinataire la reçoit' : ''
    }).`,
  invoiceRef: (number: string, amountCents: number, currency: string) =>
    `Facture ${number} (${eur(amountCents, currency)} TTC)`,
  buyer: (name: string | undefined, siret: string) => name ?? `SIRET ${siret}`,
  reason: (comment: string) => `Motif donné par le destinataire : « ${comment} »`,
  noReason: 'Le destinataire n’a pas donné de motif : demandez-le-lui.',
  interrupted: 'Le délai de paiement est suspendu : il repart quand vous complétez la facture.',
  nothingToDo: 'Rien à faire de votre côté : Facteur vous préviendra de la suite.',
  titles: {
    MISE_A_DISPOSITION: (n: string) => `Facture ${n} reçue par le destinataire`,
    PRISE_EN_COMPTE_DESTINATAIRE: (n: string) => `Facture ${n} prise en compte`,
    SUSPENDUE: (n: string) => `Facture ${n} suspendue`,
    COMPLETEE: (n: string) => `Facture ${n} complétée`,
    A_RECYCLER: (n: string) => `Facture ${n} à recycler`,
    REJETEE: (n: string) => `Facture ${n} rejetée`,
    SERVICE_FAIT: (n: string) => `Facture ${n} : service fait`,
    MANDATEE: (n: string) => `Facture ${n} mandatée`,
    MISE_A_DISPOSITION_COMPTABLE: (n: string) => `Facture ${n} chez le comptable public`,
    COMPTABILISEE: (n: string) => `Facture ${n} comptabilisée`,
    MISE_EN_PAIEMENT: (n: string) => `Facture ${n} : paiement en cours`,
    ABANDONNEE: (n: string) => `Facture ${n} abandonnée`,
    SUPPRIMEE: (n: string) => `Facture ${n} supprimée`,
    other: (n: string, label: string) => `Facture ${n} : ${label}`,
    deadline: (n: string) => `Facture ${n} : paiement en retard`,
  } as Record<string, (n: string, label: string) => string>,
  body: {
    MISE_A_DISPOSITION: (buyer: string, day: string) =>
      `${buyer} l’a reçue dans son espace Chorus Pro le ${frenchDate(day)}.`,
    PRISE_EN_COMPTE_DESTINATAIRE: (buyer: string) => `${buyer} a commencé à la traiter.`,
    SUSPENDUE: (buyer: string) =>
      `${buyer} a suspendu la facture : il lui manque une information ou une pièce.`,
    suspendedNext:
      'Prochaine étape : « Compléter » pour répondre (un commentaire et, si besoin, des pièces jointes : bon de livraison, PV de réception…).',
    COMPLETEE: 'Votre réponse est transmise : le destinataire reprend le traitement de la facture.',
    A_RECYCLER: (buyer: string) =>
      `${buyer} indique que la facture n’est pas adressée au bon destinataire ou au bon service.`,
    recycleNext:
      'Prochaine étape : « Corriger le destinataire » (autre SIRET ou code service). La facture garde son numéro.',
    REJETEE: (buyer: string) => `${buyer} a rejeté la facture. Ce rejet est définitif.`,
    rejectedNext:
      'Prochaine étape : « Préparer une nouvelle facture », avec un nouveau numéro (Chorus Pro refuse de réutiliser celui-ci).',
    SERVICE_FAIT: 'Le destinataire a certifié que la prestation a bien été faite.',
    MANDATEE: 'Le destinataire a émis l’ordre de payer : la facture part chez le comptable public.',
    MISE_A_DISPOSITION_COMPTABLE: 'La facture est chez le comptable public, qui va la payer.',
    COMPTABILISEE: 'Le comptable public a enregistré la facture ; le paiement suit.',
    MISE_EN_PAIEMENT: (day: string) =>
      `Paiement en cours : le comptable public a mis la facture en paiement le ${frenchDate(day)}. Le virement arrive en général sous quelques jours.`,
    paidOnTime: 'Payée dans le délai légal. Le suivi de cette facture est terminé.',
    ABANDONNEE: 'La facture a été abandonnée sur Chorus Pro. Le suivi est terminé.',
    SUPPRIMEE: 'La facture a été supprimée de Chorus Pro. Le suivi est terminé.',
    other: (label: string) => `Nouveau statut sur Chorus Pro : ${label}.`,
  } as const,
  late: {
    overdue: (number: string, day: string) =>
      `La facture ${number} devait être payée au plus tard le ${frenchDate(day)}, et Chorus Pro n’indique aucun paiement.`,
    paidLate: (days: number) => `Payée avec ${days} jour${days > 1 ? 's' : ''} de retard.`,
    owed: (interestCents: number, days: number, rateBp: number, totalCents: number) =>
      `Vous avez droit à ${eur(interestCents)} d’intérêts moratoires (${days} jour${days > 1 ? 's' : ''} à ${percent(rateBp)}) et à l’indemnité forfaitaire de 40,00 € : ${eur(totalCents)} au total${''}.`,
    accruing: 'Les intérêts continuent de courir chaque jour jusqu’au paiement.',
    explanation:
      'Ils sont dus de plein droit, sans avoir à les réclamer (code de la commande publique, L2192-13) ; l’acheteur doit les payer dans les 45 jours suivant le paiement de la facture.',
    rateAssumed: 'Taux du semestre estimé (taux BCE du semestre non connu de Facteur).',
    reminderNext: 'Prochaine étape : « Texte de relance » pour un courrier prêt à envoyer.',
  },
  reminderIntro: 'Texte de relance, prêt à copier dans un courrier ou un e-mail à l’acheteur :',
  reminderUnknown: 'Je ne trouve pas cette facture dans le suivi : tapez « mes factures » pour la retrouver.',
  reminderNotLate: (dueBy: string) =>
    `Cette facture n’est pas en retard de paiement (paiement attendu au plus tard le ${frenchDate(dueBy)}) : pas de relance à envoyer.`,
  reminder: (p: {
    invoiceNumber: string;
    buyer: string;
    amountCents: number;
    currency: string;
    depositedOn: string;
    dueBy: string;
    daysLate: number;
    rateBp: number;
    interestCents: number;
    totalCents: number;
    paid: boolean;
  }) =>
    [
      `Objet : facture ${p.invoiceNumber} – ${p.paid ? 'intérêts moratoires' : 'retard de paiement'}`,
      '',
      'Madame, Monsieur,',
      '',
      `Ma facture ${p.invoiceNumber} d’un montant de ${eur(p.amountCents, p.currency)} TTC, déposée sur Chorus Pro le ${frenchDate(p.depositedOn)}, devait être payée au plus tard le ${frenchDate(p.dueBy)}.`,
      p.paid
        ? `Elle a été payée avec ${p.daysLate} jours de retard.`
        : `À ce jour, soit ${p.daysLate} jours après cette échéance, je n’ai pas reçu son paiement : je vous remercie de bien vouloir y procéder.`,
      `Conformément aux articles L2192-13, R2192-31 et D2192-35 du code de la commande publique, ce retard fait courir de plein droit des intérêts moratoires au taux de ${percent(p.rateBp)}, soit ${eur(p.interestCents)}${p.paid ? '' : ' à ce jour'}, ainsi que l’indemnité forfaitaire pour frais de recouvrement de 40,00 €, soit ${eur(p.totalCents)} au total.`,
      'Je vous remercie de procéder à leur paiement dans les meilleurs délais.',
      '',
      'Je vous prie d’agréer, Madame, Monsieur, mes salutations distinguées.',
    ].join('\n'),
  cli: {
    changed: (number: string, from: string, to: string) => `  ${number} : ${from} → ${to}`,
    none: 'Aucun changement.',
    summary: (accounts: number, calls: number, changes: number, ms: number) =>
      `${accounts} compte(s) interrogé(s), ${calls} appel(s) à Chorus Pro, ${changes} changement(s), ${ms} ms.`,
    account: (name: string) => `Compte ${name} :`,
    failed: (name: string, message: string) => `Compte ${name} : échec (${message}), nouvel essai plus tard.`,
    noInvoices: 'Aucune facture suivie.',
  },
} as const;
