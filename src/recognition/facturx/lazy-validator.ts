/**
 * The validator behind a dynamic import: importing the recognition's API does not load
 * libxml2-wasm nor SaxonJS; the first validation does.
 */
import type { FacturxProfile, FacturxValidation, FacturxValidator } from './types.js';

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
