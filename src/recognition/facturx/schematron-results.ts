/**
 * A failed Schematron assert → the report's error: the rule id the Factur-X Schematron names at
 * the start of its text, the text, and a readable location.
 */
import type { FacturxError } from './types.js';

export interface FailedAssert {
  /** The assert id (`FX-SCH-A-000020`), '' when the file gives none (EXTENDED). */
  id: string;
  /** The assert's text as the file writes it. */
  text: string;
  /** The SVRL location (`/*:A[namespace-uri()='…'][1]/…`). */
  location: string;
}

export function schematronError(failed: FailedAssert): FacturxError {
  const where = shortPath(failed.location);
  return {
    source: 'schematron',
    ...ruleOf(failed.id, normalizeSpace(failed.text)),
    ...(where ? { location: where } : {}),
  };
}

/** XPath's normalize-space (XML whitespace only). */
function normalizeSpace(text: string): string {
  return text.replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '');
}

/**
 * The Factur-X Schematron names the EN 16931 / CII rule at the start of its text
 * (`[BR-CO-27]-Either the IBAN…`); rules of its own carry only the assert id (`FX-SCH-A-000020`).
 */
function ruleOf(assertId: string, text: string): { rule: string; message: string } {
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end > 1) {
      const rule = text.slice(1, end);
      const message = text
        .slice(end + 1)
        .replace(/^\s*-\s*/, '')
        .trim();
      return { rule, message: message || text };
    }
  }
  return { rule: assertId || 'schematron', message: text };
}

/** `/*:A[namespace-uri()='…'][1]/*:B[…][2]` → `/A[1]/B[2]` (the SVRL location, readable). */
function shortPath(location: string): string {
  return location.replace(/\[namespace-uri\(\)='[^']*'\]/g, '').replace(/\*:/g, '');
}
