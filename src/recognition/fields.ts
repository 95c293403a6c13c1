/**
 * Finds the contract's fields in the chunks of the pages read (layout.ts) with the keyword
 * families (keywords.ts) and the value parsers (values.ts).
 *
 * A keyword announces its value in the same chunk right after it (`SIRET client : 213…`), in the
 * next chunk of the same line (table cells, right-aligned totals), or in the chunk just below it
 * (labels above values). Among candidates: pages 1–3 before later pages, then the stronger
 * keyword, then the earlier page and reading order (recognition-rules.md §1.5).
 */
import type { Box, FieldKey } from './types.js';
import type { Chunk } from './layout.js';
import { spanBox, unionBox } from './layout.js';
import { findKeywords, type KeywordMatch } from './keywords.js';
import { formatCents, readIban } from './values.js';
import { RATE, READERS, type ValueRead } from './field-readers.js';
import { compactIdentifier } from './identifiers.js';
import { findRecipientChunks } from './blocks.js';

export interface Candidate {
  field: FieldKey;
  value: string;
  page: number;
  /** Keyword as printed; undefined for a value recognised by its shape only. */
  keyword?: string;
  rank: number;
  order: number;
  box: Box;
  /** Keyword glued to its value (no space after the keyword or its colon). */
  glued: boolean;
  /** Amount in cents, for totals. */
  cents?: number;
  /** Currency printed next to an amount. */
  currency?: string | null;
  /** VAT rate printed after a « TVA » keyword (`20`, `5,5`), for invoices with several rates. */
  rate?: string;
}

export interface FieldScan {
  candidates: Candidate[];
  creditNote: boolean;
  vatRegime?: 'TVA_SUR_DEBIT' | 'TVA_SUR_ENCAISSEMENT' | 'EXONERATION' | 'SANS_TVA';
}

// Between a keyword and its value: an optional short parenthesis (`(EJ)`, `(en €)`), a colon.
const SEP = /(?: ?\([^()]{1,12}\))?( *)([:=]|-(?= )|\.(?= ))?( *)/y;

/** Chunks indexed by page and line for the "right of" / "below" look-ups. */
class ChunkIndex {
  private readonly byLine = new Map<string, Chunk[]>();
  constructor(chunks: Chunk[]) {
    for (const c of chunks) {
      const key = `${c.page}:${c.line}`;
      const list = this.byLine.get(key) ?? [];
      list.push(c);
      this.byLine.set(key, list);
    }
  }
  rightOf(c: Chunk): Chunk | undefined {
    return this.byLine.get(`${c.page}:${c.line}`)?.find((o) => o.left >= c.right - 0.5 && o !== c);
  }
  below(c: Chunk, x0: number, x1: number): Chunk | undefined {
    for (let line = c.line + 1; line <= c.line + 2; line++) {
      const list = this.byLine.get(`${c.page}:${line}`);
      if (!list) continue;
      const found = list.find((o) => o.left < x1 + 2 && o.right > x0 - 2);
      if (found && found.top - c.bottom < 2.2 * c.fontSize) return found;
      if (found) return undefined;
    }
    return undefined;
  }
}

const LETTER = /\p{L}/u;

function readAfterKeyword(
  chunk: Chunk,
  m: KeywordMatch,
  field: FieldKey,
  rank: number,
  index: ChunkIndex,
): { read: ValueRead; valueChunk: Chunk; start: number; glued: boolean; below: boolean } | null {
  const reader = READERS[field];
  SEP.lastIndex = m.end;
  const sep = SEP.exec(chunk.folded);
  const start = SEP.lastIndex;
  const sepText = sep ? sep[0] : '';
  let valueStart = start;
  if (field === 'totalTax') {
    RATE.lastIndex = start;
    if (RATE.exec(chunk.folded)) valueStart = RATE.lastIndex;
  }
  if (valueStart < chunk.text.length) {
    const read = reader(chunk, start, rank);
    if (!read) return null;
    const glued = sepText.length === 0 || !sepText.endsWith(' ');
    // `Codeservice` or `facturation`: a keyword ending in a letter glued to a letter is no keyword.
    if (
      sepText.length === 0 &&
      LETTER.test(chunk.folded.charAt(m.end - 1)) &&
      LETTER.test(chunk.text.charAt(start))
    ) {
      return null;
    }
    return { read, valueChunk: chunk, start, glued, below: false };
  }
  // Nothing after the keyword in its chunk: the value sits in the next cell, or below.
  const right = index.rightOf(chunk);
  if (right) {
    const read = reader(right, 0, rank);
    if (read) return { read, valueChunk: right, start: 0, glued: false, below: false };
  }
  const kb = spanBox(chunk, m.start, m.end);
  const below = index.below(chunk, kb.x, kb.x + Math.max(kb.width, 120));
  if (below) {
    const read = reader(below, 0, rank);
    if (read) return { read, valueChunk: below, start: 0, glued: false, below: true };
  }
  return null;
}

