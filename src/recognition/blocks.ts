/**
 * The recipient's block: the chunks under a heading such as « Destinataire », « Client »,
 * « Facturé à » or a « Ministère … » line, in the same column and without a blank gap. A plain
 * « SIRET » inside it is the recipient's; outside it, the supplier's (recognition-rules.md §1.5).
 */
import type { Chunk } from './layout.js';
import { findKeywords } from './keywords.js';

const SUPPLIER_HEADING = /^(?:emetteur|fournisseur|prestataire|vendeur|expediteur|titulaire|de ?:)/;

export function findRecipientChunks(chunks: Chunk[]): Set<Chunk> {
  const result = new Set<Chunk>();
  const byPage = new Map<number, Chunk[]>();
  for (const c of chunks) {
    const list = byPage.get(c.page) ?? [];
    list.push(c);
    byPage.set(c.page, list);
  }
  for (const pageChunks of byPage.values()) {
    for (let i = 0; i < pageChunks.length; i++) {
      const heading = pageChunks[i] as Chunk;
      const kw = findKeywords(heading.folded).find((m) => m.family.recipientHeading);
      // The heading opens its chunk (`Destinataire :`, `Client`), not a word in a sentence.
      if (!kw || kw.start > 2) continue;
      result.add(heading);
      let last = heading;
      for (let j = i + 1; j < pageChunks.length; j++) {
        const c = pageChunks[j] as Chunk;
        if (c.line === last.line) continue;
        if (c.line > last.line + 1 && c.top - last.bottom > 1.6 * last.fontSize) {
          // Look further only while lines of other columns sit in between.
          if (c.top - last.bottom > 2.5 * last.fontSize) break;
        }
        const sameColumn = Math.abs(c.left - heading.left) < 30;
        if (!sameColumn) continue;
        if (c.top - last.bottom > 1.2 * Math.max(c.fontSize, last.fontSize)) break;
        if (SUPPLIER_HEADING.test(c.folded)) break;
        const other = findKeywords(c.folded).find((m) => m.family.recipientHeading && m.start <= 2);
        if (other) break;
        result.add(c);
        last = c;
      }
    }
  }
  return result;
}
