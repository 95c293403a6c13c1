/**
 * The fast Schematron (derived by scripts/derive-facturx-schematron.mjs from the official file)
 * against the official one compiled as it is: on a corpus of valid and broken invoices of every
 * profile, both must fail the same rules, with the same texts and locations, in the same order.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schematronErrors } from '../../../src/recognition/facturx/schematron.js';
import { VENDOR_DIR } from '../../../src/recognition/facturx/official-files.js';
import { FACTURX_PROFILES } from '../../../src/recognition/facturx/types.js';
import { schematronCorpus } from '../../fixtures/facturx/schematron-corpus.js';

describe('the fast Schematron fails exactly the rules the official one fails', () => {
  it.each(FACTURX_PROFILES.map((p) => [p]))(
    '%s',
    async (profile) => {
      const corpus = schematronCorpus(profile);
      const rules = new Set<string>();
      let valid = 0;
      for (const { name, xml } of corpus) {
        const official = await schematronErrors(xml, profile, { engine: 'official' });
        const fast = await schematronErrors(xml, profile, { engine: 'fast' });
        expect({ name, errors: fast }).toEqual({ name, errors: official });
        expect(official.map((e) => e.rule)).not.toContain('schematron-not-run');
        if (official.length === 0) valid++;
        for (const e of official) rules.add(e.rule);
      }
      // The corpus means something: valid documents and many distinct broken rules.
      expect(valid).toBeGreaterThanOrEqual(2);
      expect(rules.size).toBeGreaterThanOrEqual(profile === 'MINIMUM' ? 8 : 20);
    },
    600_000,
  );

  it('the SEFs are compiled from what the scripts make of the vendored files', async () => {
    const manifest = JSON.parse(readFileSync(join(VENDOR_DIR, 'sef/manifest.json'), 'utf8')) as {
      patchScriptSha256: string;
      profiles: Record<string, { xsl: string; codedb: string; derivedXslSha256: string }>;
    };
    const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
    const script = (name: string) => new URL(`../../../scripts/${name}`, import.meta.url);
    expect(sha(readFileSync(script('patch-facturx-sef.mjs')))).toBe(manifest.patchScriptSha256);
    const { deriveFastSchematron } = (await import(script('derive-facturx-schematron.mjs').href)) as {
      deriveFastSchematron: (xsl: string, codedb: { name: string; text: string }) => { xsl: string };
    };
    for (const p of Object.values(manifest.profiles)) {
      const derived = deriveFastSchematron(readFileSync(join(VENDOR_DIR, p.xsl), 'utf8'), {
        name: basename(p.codedb),
        text: readFileSync(join(VENDOR_DIR, p.codedb), 'utf8'),
      });
      expect(sha(derived.xsl)).toBe(p.derivedXslSha256);
    }
  }, 120_000);
});
