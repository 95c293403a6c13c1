/**
 * Detection inside the recognition: the attachments and XMP of a document pdfjs already has
 * open. A PDF without attachments costs one round trip to pdfjs' worker (measured in
 * bench/facturx.bench.ts).
 */
import type { PDFDocumentProxy } from '../pdf-document.js';
import { openPdf } from '../pdf-document.js';
import type { InspectionReport } from '../types.js';
import type { FacturxReport } from './types.js';
import { findInvoiceXml, type InvoiceXmlAttachment, type PdfAttachment } from './detect.js';
import { readFacturxXmp } from './xmp.js';
import { buildFacturxSection } from './section.js';

interface PdfjsAttachment {
  filename?: string;
  content?: Uint8Array | null;
}

/**
 * The XML each section was read from, so the worker can hand it to the validation without
 * reopening the PDF (the section itself stays plain JSON).
 */
const xmlOfSection = new WeakMap<FacturxReport, Uint8Array>();

/** The fast `facturx` section of an open document: null when it carries no invoice XML. */
export async function readFacturxSection(
  doc: PDFDocumentProxy,
  printed: InspectionReport['fields'],
): Promise<FacturxReport | null> {
  const found = await findInDocument(doc);
  if (!found) return null;
  const meta = await doc.getMetadata();
  const xmp = readFacturxXmp((meta.metadata as { getRaw(): string } | null)?.getRaw());
  const section = buildFacturxSection(found, xmp, printed);
  xmlOfSection.set(section, found.xml);
  return section;
}

/** The XML a section of this thread was read from. */
export function sectionXml(section: FacturxReport | null | undefined): Uint8Array | undefined {
  return section ? xmlOfSection.get(section) : undefined;
}

async function findInDocument(doc: PDFDocumentProxy): Promise<InvoiceXmlAttachment | null> {
  const raw = (await doc.getAttachments()) as Record<string, PdfjsAttachment> | null;
  if (!raw) return null;
  const attachments: PdfAttachment[] = Object.entries(raw).map(([key, a]) => ({
    name: a.filename || key,
    content: a.content ?? null,
  }));
  return findInvoiceXml(attachments);
}

/** The invoice XML of PDF bytes (pdfjs owns `bytes` afterwards); null when none or unreadable. */
export async function extractInvoiceXml(bytes: Uint8Array): Promise<InvoiceXmlAttachment | null> {
  const opened = await openPdf(bytes);
  if (!opened.ok) return null;
  try {
    return await findInDocument(opened.doc);
  } finally {
    await opened.doc.destroy().catch(() => undefined);
  }
}
