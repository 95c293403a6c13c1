/**
 * Rebuilds lines and reading order from positioned text runs (pdfjs text items).
 *
 * Runs are grouped into lines by baseline; inside a line they are sorted left to right and joined,
 * with a space inserted where the gap between two runs is wider than a fraction of the font size
 * (runs split mid-word, kerning and letter-by-letter output join without one). A wide gap splits a
 * line into *chunks* (table cells, the two columns of a header), which the field finder treats as
 * separate places: a keyword announces a value in its own chunk, in the next chunk to its right,
 * or in the chunk just below it.
 */
import type { Box } from './types.js';
import { canonical, fold } from './text-fold.js';

/** One text run in page coordinates (points, origin top-left, y = baseline). */
export interface TextRun {
  text: string;
  x: number;
  baseline: number;
  width: number;
  fontSize: number;
}

export interface Chunk {
  page: number;
  /** Index of the line on its page (reading order). */
  line: number;
  /** Canonical text (ligatures expanded, spaces plain). */
  text: string;
  /** Accent-free lower-case copy of `text`, same length. */
  folded: string;
  /** Left x of each character of `text` and the right x of the last one (length + 1 entries). */
  xs: number[];
  top: number;
  bottom: number;
  left: number;
  right: number;
  fontSize: number;
}

/** Approximate advance of a character in em (Helvetica/Arial/Liberation proportions). */
function charWeight(c: string): number {
  if (" .,:;!|'’iIjlft()[]/".includes(c)) return 0.28;
  if (c >= '0' && c <= '9') return 0.556;
  if ('mwMW@%'.includes(c)) return 0.86;
  if (c >= 'A' && c <= 'Z') return 0.68;
  if ('rsczvyk-'.includes(c)) return 0.48;
  return 0.556;
}

/** Gap (in font sizes) above which two runs are separated by a space. */
const SPACE_GAP = 0.17;
/** Gap (in font sizes) above which two runs belong to different chunks. */
const CHUNK_GAP = 1.6;

interface Piece {
  text: string;
  x: number;
  right: number;
  fontSize: number;
}

function chunkFrom(pieces: Piece[], page: number, line: number, baseline: number): Chunk | null {
  let text = '';
  const xs: number[] = [];
  let prev: Piece | null = null;
  let maxSize = 0;
  for (const p of pieces) {
    if (prev) {
      const gap = p.x - prev.right;
      const size = Math.max(prev.fontSize, p.fontSize);
      if (gap > SPACE_GAP * size && !text.endsWith(' ') && !p.text.startsWith(' ')) {
        text += ' ';
        xs.push(prev.right);
      }
    }
    // pdfjs gives one width per run: spread it over the characters by their usual relative
    // widths (sans-serif proportions), so boxes around a value inside a long line sit right.
    const weights = Array.from(p.text, charWeight);
    const total = weights.reduce((a, b) => a + b, 0) || 1;
    let acc = 0;
    for (const w of weights) {
      xs.push(p.x + ((p.right - p.x) * acc) / total);
      acc += w;
    }
    text += p.text;
    maxSize = Math.max(maxSize, p.fontSize);
    prev = p;
  }
  // Trim spaces at both ends while keeping xs aligned.
  let start = 0;
  let end = text.length;
  while (start < end && text.charAt(start) === ' ') start++;
  while (end > start && text.charAt(end - 1) === ' ') end--;
  if (start === end || !prev) return null;
  const last = pieces[pieces.length - 1] as Piece;
  const trimmed = text.slice(start, end);
  const xsTrimmed = xs.slice(start, end);
  xsTrimmed.push(end === text.length ? last.right : (xs[end] ?? last.right));
  return {
    page,
    line,
    text: trimmed,
    folded: fold(trimmed),
    xs: xsTrimmed,
    top: baseline - maxSize * 0.85,
    bottom: baseline + maxSize * 0.25,
    left: xsTrimmed[0] as number,
    right: xsTrimmed[xsTrimmed.length - 1] as number,
    fontSize: maxSize,
  };
}

/** Groups runs into lines and chunks, in reading order (top to bottom, left to right). */
export function buildChunks(runs: TextRun[], page: number): Chunk[] {
  const usable = runs
    .filter((r) => r.fontSize > 0.5 && r.text.length > 0)
    .sort((a, b) => a.baseline - b.baseline || a.x - b.x);
  const lines: TextRun[][] = [];
  let current: TextRun[] = [];
  let lineBaseline = Number.NEGATIVE_INFINITY;
  let lineSize = 0;
  for (const r of usable) {
    const tolerance = 0.4 * Math.min(lineSize || r.fontSize, r.fontSize);
    if (current.length > 0 && r.baseline - lineBaseline <= tolerance) {
      current.push(r);
    } else {
      if (current.length > 0) lines.push(current);
      current = [r];
      lineBaseline = r.baseline;
      lineSize = r.fontSize;
    }
  }
  if (current.length > 0) lines.push(current);

  const chunks: Chunk[] = [];
  lines.forEach((lineRuns, lineIndex) => {
    lineRuns.sort((a, b) => a.x - b.x);
    const baseline = lineRuns.reduce((s, r) => s + r.baseline, 0) / lineRuns.length;
    let pieces: Piece[] = [];
    let lastRight = Number.NEGATIVE_INFINITY;
    let prev: TextRun | null = null;
    for (const r of lineRuns) {
      // Fake bold: the same text drawn twice a fraction of a point apart is read once.
      if (
        prev &&
        prev.text === r.text &&
        Math.abs(prev.x - r.x) < 1.5 &&
        Math.abs(prev.baseline - r.baseline) < 1
      )
        continue;
      prev = r;
      const text = canonical(r.text);
      if (text.trim().length === 0) continue;
      const piece = { text, x: r.x, right: r.x + r.width, fontSize: r.fontSize };
      if (pieces.length > 0 && r.x - lastRight > CHUNK_GAP * r.fontSize) {
        const c = chunkFrom(pieces, page, lineIndex, baseline);
        if (c) chunks.push(c);
        pieces = [];
      }
      pieces.push(piece);
      lastRight = Math.max(lastRight, piece.right);
    }
    const c = chunkFrom(pieces, page, lineIndex, baseline);
    if (c) chunks.push(c);
  });
  return chunks;
}

/** The box covering characters [start, end) of a chunk. */
export function spanBox(chunk: Chunk, start: number, end: number): Box {
  const x0 = chunk.xs[Math.max(0, Math.min(start, chunk.xs.length - 1))] as number;
  const x1 = chunk.xs[Math.max(0, Math.min(end, chunk.xs.length - 1))] as number;
  return { x: x0, y: chunk.top, width: Math.max(1, x1 - x0), height: chunk.bottom - chunk.top };
}

export function unionBox(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}
