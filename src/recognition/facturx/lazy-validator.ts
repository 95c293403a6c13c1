/**
 * The validator and the PDF reading behind dynamic imports: importing the recognition API loads
 * neither libxml2-wasm, SaxonJS nor pdfjs; the first call does.
 */
import type { FacturxProfile, FacturxValidation, FacturxValidator } from './types.js';
import type { InvoiceXmlAttachment } from './detect.js';

export function createFacturxValidator(): FacturxValidator {
  return { validate: validateFacturxXml };
}

/** XSD of the profile (read from the guideline unless given), then its Schematron. */
export async function validateFacturxXml(
  xml: string | Uint8Array,
  options: { profile?: FacturxProfile; schematron?: boolean } = {},
): Promise<FacturxValidation> {
  const validator = await import('./validator.js');
  return validator.validateFacturxXml(xml, options);
}

/** Loads the validators of `profiles` (default: all) ahead of the first document. */
export async function warmFacturxValidator(profiles?: readonly FacturxProfile[]): Promise<void> {
  const validator = await import('./validator.js');
  await validator.warmFacturxValidator(profiles);
}

/**
 * The invoice XML embedded in PDF bytes (attachment name and content), null when there is none;
 * loads pdfjs in this thread on first use (the simulator validates a flux with it).
 */
export async function readInvoiceXmlFromPdf(pdf: Uint8Array): Promise<InvoiceXmlAttachment | null> {
  const { extractInvoiceXml } = await import('./pdfjs-read.js');
  return extractInvoiceXml(new Uint8Array(pdf));
}
