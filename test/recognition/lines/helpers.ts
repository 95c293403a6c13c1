/** What the line tests share: the chunks of a PDF's pages 1–3 and the printed facts of a line. */
import { buildChunks, type Chunk } from '../../../src/recognition/layout.js';
import { openPdf, readPageText } from '../../../src/recognition/pdf-document.js';
import type { InvoiceLine } from '../../../src/recognition/lines/types.js';
import type { ExpectedLine } from '../../fixtures/lines/expected-lines.js';

export async function chunksOf(bytes: Uint8Array): Promise<Chunk[]> {
  const opened = await openPdf(bytes);
  if (!opened.ok) throw new Error(`cannot open the PDF: ${opened.detail}`);
  const chunks: Chunk[] = [];
  for (let p = 1; p <= Math.min(3, opened.doc.numPages); p++) {
    chunks.push(...buildChunks((await readPageText(await opened.doc.getPage(p))).runs, p));
  }
  await opened.doc.destroy();
  return chunks;
}

/** A line without its box and its rate's origin, absent keys dropped (as the expectations write it). */
export const printed = (l: InvoiceLine): ExpectedLine => {
  const { kind, description, amountCents, page, quantity, unit, unitPrice, vatRate } = l;
  return JSON.parse(
    JSON.stringify({ kind, description, amountCents, page, quantity, unit, unitPrice, vatRate }),
  );
};
