#!/usr/bin/env node
/**
 * Compiles each vendored Factur-X Schematron (.xsl, XSLT 2.0) to gzipped SaxonJS SEFs once, so
 * validation never compiles per document. Run with `npm run facturx:sef [--fast] [profile…]` after changing
 * vendor/facturx-1.09/ or the scripts below; commit the result (sef/ and sef/manifest.json).
 *
 * Per profile it writes:
 * - `<profile>.sef.json.gz`: the official .xsl as it is (the reference; slow: one pass per pattern);
 * - `<profile>.fast.sef.json.gz` + `<profile>.asserts.json`: the single-pass XSLT that
 *   scripts/derive-facturx-schematron.mjs derives from the same .xsl, and the table of its asserts
 *   (id, flag, text, pattern) — what validation runs;
 * both corrected for a SaxonJS 2.7 compiler bug (scripts/patch-facturx-sef.mjs). The manifest
 * records the sha256 of the sources, of the derived XSLT and of the patch script, so a changed
 * input without new SEFs fails the tests.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { deriveFastSchematron } from './derive-facturx-schematron.mjs';
import { relaxDecimalArithmetic } from './patch-facturx-sef.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const vendor = join(root, 'vendor', 'facturx-1.09');
const out = join(vendor, 'sef');
const require = createRequire(import.meta.url);
const xslt3 = join(dirname(require.resolve('xslt3/package.json')), 'xslt3.js');
const saxonVersion = require('saxon-js/package.json').version;

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const args = process.argv.slice(2);
/** `--fast`: only the derived SEF (the official one is kept as it is). */
const fastOnly = args.includes('--fast');
const only = args.filter((a) => !a.startsWith('--'));
mkdirSync(out, { recursive: true });
const manifestFile = join(out, 'manifest.json');
let manifest = { profiles: {} };
try {
  manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
} catch {
  // first run
}
manifest = {
  saxonJs: saxonVersion,
  patchScriptSha256: sha256(readFileSync(join(here, 'patch-facturx-sef.mjs'))),
  profiles: manifest.profiles ?? {},
};

/** xsl file → patched, gzipped SEF in `target`; returns the number of corrected nodes. */
function compile(xslFile, target, tmp) {
  const sefFile = join(tmp, 'out.sef.json');
  execFileSync(process.execPath, [xslt3, `-xsl:${xslFile}`, `-export:${sefFile}`, '-nogo', '-relocate:on'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const sef = JSON.parse(readFileSync(sefFile, 'utf8'));
  const corrected = relaxDecimalArithmetic(sef);
  writeFileSync(target, gzipSync(JSON.stringify(sef), { level: 9 }));
  return corrected;
}

const tmp = mkdtempSync(join(tmpdir(), 'facturx-sef-'));
try {
  for (const folder of readdirSync(vendor)
    .filter((f) => f.startsWith('facturx-'))
    .sort()) {
    const name = folder.slice('facturx-'.length);
    if (only.length > 0 && !only.includes(name)) continue;
    const dir = join(vendor, folder);
    const xsl = readdirSync(dir).find((f) => f.endsWith('.xsl'));
    const codedb = readdirSync(dir).find((f) => f.endsWith('_codedb.xml'));
    if (!xsl || !codedb) throw new Error(`${folder}: no .xsl or code list`);
    const started = Date.now();
    const previous = manifest.profiles[name];
    const official =
      fastOnly && previous
        ? previous.correctedArithmetic.official
        : compile(join(dir, xsl), join(out, `${name}.sef.json.gz`), tmp);
    const derived = deriveFastSchematron(readFileSync(join(dir, xsl), 'utf8'), {
      name: codedb,
      text: readFileSync(join(dir, codedb), 'utf8'),
    });
    const derivedFile = join(tmp, xsl);
    writeFileSync(derivedFile, derived.xsl);
    const fast = compile(derivedFile, join(out, `${name}.fast.sef.json.gz`), tmp);
    writeFileSync(join(out, `${name}.asserts.json`), JSON.stringify(derived.asserts) + '\n');
    manifest.profiles[name] = {
      xsl: `${folder}/${xsl}`,
      xslSha256: sha256(readFileSync(join(dir, xsl))),
      codedb: `${folder}/${codedb}`,
      codedbSha256: sha256(readFileSync(join(dir, codedb))),
      derivedXslSha256: sha256(derived.xsl),
      patterns: derived.patterns,
      ownPassPatterns: derived.ownPass,
      keyedSearches: derived.keyedSearches,
      inlinedLookups: derived.inlinedLookups,
      asserts: derived.asserts.length,
      correctedArithmetic: { official, fast },
    };
    console.log(`${name}: compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
manifest.profiles = Object.fromEntries(
  Object.entries(manifest.profiles).sort(([a], [b]) => a.localeCompare(b)),
);
writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
