/**
 * The Factur-X deposit by terminal, end to end: `node bin/facteur.js chat` in a child process
 * (compiled dist/, embedded simulator persisted in FACTEUR_DATA_DIR, SQLite), lines on stdin.
 * A flux on the embedded defaults, a flux Chorus Pro rejects then the plain-PDF deposit, a
 * correction of an XML value, and a kill -9 while the flux is pending: exactly one deposit.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.js';
import { fluxPdf } from '../fixtures/facturx/flux-fixtures.js';
import { chat, collect, simulatorState, spawnChat, useTempBase } from './helpers/chat-pipe.js';

const EXAMPLE = 'examples/facture-facturx.pdf';
const inBase = useTempBase('facteur-chat-fx-');

describe('a Factur-X through facteur chat', () => {
  it('deposits the example as a flux on its embedded values, followed until integrated', async () => {
    const dir = inBase('flux');
    const run = await chat(dir, [EXAMPLE], ['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect(run.stdout).toContain('Factur-X (profil EN 16931) : données exactes lues dans la facture');
    expect(run.stdout).toContain('Numéro de facture : F-2026-0051 (lu dans le Factur-X)');
    expect(run.stdout).toContain('Montant TTC : 1 500,00 € (lu dans le Factur-X)');
    expect(run.stdout).toContain('La facture sera déposée comme flux Factur-X');
    expect(run.stdout).toContain('Facture déposée sur Chorus Pro');
    expect(run.stdout).toMatch(/Numéro Chorus Pro : \d+/);
    expect(run.stdout).toContain('Statut : Déposée');
    const { invoices, fluxes } = await simulatorState(dir);
    expect(fluxes).toHaveLength(1);
    expect(fluxes[0]).toMatchObject({ state: 'IN_INTEGRE', syntax: 'IN_DP_E2_CII_FACTURX' });
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({
      number: 'F-2026-0051',
      fluxNumber: fluxes[0]!.number,
      recipientSiret: '21330063500017',
      totalInclTax: 1500,
    });
  }, 120_000);

  it('explains a flux Chorus Pro rejects, keeps the draft, then deposits the PDF alone', async () => {
    const dir = inBase('rejected');
    const file = inBase('sans-moyen-de-paiement.pdf');
    // No payment means: valid EN 16931, but Chorus Pro requires its type code (reference §1.6).
    await writeFile(file, await fluxPdf({ number: 'F-2026-0077', mutate: (i) => (i.paymentMeans = []) }));
    // Bank account chosen (1: « Compte pro »), summary, rejection → « ok » = PDF simple, send.
    const run = await chat(dir, [file], ['ok', 'ok', 'ok', 'ok', '1', 'ok', 'ok', 'ok', 'confirmer']);
    expect(run.stdout).toContain('Flux Factur-X rejeté par Chorus Pro');
    expect(run.stdout).toContain('PaymentMeans.TypeCode.value est obligatoire');
    expect(run.stdout).toContain('Le brouillon reste ouvert');
    expect(run.stdout).toContain('Vous avez choisi le dépôt en PDF simple');
    expect(run.stdout).toContain('Facture déposée sur Chorus Pro');
    const { invoices, fluxes } = await simulatorState(dir);
    expect(fluxes.map((f) => f.state)).toEqual(['IN_REJETE']);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ number: 'F-2026-0077', modeDepot: 'DEPOT_PDF_API' });
    // The PDF deposited alone carries no invoice XML.
    const piece = await readFile(path.join(dir, 'simulator', 'pieces', `${invoices[0]!.pieceJointeId}.pdf`));
    expect(piece.toString('latin1')).not.toContain('factur-x.xml');
  }, 120_000);

  it('tells a user who corrects an XML value that the XML would disagree; the PDF goes alone', async () => {
    const dir = inBase('correction');
    const run = await chat(
      dir,
      [EXAMPLE],
      ['ok', 'numero F-2026-0052', 'ok', 'ok', 'ok', 'ok', 'ok', 'confirmer'],
    );
    expect(run.stdout).toContain(
      'Le Factur-X indique Numéro de facture : F-2026-0051. Avec votre correction, ses données ne diront plus la même chose que le dépôt',
    );
    expect(run.stdout).toContain('PDF simple avec ma correction');
    expect(run.stdout).toContain('Garder F-2026-0051 (Factur-X)');
    expect(run.stdout).toContain('Vos valeurs diffèrent du Factur-X (numéro de facture)');
    expect(run.stdout).toContain('Facture déposée sur Chorus Pro');
    const { invoices, fluxes } = await simulatorState(dir);
    expect(fluxes).toHaveLength(0);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ number: 'F-2026-0052', modeDepot: 'DEPOT_PDF_API' });
  }, 120_000);

  it('shows a printed/XML mismatch as a point to check and deposits the PDF alone with the XML values', async () => {
    const dir = inBase('mismatch');
    const file = inBase('numero-different.pdf');
    await writeFile(file, await fluxPdf({ number: 'F-2026-0091', printed: { number: 'F-2026-0090' } }));
    const run = await chat(dir, [file], ['ok', 'ok', 'ok', 'ok', 'ok', 'confirmer']);
    expect(run.stdout).toContain('Points à vérifier');
    expect(run.stdout).toContain(
      '• Numéro de facture : F-2026-0090 sur la page, F-2026-0091 dans le Factur-X (valeur retenue : celle du Factur-X)',
    );
    expect(run.stdout).toContain(
      'Comme la page et le Factur-X diffèrent, la facture sera déposée en PDF simple',
    );
    expect(run.stdout).toContain('Facture déposée sur Chorus Pro');
    const { invoices, fluxes } = await simulatorState(dir);
    expect(fluxes).toHaveLength(0);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ number: 'F-2026-0091', modeDepot: 'DEPOT_PDF_API' });
  }, 120_000);

  it('after kill -9 while the flux is pending, the restart follows it: exactly one deposit', async () => {
    const dir = inBase('kill');
    // The first integration report hangs: the process is killed while following the flow.
    const faults = JSON.stringify([
      { kind: 'latency', latencyMs: 8000, operation: '/transverses/v1/consulterCRDetaille', times: 1 },
    ]);
    const child = spawnChat(dir, [EXAMPLE], { FACTEUR_SIMULATOR_FAULTS: faults });
    const done = collect(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin!.write('ok\nok\nok\nok\nok\n');
    for (let i = 0; i < 1200 && !out.includes('Récapitulatif avant envoi'); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain('Récapitulatif avant envoi');
    child.stdin!.write('confirmer\n');
    const store = await createStore({ dataDir: dir });
    try {
      const pending = async () => (await store.fluxDeposits.listOpen()).find((r) => r.state === 'pending');
      for (let i = 0; i < 600 && !(await pending()); i++) await new Promise((r) => setTimeout(r, 25));
      expect((await pending())?.fluxNumber).toMatch(/^CPP/);
    } finally {
      await store.close();
    }
    child.kill('SIGKILL');
    const killed = await done;
    expect(killed.code).toBeNull();
    expect(killed.stdout).not.toContain('Facture déposée');
    const restart = await chat(dir, [], ['statut']);
    expect(restart.stdout).toContain('Facture déposée sur Chorus Pro');
    const { invoices, fluxes } = await simulatorState(dir);
    expect(fluxes).toHaveLength(1);
    expect(fluxes[0]!.state).toBe('IN_INTEGRE');
    expect(invoices).toHaveLength(1);
    expect(invoices[0]!.fluxNumber).toBe(fluxes[0]!.number);
  }, 120_000);
});
