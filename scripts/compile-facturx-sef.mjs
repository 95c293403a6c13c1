#!/usr/bin/env node
/**
 * Compiles each vendored Factur-X Schematron (.xsl, XSLT 2.0) to a gzipped SaxonJS SEF once, so
 * validation never compiles per document. Run with `npm run facturx:sef` after changing
 * vendor/facturx-1.09/; commit the result (sef/*.sef.json.gz + sef/manifest.json).
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vendor = join(root, 'vendor', 'facturx-1.09');
const out = join(vendor, 'sef');
const require = createRequire(import.meta.url);
const xslt3 = join(dirname(require.resolve('xslt3/package.json')), 'xslt3.js');
const saxonVersion = require('saxon-js/package.json').version;

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const only = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const manifestFile = join(out, 'manifest.json');
let manifest = { saxonJs: saxonVersion, profiles: {} };
try {
  manifest = { ...JSON.parse(readFileSync(manifestFile, 'utf8')), saxonJs: saxonVersion };
} catch {
  // first run
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
    const target = join(tmp, `${name}.sef.json`);
    const started = Date.now();
    execFileSync(
      process.execPath,
      [xslt3, `-xsl:${join(dir, xsl)}`, `-export:${target}`, '-nogo', '-relocate:on'],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    writeFileSync(join(out, `${name}.sef.json.gz`), gzipSync(readFileSync(target), { level: 9 }));
    manifest.profiles[name] = {
      xsl: `${folder}/${xsl}`,
      xslSha256: sha256(join(dir, xsl)),
      codedb: `${folder}/${codedb}`,
      codedbSha256: sha256(join(dir, codedb)),
    };
    console.log(`${name}: compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
