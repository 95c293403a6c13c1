/**
 * The validator on XML made by the writer: every profile passes its official XSD and
 * Schematron; broken documents report the failing rules; the compiled Schematron matches the
 * vendored rule files.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFacturxXml } from '../../../src/recognition/facturx/lazy-validator.js';
import { writeCii } from '../../../src/recognition/facturx/cii-writer.js';
import { VENDOR_DIR } from '../../../src/recognition/facturx/official-files.js';
import { FACTURX_PROFILES } from '../../../src/recognition/facturx/types.js';
import { demoCiiInvoice } from '../../fixtures/facturx/demo-invoice.js';
import { invoiceWithLines } from '../../fixtures/facturx/schematron-corpus.js';

describe('Factur-X validation', () => {
  it.each(FACTURX_PROFILES.map((p) => [p]))(
    'the writer output of %s passes its XSD and Schematron',
    async (profile) => {
      expect(await validateFacturxXml(writeCii(demoCiiInvoice(), profile))).toEqual({
        valid: true,
        errors: [],
      });
    },
    60_000,
  );

  it('runs the EXTENDED Schematron on invoices with lines (SaxonJS 2.7 compiler bug corrected)', async () => {
    const ok = await validateFacturxXml(writeCii(invoiceWithLines(3, true), 'EXTENDED'));
    expect(ok).toEqual({ valid: true, errors: [] });
    // BR-FXEXT-CO-10, the rule whose compiled form failed, now judges the line total.
    const broken = invoiceWithLines(3, true);
    broken.totals.lineTotalCents = (broken.totals.lineTotalCents ?? 0) + 500;
    const result = await validateFacturxXml(writeCii(broken, 'EXTENDED'));
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => e.rule)).toContain('BR-FXEXT-CO-10');
    expect(result.errors.map((e) => e.rule)).not.toContain('schematron-not-run');
  }, 60_000);

  it('reports the Schematron rules a document breaks, with their ids and text', async () => {
    const i = demoCiiInvoice();
    i.currency = 'ZZZ';
    i.typeCode = '999';
    const result = await validateFacturxXml(writeCii(i, 'MINIMUM'));
    expect(result.valid).toBe(false);
    expect(result.errors.every((e) => e.source === 'schematron' && e.rule.startsWith('FX-SCH-A-'))).toBe(
      true,
    );
    expect(result.errors.map((e) => e.message)).toEqual(
      expect.arrayContaining([
        "Value of 'ram:InvoiceCurrencyCode' is not allowed.",
        "Value of 'ram:TypeCode' is not allowed.",
      ]),
    );
  }, 60_000);

  it('validates against the profile asked for', async () => {
    // A BASIC document (with lines) is not a MINIMUM one.
    const result = await validateFacturxXml(writeCii(demoCiiInvoice(), 'BASIC'), { profile: 'MINIMUM' });
    expect(result.valid).toBe(false);
    expect(result.errors[0]?.source).toBe('xsd');
  }, 60_000);

  it('refuses what is not XML or names no profile', async () => {
    expect(await validateFacturxXml('<oops')).toMatchObject({ valid: false, errors: [{ source: 'xml' }] });
    const unknown = writeCii(demoCiiInvoice()).replace('urn:cen.eu:en16931:2017', 'urn:example:nothing');
    expect(await validateFacturxXml(unknown)).toMatchObject({
      valid: false,
      errors: [{ source: 'profile', rule: 'unknown-profile' }],
    });
  });

  it('runs a Schematron compiled from the vendored rules (npm run facturx:sef)', () => {
    const manifest = JSON.parse(readFileSync(join(VENDOR_DIR, 'sef/manifest.json'), 'utf8')) as {
      saxonJs: string;
      profiles: Record<string, { xsl: string; xslSha256: string; codedb: string; codedbSha256: string }>;
    };
    const sha = (file: string) =>
      createHash('sha256')
        .update(readFileSync(join(VENDOR_DIR, file)))
        .digest('hex');
    expect(Object.keys(manifest.profiles).sort()).toEqual([
      'basic',
      'basicwl',
      'en16931',
      'extended',
      'minimum',
    ]);
    for (const p of Object.values(manifest.profiles)) {
      expect(sha(p.xsl)).toBe(p.xslSha256);
      expect(sha(p.codedb)).toBe(p.codedbSha256);
    }
    const saxon = JSON.parse(
      readFileSync(new URL('../../../node_modules/saxon-js/package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    expect(saxon.version).toBe(manifest.saxonJs);
  });
});

describe('a flux judged as Chorus Pro would', () => {
  it('reads, validates and judges the profile of a Factur-X PDF', async () => {
    const { checkFacturxFlux } = await import('../../../src/recognition/facturx/flux-check.js');
    const { FACTURX_FIXTURES } = await import('../../fixtures/facturx/facturx-fixtures.js');
    const build = (name: string) => FACTURX_FIXTURES.find((f) => f.name === name)!.build();
    const ok = await checkFacturxFlux(await build('fx-en16931'));
    expect(ok?.profileAccepted).toBe(true);
    expect(ok?.report).toMatchObject({ profile: 'EN16931', valid: true, errors: [], mismatches: [] });
    expect(ok?.report.fields.recipientSiret).toEqual({ value: '21330063500017' });
    const minimum = await checkFacturxFlux(await build('fx-minimum'), { schematron: false });
    expect(minimum).toMatchObject({ profileAccepted: false, report: { profile: 'MINIMUM', valid: true } });
    const invalid = await checkFacturxFlux(await build('fx-xsd-invalid'));
    expect(invalid?.report.errors.map((e) => e.source)).toEqual(['xsd']);
    expect(await checkFacturxFlux(await build('fx-unrelated-attachment'))).toBeNull();
  }, 60_000);
});
