/**
 * Factur-X (CII, EN 16931) types: the profiles, the `facturx` section of the inspection report,
 * the validator and the Chorus Pro checks, plus the invoice model of cii-invoice.ts. Stable: the
 * flux deposit (#10) and the Factur-X writer (#13) code against these.
 */
import type { FieldKey } from '../types.js';
import type { CiiInvoice } from './cii-invoice.js';

// The invoice model is part of this contract: the simulator and the public barrel take it from here.
export type * from './cii-invoice.js';

/** Profiles in increasing richness; the report spells them as the issue's contract does. */
export const FACTURX_PROFILES = ['MINIMUM', 'BASIC WL', 'BASIC', 'EN16931', 'EXTENDED'] as const;
export type FacturxProfile = (typeof FACTURX_PROFILES)[number];

/** Attachment names of an invoice XML, in the order a reader prefers them. */
export const FACTURX_FILE_NAMES = [
  'factur-x.xml',
  'zugferd-invoice.xml',
  'ZUGFeRD-invoice.xml',
  'xrechnung.xml',
] as const;

/** Where an error comes from: XML well-formedness, the profile's XSD, its Schematron, the profile itself. */
export type FacturxErrorSource = 'xml' | 'xsd' | 'schematron' | 'profile';

export interface FacturxError {
  source: FacturxErrorSource;
  /**
   * The rule's id: the EN 16931 / CII rule named in the Schematron text (`BR-CO-15`,
   * `CII-SR-465`), else the Schematron assert id (`FX-SCH-A-000020`); `xsd` for schema
   * errors; `unknown-profile`, `unsupported-syntax` for the profile.
   */
  rule: string;
  /** The rule's own text (English, as the standard writes it). */
  message: string;
  /** XPath of the offending node, when known (extra key). */
  location?: string;
}

export interface FacturxValidation {
  /** True when the XSD and the Schematron both pass. */
  valid: boolean;
  errors: FacturxError[];
}

export interface FacturxMismatch {
  field: FieldKey;
  /** The value read on the printed pages (top-level `fields`), in its normal form. */
  printed: string;
  /** The value the XML states, in the same normal form. */
  xml: string;
}

/**
 * The `facturx` section of the inspection report (`null` when the PDF carries no invoice XML).
 * `valid` is null in the fast report (`Recognizer.inspect`) until the validation has run
 * (`Recognizer.validateFacturx`); `facteur inspect` always prints it completed.
 */
export interface FacturxReport {
  /** The attachment's name as stored in the PDF (`factur-x.xml`…). */
  fileName: string;
  profile: FacturxProfile | null;
  /** BT-24 as written; null when the XML has none (or is not a CII invoice). */
  guideline: string | null;
  valid: boolean | null;
  errors: FacturxError[];
  /** The 14 contract fields, values as the XML states them (normal forms of the top-level `fields`). */
  fields: Partial<Record<FieldKey, { value: string }>>;
  mismatches: FacturxMismatch[];
  /** Extra key: the whole invoice as read, for the conversation and the flux deposit. */
  invoice?: CiiInvoice;
  /** Extra key: the XMP `fx:` metadata of the PDF, when present. */
  xmp?: FacturxXmp;
}

/** The PDF's XMP Factur-X (or ZUGFeRD) extension properties. */
export interface FacturxXmp {
  documentFileName?: string;
  documentType?: string;
  version?: string;
  /** `MINIMUM`, `BASIC WL`, `BASIC`, `EN 16931`, `EXTENDED`, `XRECHNUNG`. */
  conformanceLevel?: string;
}

/** Validates a CII XML against the official Factur-X 1.09 files of its profile. */
export interface FacturxValidator {
  /**
   * XSD of the profile, then (when the XSD passes, unless `schematron: false`) its Schematron.
   * The profile is read from the XML's guideline unless given.
   */
  validate(
    xml: string | Uint8Array,
    options?: { profile?: FacturxProfile; schematron?: boolean },
  ): Promise<FacturxValidation>;
}

/**
 * What Chorus Pro's directory says about the buyer, structurally the same as the deposit's
 * `RecipientRules` (src/deposit/port.ts), so the conversation passes it as it is.
 */
export interface ChorusBuyerDirectory {
  structure: { active: boolean; siret?: string };
  serviceCodeRequired: boolean;
  engagementRequired: boolean;
  engagementOrServiceRequired: boolean;
  services: Array<{ code: string; active: boolean; engagementRequired?: boolean }>;
}

export type ChorusFacturxIssueCode =
  | 'profile-refused'
  | 'profile-unknown'
  | 'xml-invalid'
  | 'buyer-siret-missing'
  | 'buyer-unknown'
  | 'buyer-inactive'
  | 'service-code-required'
  | 'service-code-unknown'
  | 'service-inactive'
  | 'engagement-required'
  | 'engagement-or-service-required';

export interface ChorusFacturxIssue {
  code: ChorusFacturxIssueCode;
  /** Short French sentence for the freelancer. */
  message: string;
}
