/**
 * Public API of the Factur-X reading (re-exported by src/recognition/index.ts).
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
export { isValidationPending, withValidation } from './section.js';
export { createFacturxValidator, validateFacturxXml, warmFacturxValidator } from './lazy-validator.js';
export { facturxHeadline, profileLabel } from './messages.js';
export { centsToDecimal, decimalToCents } from './decimal.js';
