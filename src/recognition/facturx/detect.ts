/**
 * Finding the invoice XML among a PDF's attachments: the names the Factur-X and ZUGFeRD
 * standards give it first, then any other `.xml` attachment whose root is a CII invoice (some
 * tools use their own name). Works on the attachment list of any PDF library.
 */
import { FACTURX_FILE_NAMES } from './types.js';
import { NS, parseXml } from './xml-dom.js';

export interface PdfAttachment {
  /** The file name as stored in the PDF (without path). */
  name: string;
  content: Uint8Array | null;
}

export interface InvoiceXmlAttachment {
  fileName: string;
  xml: Uint8Array;
}

const KNOWN = FACTURX_FILE_NAMES.map((n) => n.toLowerCase());

export function findInvoiceXml(attachments: readonly PdfAttachment[]): InvoiceXmlAttachment | null {
  const withContent = attachments.filter(
    (a): a is PdfAttachment & { content: Uint8Array } => a.content !== null && a.content.length > 0,
  );
  for (const known of KNOWN) {
    const hit = withContent.find((a) => a.name.toLowerCase() === known);
    if (hit) return { fileName: hit.name, xml: hit.content };
  }
  for (const a of withContent) {
    if (!a.name.toLowerCase().endsWith('.xml')) continue;
    if (isInvoiceRoot(a.content)) return { fileName: a.name, xml: a.content };
  }
  return null;
}

function isInvoiceRoot(xml: Uint8Array): boolean {
  try {
    const root = parseXml(xml).documentElement;
    return (
      (root?.namespaceURI === NS.rsm && root.localName === 'CrossIndustryInvoice') ||
      (root?.namespaceURI === NS.zugferd1 && root.localName === 'CrossIndustryDocument')
    );
  } catch {
    return false;
  }
}
