/**
 * `recipientName`: the organisation's name line of the block addressed to (blocks.ts). Never a
 * VAT number, a customer code, a contact line (« Contact … », « À l'attention de … ») or a
 * department line when the legal name is printed; a label (`Nom`, `Société`) is dropped and a
 * name wrapped on two lines (`Centre hospitalier de` / `Libourne-Est`) is joined.
 */
import type { Chunk } from './layout.js';
import { spanBox, unionBox } from './layout.js';
import type { ChunkIndex } from './chunk-index.js';
import type { Candidate } from './fields.js';
import { isRecipientHeading, type Block, type Regions } from './blocks.js';

const LABEL = /^(?:nom|societe|raison sociale|entreprise|organisme|name|company|organisation)\b ?:? ?/;
const LABEL_ONLY = /^(?:nom|societe|raison sociale|entreprise|organisme|name|company|organisation) ?:?$/;
const SKIP =
  /^(?:contact|a l'att|attn|tel|fax|e-?mail|mail|courriel|@|siret|siren|tva|vat|n ?°|no\b|numero|code|ref|id\b|gln|client ?:)|contact|@|\b(?:siret|siren|tva|vat)\b/;
const PERSON = /^(?:m\.|mme\b|mlle\b|monsieur\b|madame\b|mr\.?\b|mrs\.?\b|ms\.?\b|dr\.?\b)/;
const DEPARTMENT =
  /^(?:service|direction|departement|dep\b|dept\b|secretariat|bureau|pole|comptabilite|division|cellule|mission)\b|\bdep\b/;
const ADDRESS =
  /^(?:\d|bp\b|cs\b|tsa\b|rue\b|avenue\b|boulevard\b|chemin\b|place\b|allee\b|route\b|quai\b|cedex\b)/;
const CONNECTOR = /(?:\b(?:de|du|des|la|le|les|et|d'|l')|[&/-])$/;

interface NameLine {
  text: string;
  chunk: Chunk;
}

/** Appends the recipient-name candidates of the recipient blocks; returns the next order number. */
export function findAddressee(
  _chunks: Chunk[],
  index: ChunkIndex,
  regions: Regions,
  out: Candidate[],
  order: number,
): number {
  for (const block of regions.blocks) {
    if (block.idsOnly) continue;
    const found = nameOf(block, index);
    if (!found) continue;
    const { name, chunks } = found;
    const first = chunks[0] as Chunk;
    let box = spanBox(first, 0, first.text.length);
    for (const c of chunks.slice(1)) box = unionBox(box, spanBox(c, 0, c.text.length));
    const heading = block.heading;
    const keyword = heading ? heading.text.slice(0, block.headingEnd).replace(/ ?:$/, '') : undefined;
    out.push({
      field: 'recipientName',
      value: name,
      page: first.page,
      keyword: keyword || undefined,
      rank: 1 + block.strength / 10,
      order: order++,
      box: heading ? unionBox(spanBox(heading, 0, block.headingEnd), box) : box,
      glued: false,
      family: heading ? 'recipient-heading' : 'envelope',
      place: heading ? 'below' : undefined,
    });
  }
  return order;
}

function linesOf(block: Block, index: ChunkIndex): NameLine[] {
  const lines: NameLine[] = [];
  const h = block.heading;
  if (h) {
    const rest = h.text.slice(block.headingEnd).replace(/^ ?[:/-]? ?/, '');
    if (/\p{L}{2}/u.test(rest) && !isRecipientHeading(foldLine(rest))) lines.push({ text: rest, chunk: h });
  }
  for (const c of block.lines) {
    if (LABEL_ONLY.test(c.folded)) {
      const right = index.rightOf(c);
      if (right) lines.push({ text: right.text, chunk: right });
      continue;
    }
    lines.push({ text: c.text, chunk: c });
  }
  return lines;
}

function nameOf(block: Block, index: ChunkIndex): { name: string; chunks: Chunk[] } | null {
  const lines = linesOf(block, index);
  let fallback: { name: string; chunks: Chunk[] } | null = null;
  for (let i = 0; i < lines.length && i < 6; i++) {
    const line = lines[i] as NameLine;
    let text = line.text.trim();
    let folded = foldLine(text);
    const label = LABEL.exec(folded);
    if (label) {
      text = text.slice(label[0].length).trim();
      folded = folded.slice(label[0].length).trim();
    }
    if (text.length < 2 || !/\p{L}{2}/u.test(text)) continue;
    if (SKIP.test(folded)) continue;
    if (ADDRESS.test(folded)) break;
    // A single code-like token (`REFCLI0215`, `C00087`) is no name.
    if (!text.includes(' ') && /\d/.test(text)) continue;
    if (PERSON.test(folded) || DEPARTMENT.test(folded)) {
      fallback ??= { name: clean(text), chunks: [line.chunk] };
      continue;
    }
    const next = lines[i + 1];
    if (CONNECTOR.test(folded) && next && !ADDRESS.test(foldLine(next.text))) {
      return { name: clean(`${text} ${next.text.trim()}`), chunks: [line.chunk, next.chunk] };
    }
    return { name: clean(text), chunks: [line.chunk] };
  }
  return fallback;
}

function foldLine(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘]/g, "'")
    .toLowerCase();
}

function clean(text: string): string {
  return text.replace(/[\s,;:]+$/, '').slice(0, 120);
}
