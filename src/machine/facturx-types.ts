import type { FieldKey, FieldValues } from './types.js';

/**
 * The Factur-X side of a draft (JSON, persisted with the snapshot): what the embedded XML states,
 * whether it may be deposited as a flux, and what happened to the flow.
 */
export interface FacturxDraft {
  /** `EN16931`, `BASIC`… (null when the guideline names none). */
  profile: string | null;
  /** XSD and Schematron pass. */
  valid: boolean;
  errorCount: number;
  /** A profile Chorus Pro takes as an invoice (BASIC, EN 16931, EXTENDED). */
  profileAccepted: boolean;
  /** The draft's values as the XML states them (what a flux deposit would carry). */
  xml: Partial<FieldValues>;
  /** Fields where the printed page and the XML disagree (display values). */
  mismatches: Array<{ field: FieldKey; printed: string; xml: string }>;
  /** The seller's SIRET the XML states (the supplier structure must be that one for a flux). */
  sellerSiret?: string;
  /** The user chose the plain PDF deposit (after a correction or a rejected flow). */
  plainPdf: boolean;
  /** The last flow Chorus Pro rejected, with its reasons. */
  rejection: { state: string; reasons: string[] } | null;
}
