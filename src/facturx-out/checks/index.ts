/**
 * Facteur's own structural PDF/A-3 + Factur-X checks of a produced file. No PDF/A validator
 * (veraPDF) runs here: these check, in code, each requirement the producer is meant to meet
 * (docs/facturx-out.md lists what they cover and what they do not).
 */
import { PDFDocument } from 'pdf-lib';
import type { CheckResult } from './types.js';
import { headerCheck, pdfChecks } from './pdf-checks.js';
import { xmpChecks } from './xmp-checks.js';

export type { CheckResult };

export interface CheckOptions {
  /** `fx:ConformanceLevel` expected (default `EN 16931`). */
  level?: string;
  /** When given, the attached XML must be exactly this. */
  xml?: string;
}

export async function checkFacturxPdf(bytes: Uint8Array, options: CheckOptions = {}): Promise<CheckResult[]> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true });
  } catch {
    return [{ id: 'readable', ok: false, detail: 'the file parses as a PDF' }];
  }
  return [headerCheck(bytes), ...pdfChecks(doc, options.xml), ...xmpChecks(doc, options.level ?? 'EN 16931')];
}

export const failedChecks = (results: CheckResult[]) => results.filter((r) => !r.ok).map((r) => r.id);
