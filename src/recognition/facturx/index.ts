/**
 * Public API of the Factur-X reading and writing. src/recognition/index.ts re-exports only the
 * types and light helpers (this module loads @xmldom/xmldom and pdf-lib).
 *
 * - Types: the CII invoice model, the report's `facturx` section, the validator, Chorus checks.
 * - `readCii(xml)`: XML → `CiiInvoice`; `facturxFields(invoice)`: the 14 contract fields.
 * - `createFacturxValidator()` / `validateFacturxXml(xml)`: XSD + Schematron of the profile.
 * - `checkFacturxForChorus(section, directory)`: what Chorus Pro would refuse (pure).
 * - `writeCii(invoice, profile)`, `embedFacturx(pdf, xml, profile)`: the writer (issue #13).
 * - `readFacturxFromPdf(bytes)`: the invoice XML of a PDF without pdfjs (simulator, tools).
 */
export type * from './types.js';
export { FACTURX_PROFILES, FACTURX_FILE_NAMES } from './types.js';
export { readCii, type CiiReadResult } from './cii-reader.js';
export { facturxFields, findMismatches, partySiret } from './fields.js';
export {
  PROFILE_GUIDELINES,
  profileFromGuideline,
  profileFromXmpLevel,
  isProfileAcceptedByChorus,
} from './profile.js';
export { findInvoiceXml, type PdfAttachment, type InvoiceXmlAttachment } from './detect.js';
export { readFacturxXmp } from './xmp.js';
export { isValidationPending, withValidation } from './validation-state.js';
export { createFacturxValidator, validateFacturxXml, warmFacturxValidator } from './lazy-validator.js';
export { facturxHeadline, profileLabel } from './messages.js';
export { centsToDecimal, decimalToCents } from './decimal.js';
export { checkFacturxForChorus } from './chorus-checks.js';
export { writeCii } from './cii-writer.js';
export { CiiWriteError } from './errors.js';
export { embedFacturx, type EmbedOptions, type FacturxRelationship } from './pdf-embed.js';
export { readInvoiceXmlFromPdf } from './lazy-validator.js';
export { checkFacturxFlux, type FluxCheck, type FluxCheckOptions } from './flux-check.js';
