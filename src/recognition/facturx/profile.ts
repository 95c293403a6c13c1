/**
 * Profiles: the guideline id (BT-24) each one writes, reading a profile from a guideline (with
 * the ZUGFeRD 2 and XRechnung aliases), and which profiles Chorus Pro takes as an invoice.
 */
import type { FacturxProfile } from './types.js';

/** The guideline id the writer puts in BT-24 for each profile (Factur-X 1.0x / 1.09). */
export const PROFILE_GUIDELINES: Record<FacturxProfile, string> = {
  MINIMUM: 'urn:factur-x.eu:1p0:minimum',
  'BASIC WL': 'urn:factur-x.eu:1p0:basicwl',
  BASIC: 'urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic',
  EN16931: 'urn:cen.eu:en16931:2017',
  EXTENDED: 'urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended',
};

/** The XMP `fx:ConformanceLevel` value of each profile. */
export const PROFILE_XMP_LEVELS: Record<FacturxProfile, string> = {
  MINIMUM: 'MINIMUM',
  'BASIC WL': 'BASIC WL',
  BASIC: 'BASIC',
  EN16931: 'EN 16931',
  EXTENDED: 'EXTENDED',
};

/** Folder of the vendored official files of each profile (vendor/facturx-1.09/facturx-<name>). */
export const PROFILE_FOLDERS: Record<FacturxProfile, string> = {
  MINIMUM: 'minimum',
  'BASIC WL': 'basicwl',
  BASIC: 'basic',
  EN16931: 'en16931',
  EXTENDED: 'extended',
};

const LEVELS: Record<string, FacturxProfile> = {
  minimum: 'MINIMUM',
  basicwl: 'BASIC WL',
  basic: 'BASIC',
  en16931: 'EN16931',
  comfort: 'EN16931',
  extended: 'EXTENDED',
  'extended-ctc-fr': 'EXTENDED',
};

/**
 * The profile a guideline id names. Reads the last `:` segment of the id (`…:1p0:basicwl`,
 * `…#compliant#urn:factur-x.eu:1p0:basic`); the plain EN 16931 id and CIUS built on it
 * (XRechnung) are EN16931. Null when the id names no Factur-X profile.
 */
export function profileFromGuideline(guideline: string | null | undefined): FacturxProfile | null {
  if (!guideline) return null;
  const id = guideline.trim().toLowerCase();
  if (id === 'urn:cen.eu:en16931:2017') return 'EN16931';
  const hashes = id.split('#');
  const last = hashes[hashes.length - 1] ?? '';
  const segment = last.slice(last.lastIndexOf(':') + 1);
  const known = LEVELS[segment];
  if (known) return known;
  // XRechnung and other CIUS "compliant" with EN 16931 carry its full data set.
  if (hashes[0] === 'urn:cen.eu:en16931:2017' && hashes[1] === 'compliant') return 'EN16931';
  return null;
}

/** The profile an XMP `fx:ConformanceLevel` names (`EN 16931`, `BASIC WL`, `XRECHNUNG`…). */
export function profileFromXmpLevel(level: string | undefined): FacturxProfile | null {
  if (!level) return null;
  const key = level.trim().toLowerCase().replace(/\s+/g, '');
  if (key === 'xrechnung') return 'EN16931';
  return LEVELS[key] ?? null;
}

/**
 * Chorus Pro takes BASIC, EN 16931 and EXTENDED as invoices. MINIMUM and BASIC WL carry no
 * lines nor the payment data an invoice needs (reference §2): not an invoice.
 */
export function isProfileAcceptedByChorus(profile: FacturxProfile | null): boolean {
  return profile === 'BASIC' || profile === 'EN16931' || profile === 'EXTENDED';
}
