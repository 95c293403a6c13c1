/**
 * Finds candidate values for the contract's fields in the chunks of the pages read (layout.ts)
 * with the keyword families (keywords.ts) and the value parsers (values.ts). Every candidate keeps
 * its evidence (keyword strength, where the value sits relative to it, its block); decide.ts
 * chooses among them with the document's global consistency.
 *
 * A keyword announces its value in the same chunk right after it (`SIRET client : 213…`, dot
 * leaders allowed), in the next chunk of the same line (table cells, right-aligned totals), or
 * in the same column below it (a header row with its values in the row below).
 */
import type { Box, FieldKey } from './types.js';
import type { Chunk } from './layout.js';
import { spanBox, unionBox } from './layout.js';
import { findKeywords, type KeywordMatch } from './keywords.js';
import { RATE, READERS, type ValueRead } from './field-readers.js';
import { ChunkIndex } from './chunk-index.js';
import { findRegions } from './blocks.js';
import { scanShapes, supplierSirensIn } from './shapes.js';
import { findAddressee } from './addressee.js';
import { vatAfterBase } from './vat-rows.js';
import { formatCents } from './values.js';
import { columnTotal } from './columns.js';
import { findWrappedLabels } from './wrapped.js';
import { isMonthFirst, regimeOf } from './document-hints.js';

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
  /** The keyword family that announced the value (evidence for the decision). */
  family?: string;
  /** Where the value sits relative to its keyword. */
  place?: Place;
  /** A date printed with digits only (`03/11/2017`), whose day and month order the page decides. */
  numericDate?: boolean;
  /** Other values with comparable evidence (set by decide.ts). */
  alternatives?: string[];
}

export interface FieldScan {
  candidates: Candidate[];
  creditNote: boolean;
  vatRegime?: 'TVA_SUR_DEBIT' | 'TVA_SUR_ENCAISSEMENT' | 'EXONERATION' | 'SANS_TVA';
  /** SIRENs printed in the supplier's parts of the page (SIRET, SIREN, RCS), for the VAT check. */
  supplierSirens: Set<string>;
  /** An advance or an amount already paid is deducted before the amount due. */
  deduction: boolean;
  /** The VAT regime's mention (`TVA non applicable, art. 293 B du CGI`), where it is printed. */
  vatMention?: { page: number; box: Box; text: string };
  /** Digit dates of this document are month first (`11/17/2017` printed somewhere). */
  monthFirst: boolean;
}

// Between a keyword and its value: an optional short parenthesis (`(EJ)`, `(en €)`), a colon, or
// dot leaders (`N° de facture ........ FA-12`).
const SEP = /(?: ?\([^()]{1,12}\))?( *)([:=]|-(?= )|\.(?= )|[.…_]{3,}(?: ?:)?)?( *)/y;

const LETTER = /\p{L}/u;
/** What may follow a label in a header row printed as one chunk (other labels, no value). */
const LABELS_ONLY = /^(?:[\p{L}°'’. /()-]|\d{1,2}(?:[,.]\d{1,3})? ?%)*$/u;
const labelsOnly = (rest: string): boolean => rest.length <= 40 && LABELS_ONLY.test(rest);

/** Where a value was found relative to its keyword. */
export type Place = 'inline' | 'right' | 'below';

interface Found {
  read: ValueRead;
  valueChunk: Chunk;
  start: number;
  glued: boolean;
  place: Place;
}

function readAfterKeyword(
  chunk: Chunk,
  m: KeywordMatch,
  field: FieldKey,
  rank: number,
  index: ChunkIndex,
): Found | null {
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
    // `Codeservice` or `facturation`: a keyword ending in a letter glued to a letter is no keyword.
    if (
      sepText.length === 0 &&
      LETTER.test(chunk.folded.charAt(m.end - 1)) &&
      LETTER.test(chunk.text.charAt(start))
    ) {
      return null;
    }
    const read = reader(chunk, start, rank);
    if (read) {
      const glued = sepText.length === 0 || !sepText.endsWith(' ');
      return { read, valueChunk: chunk, start, glued, place: 'inline' };
    }
    // A label followed by other labels (a header row printed as one chunk, `Total (EUR`): its
    // value may sit in the next cell or below it. Prose after a keyword announces nothing.
    const rest = chunk.text.slice(valueStart);
    if (!labelsOnly(rest)) return null;
  }
  // A common word announces only the value right after it.
  if (m.family.inlineOnly) return null;
  if (valueStart < chunk.text.length) {
    const rest = chunk.text.slice(valueStart);
    // A label wrapped onto the next line (`Montant TVA (payée sur` / `les débits)`): its value
    // sits right of the line that closes it.
    if (rest.lastIndexOf('(') > rest.lastIndexOf(')')) {
      const next = index.line(chunk.page, chunk.line + 1)?.find((o) => Math.abs(o.left - chunk.left) < 3);
      const right = next && /\)$/.test(next.text) ? index.rightOf(next) : undefined;
      const read = right ? reader(right, 0, rank) : null;
      if (right && read) return { read, valueChunk: right, start: 0, glued: false, place: 'right' };
    }
  }
  if (valueStart >= chunk.text.length || labelsOnly(chunk.text.slice(valueStart))) {
    // The value sits in the next cell.
    const right = index.rightOf(chunk);
    if (right) {
      const read = reader(right, 0, rank);
      if (read) return { read, valueChunk: right, start: 0, glued: false, place: 'right' };
    }
  }
  const kb = spanBox(chunk, m.start, m.end);
  let tried = 0;
  for (const cell of index.cellsBelow(chunk, kb.x, kb.x + kb.width)) {
    const read = reader(cell.chunk, cell.start, rank);
    if (read) return { read, valueChunk: cell.chunk, start: cell.start, glued: false, place: 'below' };
    if (++tried >= 3) break;
  }
  return null;
}

