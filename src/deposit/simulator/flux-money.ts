/** Cents → the API's decimal euros (exact for two decimals). */
export function centsToAmount(cents: number): number {
  return Number((cents / 100).toFixed(2));
}
