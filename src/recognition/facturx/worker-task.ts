/**
 * The Factur-X validation task of a recognition worker. The validator (libxml2-wasm, SaxonJS and
 * the compiled rules) is imported on the first task, so workers that never meet a Factur-X never
 * load it.
 */
import type { FacturxProfile, FacturxValidation } from './types.js';
import { extractInvoiceXml } from './pdfjs-read.js';

export async function validateInWorker(task: {
  xml?: Uint8Array;
  pdf?: Uint8Array;
  profile: FacturxProfile | null;
}): Promise<FacturxValidation> {
  const xml = task.xml ?? (task.pdf ? (await extractInvoiceXml(task.pdf))?.xml : undefined);
  if (!xml) {
    return {
      valid: false,
      errors: [{ source: 'xml', rule: 'not-found', message: 'No invoice XML in this PDF.' }],
    };
  }
  const { validateFacturxXml } = await import('./validator.js');
  return validateFacturxXml(xml, task.profile ? { profile: task.profile } : {});
}
