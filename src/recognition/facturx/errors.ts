/** Typed errors of the Factur-X writing (issue #13 builds on these). */
import { FacteurError } from '../../shared/errors.js';

/** The invoice lacks business terms the target profile requires: nothing is written. */
export class CiiWriteError extends FacteurError {
  readonly code = 'facturx-write-incomplete';
  constructor(readonly missing: string[]) {
    super(
      `cannot write the CII invoice, missing: ${missing.join(', ')}`,
      `Impossible de produire le Factur-X : il manque ${missing.join(', ')}.`,
    );
  }
}
