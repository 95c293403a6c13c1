/**
 * XSD validation with libxml2 compiled to WebAssembly (libxml2-wasm: no native build). Each
 * profile's schema is compiled once per thread; its imports are served from memory, so a
 * document can make libxml2 read no file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  XmlBufferInputProvider,
  XmlDocument,
  XmlValidateError,
  XsdValidator,
  xmlRegisterInputProvider,
} from 'libxml2-wasm';
import type { FacturxError, FacturxProfile } from './types.js';
import { profileFiles } from './official-files.js';

/** Virtual folder the schemas are served from (matched by the in-memory input provider). */
const ROOT = '/facturx-1.09-xsd/';
const provider = new XmlBufferInputProvider({});
let registered = false;
const validators = new Map<FacturxProfile, XsdValidator>();

function validatorFor(profile: FacturxProfile): XsdValidator {
  const known = validators.get(profile);
  if (known) return known;
  if (!registered) registered = xmlRegisterInputProvider(provider);
  const files = profileFiles(profile);
  const base = `${ROOT}${profile.replace(' ', '')}/`;
  for (const name of files.imports) provider.addBuffer(base + name, readFileSync(join(files.dir, name)));
  const schemaDoc = XmlDocument.fromBuffer(readFileSync(join(files.dir, files.xsd)), {
    url: base + files.xsd,
  });
  try {
    const validator = XsdValidator.fromDoc(schemaDoc);
    validators.set(profile, validator);
    return validator;
  } finally {
    schemaDoc.dispose();
  }
}

/** Loads a profile's schema ahead of the first document (worker warm-up). */
export function warmXsd(profile: FacturxProfile): void {
  validatorFor(profile);
}

/** The XSD errors of `xml` against `profile`'s schema ([] when it conforms). */
export function xsdErrors(xml: Uint8Array, profile: FacturxProfile): FacturxError[] {
  const validator = validatorFor(profile);
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromBuffer(xml);
  } catch (error) {
    return [{ source: 'xml', rule: 'not-well-formed', message: errorText(error) }];
  }
  try {
    validator.validate(doc);
    return [];
  } catch (error) {
    if (!(error instanceof XmlValidateError)) throw error;
    return error.details.map((d) => ({
      source: 'xsd' as const,
      rule: 'xsd',
      message: d.message.trim(),
      ...(d.xpath ? { location: d.xpath } : {}),
    }));
  } finally {
    doc.dispose();
  }
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).trim();
}
