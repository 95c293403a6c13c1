/**
 * « factur-x auto » by terminal, end to end: `node bin/facteur.js chat` in a child process
 * (compiled dist/, embedded simulator persisted in FACTEUR_DATA_DIR, SQLite). The setting is kept
 * by the account across runs; a plain PDF then goes as a Factur-X flux the simulator integrates;
 * a PDF whose lines do not add up: the lines are asked, typed, then the flux; off: the PDF.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimFlux, type SimInvoice } from '../../src/deposit/index.js';
import type { Recognizer } from '../../src/recognition/types.js';
import { invoiceLines, renderPdf } from '../fixtures/pdf-lib-invoice.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/facteur.js');
const EXAMPLE = 'examples/facture-exemple.pdf';
let base: string;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'facteur-chat-fxauto-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function chat(dataDir: string, args: string[], lines: string[]) {
  const child = spawn(process.execPath, [BIN, 'chat', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', FACTEUR_DATA_DIR: dataDir, LOG_LEVEL: 'error' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => {
    child.on('close', resolve);
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
  if (code !== 0) throw new Error(`facteur chat exited ${code}\n${stdout}\n${stderr}`);
  return stdout;
}

async function simulatorState(dataDir: string): Promise<{ invoices: SimInvoice[]; fluxes: SimFlux[] }> {
  const sim = await startSimulator({
    dataDir: path.join(dataDir, 'simulator'),
    recognizer: {} as Recognizer,
  });
  try {
    return { fluxes: await sim.listFluxes(), invoices: sim.listInvoices() };
  } finally {
    await sim.stop();
  }
}

describe('« factur-x auto » through facteur chat', () => {
  it('turned on, a plain PDF is deposited as a Factur-X flux the simulator integrates, once', async () => {
    const dir = path.join(base, 'auto');
    expect(await chat(dir, [], ['factur-x auto'])).toContain('Factur-X automatique activé');
    const out = await chat(dir, [EXAMPLE], ['ok', 'ok', 'ok', 'ok', 'ok', 'confirmer']);
    expect(out).toContain('Facture déposée sur Chorus Pro');
    expect(out).toContain('Déposée au format Factur-X (factur-x auto)');
    const { invoices, fluxes } = await simulatorState(dir);
    expect(fluxes).toHaveLength(1);
    expect(fluxes[0]).toMatchObject({ state: 'IN_INTEGRE', syntax: 'IN_DP_E2_CII_FACTURX' });
    expect(invoices).toHaveLength(1);
    expect(invoices[0]!.fluxNumber).toBe(fluxes[0]!.number);
  }, 240_000);

  it('lines that do not add up: asked, typed, then the flux; off again: the PDF', async () => {
    const dir = path.join(base, 'lines');
    const file = path.join(base, 'lignes-fausses.pdf');
    await writeFile(
      file,
      await renderPdf(
        invoiceLines({
          number: 'F-2026-0904',
          items: [
            { label: 'Développement du portail citoyen', qty: '3', unit: '250,00 €', total: '1 250,00 €' },
          ],
        }),
      ),
    );
    await chat(dir, [], ['factur-x auto']);
    const out = await chat(
      dir,
      [file],
      [
        'ok',
        'ok',
        'ok',
        'ok',
        'ok',
        'confirmer',
        'une seule ligne : Développement du portail citoyen, 1 250,00 € HT, TVA 20 %',
        'confirmer',
      ],
    );
    expect(out).toContain('Lignes lues sur la facture');
    expect(out).toContain('Ligne notée pour la version Factur-X');
    expect(out).toContain('Facture déposée sur Chorus Pro');
    expect(out).toContain('Déposée au format Factur-X (factur-x auto)');
    let { invoices, fluxes } = await simulatorState(dir);
    expect(fluxes.map((f) => f.state)).toEqual(['IN_INTEGRE']);
    expect(invoices).toEqual([
      expect.objectContaining({ number: 'F-2026-0904', fluxNumber: fluxes[0]!.number }),
    ]);
    expect(await chat(dir, [], ['factur-x auto off'])).toContain('Factur-X automatique désactivé');
    await chat(dir, [EXAMPLE], ['ok', 'ok', 'ok', 'ok', 'ok', 'confirmer']);
    ({ invoices, fluxes } = await simulatorState(dir));
    expect(fluxes).toHaveLength(1);
    expect(invoices).toHaveLength(2);
    expect(invoices.at(-1)).toMatchObject({ modeDepot: 'DEPOT_PDF_API' });
  }, 240_000);
});
