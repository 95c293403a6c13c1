/**
 * Values recognised by their shape, without a keyword: a SIRET inside the recipient's block, an
 * IBAN anywhere (also printed letter-spaced, `F R 7 6 1 0 2 7 …`), and the supplier's SIRENs
 * (from its SIRET, « SIREN » or « RCS <ville> B <siren> ») used to tell its VAT number from others.
 */
import type { Chunk } from './layout.js';
import type { Candidate } from './fields.js';
import { spanBox } from './layout.js';
import { readIban } from './values.js';
import { compactIdentifier, isValidSiret } from './identifiers.js';

const SIRET_SHAPE = /(?<![\d])\d{3} ?\d{3} ?\d{3} ?\d{5}(?!\d)/g;
const IBAN_SHAPE = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){4,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/g;
/** A chunk made of single characters separated by spaces (letter-spaced print). */
const LETTER_SPACED = /^(?:\S ){10,}\S$/;

/** Appends the shape candidates of one chunk; returns the next order number. */
export function scanShapes(chunk: Chunk, inRecipient: boolean, out: Candidate[], order: number): number {
  if (inRecipient) {
    for (const mm of chunk.text.matchAll(SIRET_SHAPE)) {
      // Without a keyword only a number that passes the SIRET check is taken for one.
      const value = compactIdentifier(mm[0]);
      if (!isValidSiret(value)) continue;
      out.push({
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
  if (LETTER_SPACED.test(chunk.text)) {
    const iban = readIban(chunk.text.replace(/ /g, ''), 0);
    if (iban) {
      out.push({
        field: 'supplierIban',
        value: iban.value,
        page: chunk.page,
        rank: 9,
        order: order++,
        box: spanBox(chunk, 0, chunk.text.length),
        glued: false,
      });
    }
    return order;
  }
  for (const mm of chunk.text.matchAll(IBAN_SHAPE)) {
    const iban = readIban(chunk.text, mm.index);
    if (iban) {
      out.push({
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
  return order;
}

const SUPPLIER_ID =
  /(?:siret|siren|rcs(?: [a-z' -]{2,30}?)?(?: [ab])?)(?: ?\/ ?siret)?(?: ?(?:n ?°|no|:))? ?:? ?(\d{3}[ .]?\d{3}[ .]?\d{3})/g;

/** The SIRENs printed as the supplier's (outside the recipient's block), with a valid key or not. */
export function supplierSirensIn(chunks: Chunk[], recipient: Set<Chunk>): Set<string> {
  const out = new Set<string>();
  for (const c of chunks) {
    if (recipient.has(c)) continue;
    if (!/sire|rcs/.test(c.folded)) continue;
    for (const m of c.folded.matchAll(SUPPLIER_ID)) {
      // Client identifiers are not the supplier's.
      if (/client|dest|acheteur/.test(c.folded.slice(Math.max(0, m.index - 12), m.index + 20))) continue;
      const siren = compactIdentifier(m[1] as string);
      if (siren.length === 9) out.add(siren);
    }
  }
  return out;
}
