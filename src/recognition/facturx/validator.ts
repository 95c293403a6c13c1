/**
 * Validation of a CII XML: XSD of the profile, then — only when the XSD passes, since the
 * rules assume a well-shaped document — the profile's Schematron. In-thread; the recognition
 * runs it in its worker pool (`Recognizer.validateFacturx`); others go through lazy-validator.ts.
 */
import type { FacturxProfile, FacturxValidation } from './types.js';
import { FACTURX_PROFILES } from './types.js';
import { readCii } from './cii-reader.js';
import { xsdErrors, warmXsd } from './xsd-validator.js';
import { schematronErrors, warmSchematron } from './schematron.js';

export async function validateFacturxXml(
  xml: string | Uint8Array,
  options: { profile?: FacturxProfile; schematron?: boolean } = {},
): Promise<FacturxValidation> {
  const bytes = typeof xml === 'string' ? new TextEncoder().encode(xml) : xml;
  let profile = options.profile;
  if (!profile) {
    const read = readCii(bytes);
    if (!read.ok) return { valid: false, errors: [read.error] };
    if (!read.invoice.profile) {
      return {
        valid: false,
        errors: [
          {
            source: 'profile',
            rule: 'unknown-profile',
            message: `The guideline ${read.invoice.guideline || '(none)'} names no Factur-X profile.`,
          },
        ],
      };
    }
    profile = read.invoice.profile;
  }
  const errors = xsdErrors(bytes, profile);
  if (errors.length === 0 && options.schematron !== false) {
    const text = new TextDecoder().decode(bytes);
    errors.push(...(await schematronErrors(text, profile)));
  }
  return { valid: errors.length === 0, errors };
}

/** Loads the validators of `profiles` (default: all) so the first document does not pay for it. */
export async function warmFacturxValidator(
  profiles: readonly FacturxProfile[] = FACTURX_PROFILES,
): Promise<void> {
  for (const p of profiles) {
    warmXsd(p);
    await warmSchematron(p);
  }
}
