/** The Factur-X lines of `facteur inspect`'s French human output. */
import type { FacturxReport } from './types.js';
import { facturxHeadline } from './messages.js';

/** How many rule failures are listed before « … et N autres ». */
const LISTED_ERRORS = 5;

export function formatFacturx(section: FacturxReport): string[] {
  const out = ['', `  ${facturxHeadline(section.profile)}`];
  if (section.valid === true) out.push(`    ${section.fileName} : conforme à la norme (XSD et Schematron)`);
  else if (section.valid === null) out.push(`    ${section.fileName} : vérification de conformité en cours`);
  else {
    const n = section.errors.length;
    out.push(`    ${section.fileName} : non conforme (${n === 1 ? '1 erreur' : `${n} erreurs`})`);
    for (const e of section.errors.slice(0, LISTED_ERRORS)) out.push(`      [${e.rule}] ${e.message}`);
    if (n > LISTED_ERRORS) out.push(`      … et ${n - LISTED_ERRORS} autres`);
  }
  return out;
}
