/**
 * Document-wide hints read once over every chunk: the VAT regime's mention (franchise art. 293 B,
 * exemption, VAT on debits) and whether the document's digit dates are month first.
 */
import type { Chunk } from './layout.js';
import type { FieldScan } from './fields.js';

const REGIMES: Array<{ re: RegExp; regime: NonNullable<FieldScan['vatRegime']> }> = [
  { re: /tva non applicable|293 ?b/, regime: 'SANS_TVA' },
  { re: /exonerat|exonere|vat exemption|exempt(?:ed)? (?:from|of) vat/, regime: 'EXONERATION' },
  {
    re: /paiement de la taxe d'apres les debits|tva (?:payee |acquittee )?sur les debits/,
    regime: 'TVA_SUR_DEBIT',
  },
];

export function regimeOf(
  folded: string,
): { regime: NonNullable<FieldScan['vatRegime']>; index: number } | null {
  for (const r of REGIMES) {
    const m = r.re.exec(folded);
    if (m) {
      // The whole mention, from its start (`TVA non applicable, art. 293 B`).
      const start =
        folded.lastIndexOf('tva', m.index) >= 0 && m.index - folded.lastIndexOf('tva', m.index) < 30
          ? folded.lastIndexOf('tva', m.index)
          : m.index;
      return { regime: r.regime, index: start };
    }
  }
  return null;
}

const DIGIT_DATE = /(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](?:\d{4}|\d{2})(?!\d)/g;

/** True when some digit date can only be month first and none can only be day first. */
export function isMonthFirst(chunks: Chunk[]): boolean {
  let monthFirst = false;
  for (const c of chunks) {
    if (!/\d[/.-]\d/.test(c.text)) continue;
    for (const m of c.text.matchAll(DIGIT_DATE)) {
      const a = Number(m[1]);
      const b = Number(m[2]);
      if (a > 12 && b <= 12) return false;
      if (b > 12 && a <= 12) monthFirst = true;
    }
  }
  return monthFirst;
}