/** « Facturé », « facturée »: the verb, not the word « Facture » (folding removed the accent). */
function isVerbForm(chunk: Chunk, m: KeywordMatch): boolean {
  const last = chunk.text.charAt(m.end - 1);
  return m.family.name === 'invoice-word' && (last === 'é' || last === 'É');
}

/** Scans the chunks of every page read (any number of pages) for field candidates. */
export function scanFields(chunks: Chunk[]): FieldScan {
  const index = new ChunkIndex(chunks);
  const regions = findRegions(chunks, index);
  const wrapped = findWrappedLabels(chunks, index);
  const candidates: Candidate[] = [];
  let creditNote = false;
  let deduction = false;
  let vatRegime: FieldScan['vatRegime'];
  let vatMention: FieldScan['vatMention'];
  let order = 0;
  for (const piece of chunks) {
    if (wrapped.continuations.has(piece)) continue;
    const chunk = wrapped.joined.get(piece) ?? piece;
    const f = chunk.folded;
    if (!vatRegime) {
      const regime = regimeOf(f);
      if (regime) {
        vatRegime = regime.regime;
        const text = chunk.text.slice(regime.index).trim().slice(0, 80);
        vatMention = { page: chunk.page, box: spanBox(chunk, regime.index, chunk.text.length), text };
      }
    }
    const inRecipient = regions.recipient.has(piece);
    for (const m of findKeywords(f)) {
      if (isVerbForm(chunk, m)) continue;
      // `Frais de déplacement (TVA 20 %)`: a rate inside a line's label, not a VAT amount.
      if (m.family.name === 'tax-word' && chunk.text.charAt(m.start - 1) === '(') continue;
      if (m.family.topOnly && (m.start > 0 || chunk.top > 300)) continue;
      if (m.family.deduction) {
        const paid = readAfterKeyword(chunk, m, 'totalInclTax', 0, index);
        if (paid?.read.cents) deduction = true;
        continue;
      }
      for (const target of m.family.targets) {
        let field = target.field;
        if (field === 'supplierSiret' && target.rank > 0 && inRecipient) field = 'recipientSiret';
        if (field === 'supplierVatNumber' && inRecipient) continue;
        const found = readAfterKeyword(chunk, m, field, target.rank, index);
        if (!found) continue;
        const rate =
          field === 'totalTax'
            ? /^\D{0,6}?(\d{1,2}(?:[,.]\d{1,3})?) ?%/.exec(chunk.text.slice(m.end))?.[1]
            : undefined;
        if (rate !== undefined && found.read.cents !== undefined) {
          const vat = vatAfterBase(found.valueChunk, found.read.end, found.read.cents, rate, index);
          if (vat) {
            found.valueChunk = vat.chunk;
            found.start = vat.start;
            found.read = {
              value: formatCents(vat.cents),
              end: vat.end,
              cents: vat.cents,
              currency: vat.currency,
            };
          }
        }
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
          keyword: m.family.unofficial ? undefined : keyword,
          // A value found under its label (a table column) is weaker than one beside it.
          rank: target.rank + (found.place === 'below' ? 0.5 : 0),
          order: order++,
          box: unionBox(spanBox(chunk, m.start, m.end), valueBox),
          glued: found.glued,
          cents: found.read.cents,
          rate,
          currency: found.read.currency,
          family: m.family.name,
          place: found.place,
          numericDate:
            field === 'invoiceDate'
              ? /^\d{1,2}[/.-]\d{1,2}[/.-]\d/.test(found.valueChunk.text.slice(found.start))
              : undefined,
        });
        if (found.place === 'below' && found.read.cents !== undefined) {
          // Several rows under a total's header (one per VAT rate): their sum is a candidate too.
          const kb = spanBox(chunk, m.start, m.end);
          const col = columnTotal(chunk, kb.x, kb.x + kb.width, index);
          if (col) {
            const last = candidates[candidates.length - 1] as Candidate;
            candidates.push({
              ...last,
              value: formatCents(col.cents),
              cents: col.cents,
              rank: target.rank + 1,
              order: order++,
              box: unionBox(last.box, spanBox(col.last, 0, col.last.text.length)),
              rate: undefined,
            });
          }
        }
      }
    }
    order = scanShapes(chunk, inRecipient, candidates, order);
  }
  order = findAddressee(chunks, index, regions, candidates, order);
  const supplierSirens = supplierSirensIn(chunks, regions.recipient);
  const monthFirst = isMonthFirst(chunks);
  return { candidates, creditNote, vatRegime, supplierSirens, deduction, vatMention, monthFirst };
}

/** Picks one candidate per field by evidence alone (decide.ts then applies the consistency). */
export function chooseFields(candidates: Candidate[], pagesRead: number): Map<FieldKey, Candidate> {
  const best = new Map<FieldKey, Candidate>();
  for (const c of candidates) {
    const cur = best.get(c.field);
    if (!cur || better(c, cur, pagesRead)) best.set(c.field, c);
  }
  return best;
}

/** Pages 1–3 before later pages, then the stronger keyword, the earlier page, reading order. */
export function better(a: Candidate, b: Candidate, pagesRead: number): boolean {
  const ar = a.page <= pagesRead ? 0 : 1;
  const br = b.page <= pagesRead ? 0 : 1;
  if (ar !== br) return ar < br;
  if (a.rank !== b.rank) return a.rank < b.rank;
  if (a.page !== b.page) return a.page < b.page;
  return a.order < b.order;
}
