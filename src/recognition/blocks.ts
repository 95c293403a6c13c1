/**
 * The page's regions that belong to the recipient: blocks under a heading such as « Destinataire »,
 * « Client », « Facturé à », « Adresse de facturation », « Vos identifiants » (the chunks below it
 * in the same column, until a gap or another heading), and the unlabelled address block in the
 * envelope-window position. A plain « SIRET » inside them is the recipient's, and a VAT number
 * inside them is not the supplier's (recognition-rules.md §1.5).
 */
import type { Chunk } from './layout.js';
import type { ChunkIndex } from './chunk-index.js';
import { findEnvelopeBlock } from './envelope.js';

export interface Block {
  /** The heading chunk (absent for the envelope-window block). */
  heading?: Chunk;
  /** Where the heading keyword ends in the heading chunk (its own text may follow). */
  headingEnd: number;
  lines: Chunk[];
  /** A block of the recipient's identifiers (« Vos identifiants »), with no name in it. */
  idsOnly: boolean;
  /** Lower is a stronger heading (billing address before a plain « Client »). */
  strength: number;
}

export interface Regions {
  recipient: Set<Chunk>;
  /** Recipient blocks in reading order: headed blocks first, then the envelope block. */
  blocks: Block[];
}

const HEADINGS: Array<{ re: RegExp; strength: number; idsOnly?: boolean }> = [
  {
    re: /^(?:adresse de facturation|facture[es]? a|adresse(?:e|s)? a|bill(?:ed)? to|invoice to|sold to|invoice address)\b/,
    strength: 0,
  },
  { re: /^(?:destinataire|acheteur|donneur d'ordre)\b/, strength: 1 },
  {
    re: /^(?:adresse (?:du|de la) client|nom du client|(?:client|cliente|customer|buyer)(?: ?:|$))/,
    strength: 2,
  },
  { re: /^(?:pour|to|a) ?:$/, strength: 2 },
  { re: /^vos (?:identifiants|coordonnees)\b/, strength: 3, idsOnly: true },
];

const STOP =
  /^(?:emetteur|fournisseur|prestataire|vendeur|expediteur|titulaire|de ?:|nos references|vos references|livraison|adresse de livraison|delivery|ship to|seller|facture\b|date\b|n ?° ?(?:de )?facture)/;

function headingOf(c: Chunk): { strength: number; idsOnly: boolean; end: number } | null {
  if (c.text.length > 60) return null;
  for (const h of HEADINGS) {
    const m = h.re.exec(c.folded);
    if (m) {
      // The heading opens a short chunk (`Destinataire :`, `Client`, `Client : Mairie de …`).
      const end = m[0].length;
      return { strength: h.strength, idsOnly: h.idsOnly === true, end };
    }
  }
  return null;
}

/** True when a (folded) text opens with a recipient heading (`Bill to` after `Facturé à /`). */
export function isRecipientHeading(folded: string): boolean {
  return HEADINGS.some((h) => h.re.test(folded));
}

export function isHeadingChunk(c: Chunk): boolean {
  return headingOf(c) !== null || STOP.test(c.folded);
}

export function findRegions(chunks: Chunk[], index: ChunkIndex): Regions {
  const recipient = new Set<Chunk>();
  const blocks: Block[] = [];
  for (const heading of chunks) {
    const h = headingOf(heading);
    if (!h) continue;
    const lines = blockBelow(heading, index);
    const block: Block = { heading, headingEnd: h.end, lines, idsOnly: h.idsOnly, strength: h.strength };
    blocks.push(block);
    recipient.add(heading);
    for (const l of lines) recipient.add(l);
  }
  const envelope = findEnvelopeBlock(chunks, index);
  if (envelope && !envelope.some((c) => recipient.has(c))) {
    blocks.push({ headingEnd: 0, lines: envelope, idsOnly: false, strength: 4 });
    for (const l of envelope) recipient.add(l);
  }
  return { recipient, blocks };
}

/** The chunks under a heading in its column, until a wide gap or another heading. */
function blockBelow(heading: Chunk, index: ChunkIndex): Chunk[] {
  const out: Chunk[] = [];
  let last = heading;
  for (let line = heading.line + 1; out.length < 10; line++) {
    const list = index.line(heading.page, line);
    if (!list) break;
    const first = list[0] as Chunk;
    const size = Math.max(last.fontSize, first.fontSize);
    const limit = (out.length === 0 ? 3 : 2.2) * size;
    if (first.top - last.bottom > limit) {
      // Lines of another column may sit in between; only a gap in the block's own column counts.
      if (first.top - last.bottom > limit + 2 * size) break;
    }
    const c = list.find((o) => o.left >= heading.left - 8 && o.left <= heading.left + 30);
    if (!c) continue;
    if (c.top - last.bottom > limit) break;
    if (isHeadingChunk(c)) break;
    out.push(c);
    last = c;
  }
  return out;
}
