/**
 * What the test hook (`facteur simulator status ID STATUT [--comment …]`) may set, and the reason
 * a buyer gives when the hook gives none: Chorus Pro requires a reason for a suspension or a
 * rejection (after-deposit.md §1), so the simulator never leaves one without.
 */

/** The statuses an invoice can take after its deposit (chorus-pro-api.md §8.3, supplier side). */
export const MOVABLE_STATUSES = [
  'DEPOSEE',
  'EN_COURS_ACHEMINEMENT',
  'MISE_A_DISPOSITION',
  'PRISE_EN_COMPTE_DESTINATAIRE',
  'A_RECYCLER',
  'SUSPENDUE',
  'COMPLETEE',
  'REJETEE',
  'SERVICE_FAIT',
  'MANDATEE',
  'MISE_A_DISPOSITION_COMPTABLE',
  'COMPTABILISEE',
  'MISE_EN_PAIEMENT',
  'ABANDONNEE',
  'SUPPRIMEE',
] as const;

export const DEFAULT_REASONS: Partial<Record<string, string>> = {
  SUSPENDUE: 'Pièce justificative manquante : merci de joindre le bon de livraison signé.',
  REJETEE: 'Facture rejetée : le cadre de facturation ne correspond pas au marché.',
  A_RECYCLER: 'Le service destinataire indiqué ne traite pas cette facture.',
  MISE_EN_PAIEMENT: 'Paiement par virement.',
};

/** The status code to set (upper-cased), or an error message for an unknown one. */
export function checkMove(status: string): { status: string } | { error: string } {
  const code = status.trim().toUpperCase();
  if (!(MOVABLE_STATUSES as readonly string[]).includes(code))
    return { error: `statut inconnu « ${status} » (possibles : ${MOVABLE_STATUSES.join(', ')})` };
  return { status: code };
}