/** Scans the chunks of every page read (any number of pages) for field candidates. */
export function scanFields(chunks: Chunk[]): FieldScan {
  const index = new ChunkIndex(chunks);
  const recipientChunks = findRecipientChunks(chunks);
  const candidates: Candidate[] = [];
  let creditNote = false;
  let vatRegime: FieldScan['vatRegime'];
  let order = 0;
  for (const chunk of chunks) {
    const f = chunk.folded;
    if (!vatRegime) {
      if (/293 ?b/.test(f) || /tva non applicable/.test(f)) vatRegime = 'SANS_TVA';
      else if (/exonerat|exonere/.test(f)) vatRegime = 'EXONERATION';
      else if (/paiement de la taxe d'apres les debits|tva (?:payee |acquittee )?sur les debits/.test(f))
        vatRegime = 'TVA_SUR_DEBIT';
    }
    const inRecipient = recipientChunks.has(chunk);
    for (const m of findKeywords(f)) {
      for (const target of m.family.targets) {
        let field = target.field;
        if (field === 'supplierSiret' && target.rank > 0 && inRecipient) field = 'recipientSiret';
        if (field === 'supplierVatNumber' && inRecipient) continue;
        const found = readAfterKeyword(chunk, m, field, target.rank, index);
        if (!found) continue;
        if (m.family.creditNote && field === 'invoiceNumber') creditNote = true;
        const keyword = chunk.text.slice(m.start, m.end);
        const valueBox = spanBox(found.valueChunk, found.start, found.read.end);
        let value = found.read.value;
        if (field === 'recipientName' && m.family.name === 'ministry') {
          value = chunk.text.slice(m.start).trim().slice(0, 120);
        }
        candidates.push({
          field,
          value,
          page: chunk.page,
          keyword,
          // A value found under its label (a table column) is weaker than one beside it.
          rank: target.rank + (found.below ? 0.5 : 0),
          order: order++,
          box: unionBox(spanBox(chunk, m.start, m.end), valueBox),
          glued: found.glued,
          cents: found.read.cents,
          rate:
            field === 'totalTax'
              ? /^\D{0,6}?(\d{1,2}(?:[,.]\d{1,3})?) ?%/.exec(chunk.text.slice(m.end))?.[1]
              : undefined,
          currency: found.read.currency,
        });
      }
    }
    // Shapes recognised without a keyword: a recipient SIRET in the recipient block, an IBAN.
    if (inRecipient) {
      for (const mm of chunk.text.matchAll(/(?<![\d])\d{3} ?\d{3} ?\d{3} ?\d{5}(?!\d)/g)) {
        const value = compactIdentifier(mm[0]);
        candidates.push({
          field: 'recipientSiret',
          value,
          page: chunk.page,
          rank: 9,
          order: order++,
          box: spanBox(chunk, mm.index, mm.index + mm[0].length),
          glued: false,
        });
      }
    }
    for (const mm of chunk.text.matchAll(
      /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){4,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/g,
    )) {
      const iban = readIban(chunk.text, mm.index);
      if (iban) {
        candidates.push({
          field: 'supplierIban',
          value: iban.value,
          page: chunk.page,
          rank: 9,
          order: order++,
          box: spanBox(chunk, mm.index, iban.end),
          glued: false,
        });
      }
    }
  }
  return { candidates, creditNote, vatRegime };
}

/** Picks one candidate per field (see the file comment for the order). */
export function chooseFields(candidates: Candidate[], pagesRead: number): Map<FieldKey, Candidate> {
  const best = new Map<FieldKey, Candidate>();
  const better = (a: Candidate, b: Candidate): boolean => {
    const ar = a.page <= pagesRead ? 0 : 1;
    const br = b.page <= pagesRead ? 0 : 1;
    if (ar !== br) return ar < br;
    if (a.rank !== b.rank) return a.rank < b.rank;
    if (a.page !== b.page) return a.page < b.page;
    return a.order < b.order;
  };
  for (const c of candidates) {
    const cur = best.get(c.field);
    if (!cur || better(c, cur)) best.set(c.field, c);
  }
  return best;
}

/**
 * Several « TVA 5,5 % … » / « TVA 20 % … » lines and no « Total TVA »: the tax total is their sum
 * (taking the first line alone would raise a false totals mismatch).
 */
export function sumVatRates(
  chosen: Map<FieldKey, Candidate>,
  candidates: Candidate[],
  pagesRead: number,
): void {
  const tax = chosen.get('totalTax');
  if (!tax || tax.rank === 0 || tax.rate === undefined) return;
  const byRate = new Map<string, Candidate>();
  for (const c of candidates) {
    if (c.field !== 'totalTax' || c.rate === undefined || c.page > pagesRead || c.cents === undefined)
      continue;
    if (!byRate.has(c.rate)) byRate.set(c.rate, c);
  }
  if (byRate.size < 2) return;
  const parts = [...byRate.values()];
  const cents = parts.reduce((sum, c) => sum + (c.cents ?? 0), 0);
  const box = parts.slice(1).reduce((b, c) => (c.page === tax.page ? unionBox(b, c.box) : b), tax.box);
  chosen.set('totalTax', { ...tax, cents, value: formatCents(cents), box });
}
