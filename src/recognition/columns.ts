/**
 * A column of amounts under a total's header (`Montant TVA` over one row per VAT rate): the sum of
 * its rows is a candidate for the total too (`Base HT | Taux | Montant TVA | Total TTC` summary
 * tables). The rows are read down the column while each one holds an amount.
 */
import type { Chunk } from './layout.js';
import type { ChunkIndex } from './chunk-index.js';
import { readAmount } from './values.js';

const MAX_ROWS = 12;

/** The sum of the amounts down the column under [x0, x1] of `header`, when there are two or more. */
export function columnTotal(
  header: Chunk,
  x0: number,
  x1: number,
  index: ChunkIndex,
): { cents: number; rows: number; last: Chunk } | null {
  let cents = 0;
  let rows = 0;
  let last: Chunk | null = null;
  for (const cell of index.cellsBelow(header, x0, x1, true)) {
    if (cell.chunk === last) continue;
    const a = readAmount(cell.chunk.text, cell.start);
    // A percentage is a rate column, not amounts.
    if (!a || /^ ?%/.test(cell.chunk.text.slice(a.end, a.end + 2))) break;
    cents += a.value.cents;
    rows++;
    last = cell.chunk;
    if (rows >= MAX_ROWS) break;
  }
  return rows >= 2 && last ? { cents, rows, last } : null;
}
