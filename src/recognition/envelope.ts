/**
 * The unlabelled addressee block in the envelope-window position of page 1: a few lines aligned on
 * one left edge, in the upper part of the page, ending with a postal-code line (`75001 PARIS`,
 * `D02 XA00 Dublin`, a country), holding no supplier marker (SIRET, capital, phone, e-mail…).
 * French windows sit on the right half; DIN windows on the left, under a small sender line.
 */
import type { Chunk } from './layout.js';
import type { ChunkIndex } from './chunk-index.js';

interface Group {
  left: number;
  lines: Chunk[];
}

const POSTAL =
  /(?:^|[\s,])(?:\d{5}|\d{4}|[a-z]{1,2}\d{1,2}[a-z]? ?\d[a-z]{2}|[a-z]\d{2} ?[a-z0-9]{4})\s+\p{L}|\b(?:cedex|france|belgique|suisse|espagne|spain|irlande|ireland|allemagne|germany|italie|luxembourg)\b/u;
const MARKER =
  /\b(?:siret|siren|rcs|capital|tva|vat|tel|telephone|fax|iban|bic|www|http|facture|invoice|date|total)\b|@|\d{2}[ .]\d{2}[ .]\d{2}[ .]\d{2}[ .]\d{2}/;

export function findEnvelopeBlock(chunks: Chunk[], index: ChunkIndex): Chunk[] | null {
  let maxRight = 0;
  let bottom = 0;
  for (const c of chunks) {
    if (c.page !== 1) break;
    maxRight = Math.max(maxRight, c.right);
    bottom = Math.max(bottom, c.bottom);
  }
  const width = Math.max(maxRight + 20, 420);
  const height = Math.max(bottom + 20, width * 1.3);
  const groups: Group[] = [];
  const open: Group[] = [];
  for (const c of chunks) {
    if (c.page !== 1) break;
    if (c.top < 0.06 * height || c.top > 0.45 * height) continue;
    // Groups whose last line is far above are closed.
    for (let i = open.length - 1; i >= 0; i--) {
      const o = open[i] as Group;
      if (c.top - (o.lines[o.lines.length - 1] as Chunk).bottom > 3 * c.fontSize) open.splice(i, 1);
    }
    const g = open.find((o) => Math.abs(o.left - c.left) <= 3);
    const last = g?.lines[g.lines.length - 1];
    const size = last ? Math.max(c.fontSize, last.fontSize) : c.fontSize;
    if (g && last && c.top - last.bottom <= 1.9 * size && Math.abs(c.fontSize - last.fontSize) < 0.3 * size) {
      g.lines.push(c);
      continue;
    }
    if (g) open.splice(open.indexOf(g), 1);
    const fresh = { left: c.left, lines: [c] };
    groups.push(fresh);
    open.push(fresh);
  }
  let best: Chunk[] | null = null;
  let bestScore = 0;
  for (const g of groups) {
    const score = scoreGroup(g, width, index);
    if (score > bestScore) {
      best = g.lines;
      bestScore = score;
    }
  }
  return best;
}

function scoreGroup(g: Group, width: number, index: ChunkIndex): number {
  const n = g.lines.length;
  if (n < 2 || n > 8) return 0;
  let postal = -1;
  for (let i = 0; i < n; i++) {
    const l = g.lines[i] as Chunk;
    if (MARKER.test(l.folded) && !/^a l'att|^attn/.test(l.folded)) return 0;
    if (l.right - l.left > 0.5 * width) return 0;
    if (POSTAL.test(l.folded)) postal = i;
  }
  // The postal line closes the address (a country line may follow it).
  if (postal < 1 || postal < n - 2) return 0;
  const first = g.lines[0] as Chunk;
  let score = 1;
  if (g.left > 0.42 * width) score += 2;
  // A sender line in a small font just above (DIN 5008 window).
  const above = index.line(first.page, first.line - 1);
  const sender = above?.find(
    (o) => o.fontSize < 0.8 * first.fontSize && first.top - o.bottom < 2 * first.fontSize,
  );
  if (sender) score += 2;
  return score;
}
