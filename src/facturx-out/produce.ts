/**
 * One call from a plain PDF and the confirmed data to a Factur-X: the XML (lines checked,
 * XSD + Schematron passed), the PDF/A-3 with the XML embedded, then the structural checks on
 * the bytes that will leave. Any failure throws a typed error; nothing half-made is returned.
 */
import type { FacturxOutput, FacturxSource } from './types.js';
import { makeFacturxXml } from './xml.js';
import { makePdfa } from './pdfa/make-pdfa.js';
import type { Ghostscript } from './pdfa/ghostscript.js';
import { checkFacturxPdf, failedChecks, type CheckResult } from './checks/index.js';
import { PdfaStructureError } from './errors.js';

export interface FacturxProducerDeps {
  /** Ghostscript when installed (`findGhostscript()`), null otherwise. */
  ghostscript: Ghostscript | null;
  now?: () => Date;
}

export interface ProducedFacturx extends FacturxOutput {
  checks: CheckResult[];
}

/** `facture.pdf` → `facture-facturx.pdf` (Chorus Pro wants the extension; names stay short). */
export function facturxFileName(original: string): string {
  const base =
    original
      .replace(/\.pdf$/i, '')
      .replace(/[^\p{L}\p{N}._-]+/gu, '_')
      .slice(0, 60) || 'facture';
  return `${base}-facturx.pdf`;
}

export async function produceFacturx(
  pdf: Uint8Array,
  source: FacturxSource,
  deps: FacturxProducerDeps,
  originalName = `${source.invoiceNumber}.pdf`,
): Promise<ProducedFacturx> {
  const { xml } = await makeFacturxXml(source);
  const made = await makePdfa({
    pdf,
    xml,
    level: 'EN 16931',
    title: `Facture ${source.invoiceNumber}`,
    date: deps.now?.(),
    ghostscript: deps.ghostscript,
  });
  const checks = await checkFacturxPdf(made.pdf, { xml, level: 'EN 16931' });
  const failed = failedChecks(checks);
  if (failed.length > 0) throw new PdfaStructureError(failed);
  return {
    pdf: made.pdf,
    xml,
    fileName: facturxFileName(originalName),
    converter: made.converter,
    embeddedFonts: made.embeddedFonts,
    checks,
  };
}

/**
 * The producer as the conversation uses it: Ghostscript looked for once (on first use), the
 * structural checks run on every file.
 */
export function createFacturxProducer(options: { ghostscript?: boolean } = {}) {
  let gs: Promise<Ghostscript | null> | undefined;
  return {
    async produce(pdf: Uint8Array, source: FacturxSource, originalName: string) {
      if (options.ghostscript === false) gs ??= Promise.resolve(null);
      gs ??= import('./pdfa/ghostscript.js').then((m) => m.findGhostscript());
      return produceFacturx(pdf, source, { ghostscript: await gs }, originalName);
    },
  };
}
