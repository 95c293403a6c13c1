/**
 * `facteur inspect` on Factur-X files through the real binary and the worker pool: the JSON
 * report carries the validated `facturx` section (null without XML), the human output names
 * the profile. And the pooled recognizer answers the fast report first, validation after.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InspectionReport } from '../../src/recognition/types.js';
import { createRecognizer } from '../../src/recognition/index.js';
import { FACTURX_FIXTURES } from '../fixtures/facturx/facturx-fixtures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/facteur.js');
const tmp = mkdtempSync(join(tmpdir(), 'facteur-facturx-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const CLI_FIXTURES = ['fx-en16931', 'fx-mismatch', 'fx-xsd-invalid', 'fx-minimum', 'fx-unrelated-attachment'];
const fixture = (name: string) => FACTURX_FIXTURES.find((f) => f.name === name)!;
const pdfs = new Map<string, Uint8Array>();

beforeAll(async () => {
  for (const name of CLI_FIXTURES) {
    const bytes = await fixture(name).build();
    pdfs.set(name, bytes);
    writeFileSync(join(tmp, `${name}.pdf`), bytes);
  }
});

function facteur(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: tmp, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout });
    });
  });
}

const contractPart = (r: InspectionReport) => {
  if (!r.facturx) return r.facturx;
  const { invoice: _invoice, xmp: _xmp, ...rest } = r.facturx;
  return rest;
};

describe('facteur inspect on Factur-X', () => {
  it('prints the validated facturx section in the JSON report', async () => {
    const run = await facteur(['inspect', ...CLI_FIXTURES.map((n) => `${n}.pdf`), '--json']);
    expect(run.code).toBe(0);
    const reports = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as InspectionReport);
    expect(reports.map((r) => r.file)).toEqual(CLI_FIXTURES.map((n) => `${n}.pdf`));
    reports.forEach((r, i) => expect(contractPart(r)).toEqual(fixture(CLI_FIXTURES[i]!).expected));
    expect(Object.keys(reports[0]!.facturx!).slice(0, 7)).toEqual([
      'fileName',
      'profile',
      'guideline',
      'valid',
      'errors',
      'fields',
      'mismatches',
    ]);
  }, 120_000);

  it('says it in French in the human output', async () => {
    const run = await facteur(['inspect', 'fx-en16931.pdf']);
    expect(run.stdout).toContain('Factur-X (profil EN 16931) : données exactes lues dans la facture');
    expect(run.stdout).toContain('factur-x.xml : conforme à la norme (XSD et Schematron)');
    const invalid = await facteur(['inspect', 'fx-xsd-invalid.pdf']);
    expect(invalid.stdout).toContain('factur-x.xml : non conforme (1 erreur)');
    expect(invalid.stdout).toContain('[facturx-invalid]');
  }, 120_000);
});

describe('the pooled recognizer', () => {
  it('answers the fast report first, then completes the validation in a worker', async () => {
    const recognizer = createRecognizer({ poolSize: 1 });
    try {
      const bytes = pdfs.get('fx-xsd-invalid')!;
      const fast = await recognizer.inspect(bytes, 'fx-xsd-invalid.pdf');
      expect(fast.facturx?.valid).toBeNull();
      expect(fast.violations.map((v) => v.rule)).not.toContain('facturx-invalid');
      const full = await recognizer.validateFacturx(bytes, fast);
      expect(contractPart(full)).toEqual(fixture('fx-xsd-invalid').expected);
      expect(full.violations.filter((v) => v.rule === 'facturx-invalid')).toHaveLength(1);
      // A report read back from storage (no cached XML) is validated from the PDF itself.
      const stored = JSON.parse(JSON.stringify(fast)) as InspectionReport;
      expect(contractPart(await recognizer.validateFacturx(bytes, stored))).toEqual(
        fixture('fx-xsd-invalid').expected,
      );
      // Nothing to do without Factur-X, or once validated.
      const plain = await recognizer.inspect(pdfs.get('fx-unrelated-attachment')!, 'plain.pdf');
      expect(plain.facturx).toBeNull();
      expect(await recognizer.validateFacturx(bytes, plain)).toBe(plain);
      expect(await recognizer.validateFacturx(bytes, full)).toBe(full);
    } finally {
      await recognizer.close();
    }
  }, 120_000);
});
