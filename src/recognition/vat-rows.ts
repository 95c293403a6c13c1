/**
 * A VAT line per rate printed with its base (`TVA à 20 % | 1 176,28 € | 235,26 €`): the first
 * amount after the rate is the base, the VAT amount is the one that equals base × rate (within a
 * cent or 1 %). Without such a pair the first amount stays.
 */
import type { Chunk } from './layout.js';
import type { ChunkIndex } from './chunk-index.js';
import { readAmount } from './values.js';

export interface RowAmount {
  chunk: Chunk;
  start: number;
  end: number;
  cents: number;
  currency: string | null;
}

/** The next amount after `end` in `chunk`, or at the start of the next cell to its right. */
function nextAmount(chunk: Chunk, end: number, index: ChunkIndex): RowAmount | null {
  let pos = end;
  while (pos < chunk.text.length && chunk.text.charAt(pos) === ' ') pos++;
  if (pos < chunk.text.length) {
    const a = readAmount(chunk.text, pos);
    return a ? { chunk, start: pos, end: a.end, cents: a.value.cents, currency: a.value.currency } : null;
  }
  const right = index.rightOf(chunk);
  if (!right) return null;
  const a = readAmount(right.text, 0);
  return a ? { chunk: right, start: 0, end: a.end, cents: a.value.cents, currency: a.value.currency } : null;
}

/** The VAT amount of a rate row whose first amount (`baseCents`) is its base, or null. */
export function vatAfterBase(
  chunk: Chunk,
  end: number,
  baseCents: number,
  rate: string,
  index: ChunkIndex,
): RowAmount | null {
  const r = Number(rate.replace(',', '.'));
  if (!(r > 0) || r >= 100) return null;
  const next = nextAmount(chunk, end, index);
  if (!next) return null;
  const expected = (baseCents * r) / 100;
  const tolerance = Math.max(1.5, Math.abs(expected) * 0.01);
  return Math.abs(next.cents - expected) <= tolerance ? next : null;
}
