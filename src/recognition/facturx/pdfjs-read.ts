/**
 * Detection inside the recognition: the attachments and XMP of a document pdfjs already has
 * open. A PDF without attachments costs one round trip to pdfjs' worker (measured in
 * bench/facturx.bench.ts).
 */
import type { PDFDocumentProxy } from '../pdf-document.js';
import type { InspectionReport } from '../types.js';
import type { FacturxReport } from './types.js';
import { findInvoiceXml, type PdfAttachment } from './detect.js';
import { readFacturxXmp } from './xmp.js';
import { buildFacturxSection } from './section.js';

interface PdfjsAttachment {
  filename?: string;
  content?: Uint8Array | null;
}

/** The fast `facturx` section of an open document: null when it carries no invoice XML. */
export async function readFacturxSection(
  doc: PDFDocumentProxy,
  printed: InspectionReport['fields'],
): Promise<FacturxReport | null> {
  const raw = (await doc.getAttachments()) as Record<string, PdfjsAttachment> | null;
  if (!raw) return null;
  const attachments: PdfAttachment[] = Object.entries(raw).map(([key, a]) => ({
    name: a.filename || key,
    content: a.content ?? null,
  }));
  const found = findInvoiceXml(attachments);
  if (!found) return null;
  const meta = await doc.getMetadata();
  const xmp = readFacturxXmp((meta.metadata as { getRaw(): string } | null)?.getRaw());
  return buildFacturxSection(found, xmp, printed);
}
