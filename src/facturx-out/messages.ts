/** French text of the Factur-X production (issue #13). */
import type { LinesProblem } from './lines-check.js';
import { formatEuros } from '../deposit/money.js';

/** BT-120 of a franchise-en-base invoice (art. 293 B du CGI). */
export const FRANCHISE_REASON = 'TVA non applicable, art. 293 B du CGI';

/** BT-20 when no due date is known (BR-CO-25 wants one of the two). */
export const DEFAULT_PAYMENT_TERMS = 'Paiement selon les conditions de la facture';

/** The one sentence that comes with the file. */
export const FACTURX_PURPOSE =
  'Voici votre facture au format Factur-X : le même PDF, avec ses données lisibles par le logiciel de votre client (obligatoire entre entreprises dès septembre 2027).';

export const MSG = {
  xmlInvalid:
    'Le Factur-X produit ne passe pas les contrôles officiels : il n’a pas été envoyé. L’erreur est enregistrée pour être corrigée.',
  pdfaBlocked: (reasons: string) =>
    `Ce PDF ne peut pas devenir un PDF/A-3 sans être réécrit (${reasons}). Installez Ghostscript sur la machine de Facteur, ou exportez la facture en « PDF/A » depuis votre logiciel, puis renvoyez-la.`,
  ghostscriptFailed:
    'La conversion du PDF en PDF/A-3 a échoué (Ghostscript). Exportez la facture en « PDF/A » depuis votre logiciel, puis renvoyez-la.',
  structureFailed: (checks: string) =>
    `Le PDF/A-3 produit ne respecte pas : ${checks}. Il n’a pas été envoyé.`,
  notAPdf: 'Ce fichier n’est pas un PDF lisible.',
  linesInconsistent: 'Les lignes lues ne correspondent pas aux totaux confirmés.',
} as const;

export function describeLinesProblem(p: LinesProblem): string {
  switch (p.code) {
    case 'no-lines':
      return 'aucune ligne n’a été lue';
    case 'line-invalid':
      return `la ligne ${p.index + 1} est incomplète`;
    case 'line-product':
      return `ligne ${p.index + 1} : quantité × prix unitaire = ${formatEuros(p.expectedCents)}, pas le montant lu`;
    case 'sum-differs':
      return `les lignes font ${formatEuros(p.linesCents)} HT, la facture ${formatEuros(p.totalExclTaxCents)} HT`;
    case 'vat-differs':
      return `la TVA des lignes fait ${formatEuros(p.computedCents)}, la facture ${formatEuros(p.totalTaxCents)}`;
    case 'ttc-differs':
      return `HT + TVA = ${formatEuros(p.computedCents)}, mais le TTC confirmé est ${formatEuros(p.totalInclTaxCents)}`;
    case 'franchise-rate':
      return `la ligne ${p.index + 1} porte un taux de TVA alors que la facture est sans TVA`;
  }
}
