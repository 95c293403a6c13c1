/**
 * Header cells whose label wraps onto a second line (`Date de` / `facture`, `Date` /
 * `d’échéance`): the two pieces are read as one label, so that « Date de facture » announces the
 * issue date and « Date d’échéance » stays a due date. The joined chunk sits on the second line,
 * so the values are looked for under it.
 */
import type { Chunk } from './layout.js';
import type { ChunkIndex } from './chunk-index.js';

/** Short, letters only (a label, not a value). */
const LABEL_PIECE = /^[\p{L}'’°./() -]{1,30}$/u;
/** The first piece stops mid-label, or the second one goes on with its complement. */
const OPEN_END = /(?:\b(?:de|du|des|d'|la|le|l'|n ?°|no)|[/-])$/;
const CONTINUES = /^(?:de|du|des|d')\b/;

export interface WrappedLabels {
  /** First piece → the joined label. */
  joined: Map<Chunk, Chunk>;
  /** Second pieces, read only as part of their joined label. */
  continuations: Set<Chunk>;
}

export function findWrappedLabels(chunks: Chunk[], index: ChunkIndex): WrappedLabels {
  const joined = new Map<Chunk, Chunk>();
  const continuations = new Set<Chunk>();
  for (const a of chunks) {
    if (!LABEL_PIECE.test(a.text)) continue;
    const next = index.line(a.page, a.line + 1);
    if (!next) continue;
    const b = next.find((o) => Math.abs(o.left - a.left) <= 2 && Math.abs(o.fontSize - a.fontSize) < 0.5);
    if (!b || continuations.has(a) || !LABEL_PIECE.test(b.text)) continue;
    if (!OPEN_END.test(a.folded) && !CONTINUES.test(b.folded)) continue;
    if (b.top - a.bottom > 0.8 * a.fontSize) continue;
    // Both pieces belong to a header row: other labels (no values) sit beside the first one.
    const right = index.rightOf(a);
    if (!right || /\d/.test(right.text)) continue;
    joined.set(a, join(a, b));
    continuations.add(b);
  }
  return { joined, continuations };
}

function join(a: Chunk, b: Chunk): Chunk {
  const text = `${a.text} ${b.text}`;
  return {
    page: a.page,
    line: b.line,
    text,
    folded: `${a.folded} ${b.folded}`,
    xs: [...a.xs.slice(0, -1), a.right, ...b.xs],
    top: a.top,
    bottom: b.bottom,
    left: Math.min(a.left, b.left),
    right: Math.max(a.right, b.right),
    fontSize: a.fontSize,
  };
}
