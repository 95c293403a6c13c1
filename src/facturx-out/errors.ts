/** Typed errors of the Factur-X production. None of them carries invoice content. */
import { FacteurError } from '../shared/errors.js';
import type { FacturxError } from '../recognition/facturx/types.js';
import type { LinesProblem } from './lines-check.js';
import { MSG, describeLinesProblem } from './messages.js';

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The lines cannot be made consistent with the confirmed totals: the user must fix them. */
export class FacturxLinesError extends FacteurError {
  readonly code = 'facturx-lines-inconsistent';
  constructor(readonly problems: LinesProblem[]) {
    super(
      `lines inconsistent with totals: ${problems.map((p) => p.code).join(', ')}`,
      `${MSG.linesInconsistent} ${capitalize(problems.map(describeLinesProblem).join(' ; '))}.`,
    );
  }
}

/** The XML we wrote fails the official XSD or EN 16931 Schematron: a bug, never sent. */
export class FacturxXmlInvalidError extends FacteurError {
  readonly code = 'facturx-xml-invalid';
  constructor(readonly errors: FacturxError[]) {
    super(
      `generated CII invalid: ${errors
        .slice(0, 5)
        .map((e) => `${e.source}:${e.rule}`)
        .join(', ')}`,
      MSG.xmlInvalid,
    );
  }
}

/** The PDF has something PDF/A-3 forbids that pdf-lib cannot fix, and Ghostscript is absent. */
export class PdfaBlockedError extends FacteurError {
  readonly code = 'facturx-pdfa-blocked';
  constructor(readonly blockers: string[]) {
    super(
      `PDF/A-3 blockers without Ghostscript: ${blockers.join(', ')}`,
      MSG.pdfaBlocked(blockers.join(', ')),
    );
  }
}

export class GhostscriptError extends FacteurError {
  readonly code = 'facturx-ghostscript-failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, MSG.ghostscriptFailed, options);
  }
}

/** The output fails Facteur's own structural PDF/A-3 / Factur-X checks: a bug, never sent. */
export class PdfaStructureError extends FacteurError {
  readonly code = 'facturx-structure-failed';
  constructor(readonly failed: string[]) {
    super(`Factur-X structural checks failed: ${failed.join(', ')}`, MSG.structureFailed(failed.join(', ')));
  }
}

export class NotAPdfError extends FacteurError {
  readonly code = 'facturx-not-a-pdf';
  constructor(options?: { cause?: unknown }) {
    super('input is not a readable PDF', MSG.notAPdf, options);
  }
}
