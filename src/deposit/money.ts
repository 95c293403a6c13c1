/**
 * Facteur counts in integer cents; Chorus Pro speaks decimal numbers. Conversions happen only here,
 * at the wire boundary.
 */
export function centsToAmount(cents: number): number {
  return Math.round(cents) / 100;
}

export function amountToCents(amount: number): number {
  return Math.round(amount * 100);
}

/** VAT rate in percent with 2 decimals (20, 5.5, 0) from the totals; 0 when there is no base. */
export function vatRatePercent(exclTaxCents: number, taxCents: number): number {
  if (exclTaxCents <= 0) return 0;
  return Math.round((taxCents * 10_000) / exclTaxCents) / 100;
}

/** « 1 234,56 € » with plain spaces (pdf-lib's standard fonts have no narrow no-break space). */
export function formatEuros(cents: number, currency = 'EUR'): string {
  const formatted = new Intl.NumberFormat('fr-FR', { style: 'currency', currency }).format(cents / 100);
  return formatted.replace(/[\u202f\u00a0]/g, ' ');
}
