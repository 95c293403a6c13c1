/**
 * Where the vendored official Factur-X 1.09 files are (vendor/facturx-1.09/, shipped in the npm
 * package): the same three levels up from src/recognition/facturx/ and dist/recognition/facturx/.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FacturxProfile } from './types.js';
import { PROFILE_FOLDERS } from './profile.js';

export const VENDOR_DIR = fileURLToPath(new URL('../../../vendor/facturx-1.09/', import.meta.url));

export interface ProfileFiles {
  dir: string;
  /** The root XSD (`Factur-X_<LEVEL>.xsd`) and the XSDs it imports, by file name. */
  xsd: string;
  imports: string[];
  /** The Schematron's file name (not shipped: only its compiled SEF is) and its code list. */
  xsl: string;
  codedb: string;
  /** The official Schematron compiled as it is (the reference: one pass per pattern). */
  sef: string;
  /** The single-pass Schematron derived from it, and the table of its asserts (what validation runs). */
  fastSef: string;
  asserts: string;
}

const cache = new Map<FacturxProfile, ProfileFiles>();

export function profileFiles(profile: FacturxProfile): ProfileFiles {
  const known = cache.get(profile);
  if (known) return known;
  const folder = PROFILE_FOLDERS[profile];
  const dir = join(VENDOR_DIR, `facturx-${folder}`);
  const names = readdirSync(dir);
  const xsd = names.find((n) => n.startsWith('Factur-X_') && n.endsWith('.xsd') && !n.includes('_urn_'));
  const codedb = names.find((n) => n.endsWith('_codedb.xml'));
  if (!xsd || !codedb) throw new Error(`incomplete Factur-X files in ${dir}`);
  const files: ProfileFiles = {
    dir,
    xsd,
    imports: names.filter((n) => n.endsWith('.xsd') && n !== xsd),
    xsl: `Factur-X_1.09_${folder.toUpperCase()}.xsl`,
    codedb,
    sef: join(VENDOR_DIR, 'sef', `${folder}.sef.json.gz`),
    fastSef: join(VENDOR_DIR, 'sef', `${folder}.fast.sef.json.gz`),
    asserts: join(VENDOR_DIR, 'sef', `${folder}.asserts.json`),
  };
  cache.set(profile, files);
  return files;
}
