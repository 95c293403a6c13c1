/** `facteur facturx`: the command end to end (dist build, real PDF, official validators). */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readInvoiceXmlFromPdf } from '../../src/recognition/facturx/lazy-validator.js';
import { readCii } from '../../src/recognition/facturx/cii-reader.js';
import { checkFacturxPdf, failedChecks } from '../../src/facturx-out/checks/index.js';

const BIN = fileURLToPath(new URL('../../bin/facteur.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/generated/', import.meta.url));
const T = 240_000;

function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, timeout: T - 10_000, env: { ...process.env, LOG_LEVEL: 'error' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Runs `test` in a temp directory holding `facture.pdf` (a plain PDF invoice), removed after. */
async function withInvoice(test: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'facteur-fx-cli-'));
  try {
    await copyFile(join(FIXTURES, 'pl-clean-commune.pdf'), join(dir, 'facture.pdf'));
    await test(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('facteur facturx', () => {
  it('writes a Factur-X that reads back, with the lines typed on the command line', { timeout: T }, () =>
    withInvoice(async (dir) => {
      const r = await run(
        [
          'facturx',
          'facture.pdf',
          '--recipient',
          '21330063500017',
          '--supplier-name',
          'Camille Martin EI',
          '--line',
          'Développement du portail, 5 jours × 250 €, TVA 20 %',
          '-o',
          'out.pdf',
          '--json',
        ],
        dir,
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout) as { ok: boolean; file: string; lines: unknown[] };
      expect(json).toMatchObject({ ok: true, file: join(dir, 'out.pdf') });
      const pdf = new Uint8Array(await readFile(join(dir, 'out.pdf')));
      expect(failedChecks(await checkFacturxPdf(pdf))).toEqual([]);
      const xml = await readInvoiceXmlFromPdf(pdf);
      const cii = readCii(xml!.xml);
      expect(
        cii.ok && cii.invoice.lines.map((l) => [l.name, l.quantity, l.unitCode, l.netAmountCents]),
      ).toEqual([['Développement du portail', '5', 'DAY', 125000]]);
    }),
  );

  it(
    'refuses lines that do not add up (exit 1, the reason in JSON) and a missing recipient (exit 2)',
    { timeout: T },
    () =>
      withInvoice(async (dir) => {
        const r = await run(
          [
            'facturx',
            'facture.pdf',
            '--recipient',
            '21330063500017',
            '--supplier-name',
            'C',
            '--line',
            'Prestation, 1 000,00 € HT, TVA 20 %',
            '--json',
          ],
          dir,
        );
        expect(r.code).toBe(1);
        expect(JSON.parse(r.stdout)).toMatchObject({
          ok: false,
          code: 'facturx-lines-inconsistent',
          problems: expect.arrayContaining([expect.objectContaining({ code: 'sum-differs' })]),
        });
        expect(r.stderr).toMatch(/Les lignes HT font|ne correspondent pas/);
        const usage = await run(['facturx', 'facture.pdf'], dir);
        expect(usage.code).toBe(2);
        expect(usage.stderr).toMatch(/--recipient/);
      }),
  );
});
