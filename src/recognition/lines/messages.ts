/** The French sentences of the line check (shown to the freelancer when the lines do not add up). */
import type { LineIssueCode } from './types.js';

/** `125000` → `1 250,00 €` (narrow no-break space groups, as French prints money). */
export function euros(cents: number): string {
  const abs = Math.abs(cents);
  const units = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return `${cents < 0 ? '-' : ''}${units},${String(abs % 100).padStart(2, '0')}\u00a0€`;
}

export interface LineMessageContext {
  expectedCents?: number;
  foundCents?: number;
  rate?: string;
  description?: string;
}

export function lineIssueMessage(code: LineIssueCode, ctx: LineMessageContext = {}): string {
  const found = ctx.foundCents !== undefined ? euros(ctx.foundCents) : '?';
  const expected = ctx.expectedCents !== undefined ? euros(ctx.expectedCents) : '?';
  switch (code) {
    case 'no-lines':
      return 'Aucune ligne de facture lue (tableau désignation / quantité / montant) dans les 3 premières pages.';
    case 'no-total':
      return 'Total HT introuvable : impossible de vérifier les lignes.';
    case 'sum-mismatch':
      return `Les lignes lues totalisent ${found} HT, la facture indique ${expected} HT.`;
    case 'vat-mismatch':
      return `La TVA calculée ligne par ligne fait ${found}, la facture indique ${expected}.`;
    case 'vat-rate-unknown':
      return `Taux de TVA inconnu pour la ligne « ${ctx.description ?? '?'} ».`;
  }
}
