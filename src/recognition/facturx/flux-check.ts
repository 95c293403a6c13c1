/**
 * A Factur-X PDF judged as Chorus Pro judges a flux, for the simulator's `deposer/flux` and the
 * flux deposit: find the invoice XML, read it, validate it (XSD, and the Schematron unless
 * asked not to), say whether its profile is one Chorus Pro takes. The buyer checks need the
 * directory: pass `report` to `checkFacturxForChorus` with it.
 */
import type { FacturxReport } from './types.js';
import { readCii } from './cii-reader.js';
import { facturxFields } from './fields.js';
import { isProfileAcceptedByChorus, profileFromGuideline } from './profile.js';

export interface FluxCheckOptions {
  /** Run the Schematron too (default true; ~50–100 ms of CPU for an EN 16931 invoice, warm). */
  schematron?: boolean;
}

export interface FluxCheck {
  /** The `facturx` section of this flux (no printed page to compare: no mismatches). */
  report: FacturxReport;
  /** The profile is one Chorus Pro takes as an invoice (BASIC, EN 16931, EXTENDED). */
  profileAccepted: boolean;
}

/** Null when the PDF carries no invoice XML (Chorus Pro would reject such a flux). */
export async function checkFacturxFlux(
  pdf: Uint8Array,
  options: FluxCheckOptions = {},
): Promise<FluxCheck | null> {
  const { readInvoiceXmlFromPdf, validateFacturxXml } = await import('./lazy-validator.js');
  const found = await readInvoiceXmlFromPdf(pdf);
  if (!found) return null;
  const read = readCii(found.xml);
  const base = { fileName: found.fileName, mismatches: [] };
  if (!read.ok) {
    const report: FacturxReport = {
      ...base,
      profile: profileFromGuideline(read.guideline),
      guideline: read.guideline,
      valid: false,
      errors: [read.error],
      fields: {},
    };
    return { report, profileAccepted: false };
  }
  const { invoice } = read;
  const validation = invoice.profile
    ? await validateFacturxXml(found.xml, {
        profile: invoice.profile,
        schematron: options.schematron !== false,
      })
    : await validateFacturxXml(found.xml);
  const report: FacturxReport = {
    ...base,
    profile: invoice.profile,
    guideline: invoice.guideline || null,
    valid: validation.valid,
    errors: validation.errors,
    fields: facturxFields(invoice),
    invoice,
  };
  return { report, profileAccepted: isProfileAcceptedByChorus(invoice.profile) };
}
