/**
 * Geometric look-ups between chunks (layout.ts): the next cell to the right on the same line, and
 * the cell below a label in the same table column (a header row with its values in the row
 * below, possibly after a wrapped label line or a line of another column).
 */
import type { Chunk } from './layout.js';

/** A place where a value may start: a chunk and a character index in it. */
export interface Cell {
  chunk: Chunk;
  start: number;
}

/** How far below a label its value may sit, in font sizes of the label. */
const BELOW_REACH = 4.2;
/** How far the next row of a column may sit below the previous one, in font sizes. */
const ROW_REACH = 2.4;

export class ChunkIndex {
  /** Chunks per page, each page's list in reading order; lines by page:line. */
  private readonly byLine = new Map<string, Chunk[]>();
  private readonly lastLine = new Map<number, number>();

  constructor(chunks: Chunk[]) {
    for (const c of chunks) {
      const key = `${c.page}:${c.line}`;
      const list = this.byLine.get(key);
      if (list) list.push(c);
      else this.byLine.set(key, [c]);
      if ((this.lastLine.get(c.page) ?? -1) < c.line) this.lastLine.set(c.page, c.line);
    }
  }

  line(page: number, line: number): Chunk[] | undefined {
    return this.byLine.get(`${page}:${line}`);
  }

  /** The nearest chunk to the right of `c` on its line. */
  rightOf(c: Chunk): Chunk | undefined {
    return this.line(c.page, c.line)?.find((o) => o.left >= c.right - 0.5 && o !== c);
  }

  /**
   * The cells below a label spanning [x0, x1] of `c`, nearest first: the label's column reaches
   * halfway to the neighbouring words of its line (header cells are often narrower than their
   * values, or offset from them); in each following line within reach, the word of a chunk that
   * overlaps the column most is a cell. Lines with nothing in the column are skipped.
   */
  *cellsBelow(c: Chunk, x0: number, x1: number, rows = false): Generator<Cell> {
    const fs = c.fontSize;
    let lo = x0 - 2 * fs;
    let hi = x1 + 2 * fs;
    for (const o of this.line(c.page, c.line) ?? []) {
      forEachWord(o, (wl, wr) => {
        if (wr <= x0 - 0.5) lo = Math.max(lo, (wr + x0) / 2);
        else if (wl >= x1 + 0.5) hi = Math.min(hi, (x1 + wl) / 2);
      });
    }
    const last = this.lastLine.get(c.page) ?? c.line;
    let reach = c.bottom + BELOW_REACH * fs;
    for (let line = c.line + 1; line <= last; line++) {
      const list = this.line(c.page, line);
      if (!list || list.length === 0) continue;
      if ((list[0] as Chunk).top > reach) return;
      for (const o of list) {
        if (o.right < lo || o.left > hi) continue;
        const start = bestWordIn(o, lo, hi);
        if (start < 0) continue;
        yield { chunk: o, start };
        // Down a column: each row within reach of the previous one.
        if (rows) reach = o.bottom + ROW_REACH * fs;
      }
    }
  }
}

/** Calls `fn` with the extent of each space-separated word of a chunk. */
function forEachWord(c: Chunk, fn: (left: number, right: number, start: number) => void): void {
  const text = c.text;
  let i = 0;
  while (i < text.length) {
    let end = text.indexOf(' ', i);
    if (end < 0) end = text.length;
    fn(c.xs[i] as number, c.xs[end] as number, i);
    i = end + 1;
  }
}

/**
 * Start of the word of `c` overlapping [lo, hi] most, moved back over the digit groups printed
 * before it (`2 141,46`: the whole amount, not its last group); -1 when none overlaps.
 */
function bestWordIn(c: Chunk, lo: number, hi: number): number {
  let best = -1;
  let bestOverlap = 0;
  forEachWord(c, (wl, wr, start) => {
    const overlap = Math.min(wr, hi) - Math.max(wl, lo);
    if (overlap > bestOverlap) {
      best = start;
      bestOverlap = overlap;
    }
  });
  if (best < 0) return -1;
  const text = c.text;
  if (!/\d/.test(text.charAt(best))) return best;
  let start = best;
  while (start >= 2 && text.charAt(start - 1) === ' ') {
    let s = start - 2;
    while (s >= 0 && /\d/.test(text.charAt(s))) s--;
    const group = start - 2 - s;
    if (group < 1 || group > 3 || (s >= 0 && text.charAt(s) !== ' ' && text.charAt(s) !== '-')) break;
    start = s + 1;
  }
  return start;
}
