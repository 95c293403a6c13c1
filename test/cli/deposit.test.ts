import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type DepositReceipt, type RunningSimulator } from '../../src/deposit/index.js';
import { createRecognizer } from '../../src/recognition/index.js';
import type { Recognizer } from '../../src/recognition/types.js';
import { makeExamples } from '../fixtures/make-examples.js';
import { invoiceLines, renderPdf } from '../fixtures/pdf-lib-invoice.js';
import { runFacteur, type CliResult } from './helpers/run-in-process.js';

const dir = mkdtempSync(path.join(tmpdir(), 'facteur-cli-deposit-'));
const baseEnv = { FACTEUR_DATA_DIR: path.join(dir, 'data') };

async function facteur(
  argv: string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
): Promise<CliResult> {
  return runFacteur(argv, { env: { ...baseEnv, ...options.env }, cwd: dir, stdin: options.stdin ?? '' });
}

beforeAll(async () => {
  for (const [name, bytes] of Object.entries(await makeExamples()))
    writeFileSync(path.join(dir, name), bytes);
  writeFileSync(
    path.join(dir, 'hopital.pdf'),
    await renderPdf(
      invoiceLines({
        number: 'H-2026-7',
        recipientLines: ['Centre hospitalier de Libourne-Est', '112 avenue de la Marne', '33500 Libourne'],
        recipientSiretLine: 'SIRET client : 263 300 022 00013',
      }),
    ),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('facteur deposit with nothing configured (embedded simulator)', () => {
  it('deposits the example invoice as is and prints the receipt; the simulator keeps it', async () => {
    const r = await facteur([
      'deposit',
      'facture-exemple.pdf',
      '--recipient',
      '21330063500017',
      '--yes',
      '--receipt',
      'recap.pdf',
    ]);
    expect(r.stderr).not.toMatch(/refuserait|erreur/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Récapitulatif de dépôt');
    expect(r.stdout).toMatch(/Facture\s+F-2026-0042/);
    expect(r.stdout).toContain('Commune de Saint-Aubin-sur-Garonne');
    expect(r.stdout).toContain('1 500,00 €');
    expect(readFileSync(path.join(dir, 'recap.pdf')).subarray(0, 5).toString()).toBe('%PDF-');

    // The simulator shows it: `facteur simulator invoices` opens the embedded simulator's data.
    const shown = await facteur(['simulator', 'invoices']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(
      /\d+\s+F-2026-0042\s+Déposée\s+1500\.00 €\s+Commune de Saint-Aubin-sur-Garonne/,
    );

    // A later run sees the earlier invoice (state in FACTEUR_DATA_DIR/simulator): refused, all reasons listed.
    const again = await facteur(['deposit', 'facture-exemple.pdf', '--recipient', '21330063500017', '--yes']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Chorus Pro refuserait cette facture');
    expect(again.stderr).toContain('déjà déposé une facture avec ce numéro');
  });

  it('--json prints the receipt as JSON; service code and engagement come from the PDF or the options', async () => {
    const r = await facteur([
      'deposit',
      'facture-ministere.pdf',
      '--recipient',
      '11000001500013',
      '--yes',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const receipt = JSON.parse(r.stdout) as DepositReceipt;
    expect(receipt).toMatchObject({
      invoiceNumber: 'F-2026-0043',
      status: 'DEPOSEE',
      recipientSiret: '11000001500013',
      serviceCode: 'SG-DNUM',
      totalInclTaxCents: 360_000,
      cadre: 'A1',
    });
    expect(r.stderr).toBe('');
  });

  it('lists every refusal before submitting, and deposits once they are fixed with options', async () => {
    const refused = await facteur([
      'deposit',
      'hopital.pdf',
      '--recipient',
      '26330002200013',
      '--yes',
      '--bank',
      '116053',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('exige un code service');
    expect(refused.stderr).toContain('compte bancaire');
    const ok = await facteur([
      'deposit',
      'hopital.pdf',
      '--recipient',
      '26330002200013',
      '--service',
      'PHARMACIE',
      '--engagement',
      'EJ-2026-11',
      '--yes',
      '--json',
    ]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ invoiceNumber: 'H-2026-7', serviceCode: 'PHARMACIE' });
  });

  it('asks for confirmation without --yes: « n » submits nothing, « o » deposits', async () => {
    const args = [
      'deposit',
      'facture-exemple.pdf',
      '--recipient',
      '21330063500017',
      '--number',
      'F-2026-0042-B',
    ];
    const no = await facteur(args, { stdin: 'n\n' });
    expect(no.code).toBe(1);
    expect(no.stderr).toContain('Déposer cette facture sur Chorus Pro ? [o/N]');
    expect(no.stderr).toContain('rien n’a été soumis');
    const eof = await facteur(args, { stdin: '' });
    expect(eof.code).toBe(1);
    expect(eof.stderr).toContain('ajoutez --yes');
    const yes = await facteur(args, { stdin: 'oui\n' });
    expect(yes.code).toBe(0);
    expect(yes.stdout).toMatch(/Facture\s+F-2026-0042-B/);
  });

  it('explains usage errors and unreadable files in French', async () => {
    const noRecipient = await facteur(['deposit', 'facture-exemple.pdf']);
    expect(noRecipient.code).toBe(2);
    expect(noRecipient.stderr).toContain('--recipient attend le SIRET');
    const badCadre = await facteur([
      'deposit',
      'facture-exemple.pdf',
      '--recipient',
      '21330063500017',
      '--cadre',
      'A7',
    ]);
    expect(badCadre.code).toBe(2);
    const missing = await facteur(['deposit', 'absent.pdf', '--recipient', '21330063500017']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('impossible de lire');
    const help = await facteur(['deposit', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage : facteur deposit');
  });
});

describe('facteur deposit against a simulator given by CHORUS_API_URL', () => {
  let recognizer: Recognizer;
  let sim: RunningSimulator;
  beforeAll(async () => {
    recognizer = createRecognizer({ poolSize: 1 });
    sim = await startSimulator({
      recognizer,
      credentials: { clientId: 'app', clientSecret: 'secret', login: 'TECH_1', password: 'pw' },
    });
  });
  afterAll(async () => {
    await sim?.stop();
    await recognizer?.close();
  });

  it('uses the configured PISTE client and technical account; the simulator shows the invoice', async () => {
    const env = {
      CHORUS_API_URL: sim.apiUrl,
      PISTE_CLIENT_ID: 'app',
      PISTE_CLIENT_SECRET: 'secret',
      CHORUS_TECH_LOGIN: 'TECH_1',
      CHORUS_TECH_PASSWORD: 'pw',
    };
    const r = await facteur(
      ['deposit', 'facture-exemple.pdf', '--recipient', '21330063500017', '--yes', '--json'],
      { env },
    );
    expect(r.code).toBe(0);
    const receipt = JSON.parse(r.stdout) as DepositReceipt;
    expect(sim.listInvoices().map((i) => i.id)).toEqual([receipt.chorusInvoiceId]);

    const wrong = await facteur(
      ['deposit', 'facture-exemple.pdf', '--recipient', '21330063500017', '--yes'],
      {
        env: { ...env, CHORUS_TECH_PASSWORD: 'faux' },
      },
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('compte technique');
    expect(wrong.stderr).toContain('[chorus-auth-failed]');
  });
});
