/**
 * Scenario tests of the terminal channel over a pipe: `node bin/facteur.js chat` in a child
 * process (compiled dist/, embedded simulator, SQLite in a temp FACTEUR_DATA_DIR), the user's
 * lines written to stdin, the conversation read from stdout.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.js';
import { chat, collect, simulatorState, spawnChat, useTempBase } from './helpers/chat-pipe.js';

const EXAMPLE = 'examples/facture-exemple.pdf';
const dataDir = useTempBase('facteur-chat-');
const invoicesIn = async (dir: string) => (await simulatorState(dir)).invoices;

describe('facteur chat over a pipe', () => {
  it('deposits a clean invoice confirmed block by block', async () => {
    const dir = dataDir('clean');
    const run = await chat(dir, [EXAMPLE], ['ok', 'ok', 'ok', 'ok', 'ok', 'confirmer']);
    expect(run.stdout).toContain('Voici ce que j’ai reconnu');
    expect(run.stdout).toMatch(
      /Cadre de facturation \(1\/5\)[\s\S]*Identification de la facture \(2\/5\)[\s\S]*Destinataire \(3\/5\)[\s\S]*Fournisseur \(4\/5\)[\s\S]*Références et montants \(5\/5\)[\s\S]*Récapitulatif avant envoi/,
    );
    expect(run.stdout).toContain('Facture déposée sur Chorus Pro');
    expect(run.stdout).toContain('Montant TTC : 1 500,00 €');
    const receipts = await readdir(path.join(dir, 'recus'));
    expect(receipts.some((f) => f.endsWith('.pdf'))).toBe(true);
    const invoices = await invoicesIn(dir);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({
      number: 'F-2026-0042',
      recipientSiret: '21330063500017',
      totalInclTax: 1500,
    });
  });

  it('rejects invalid corrections with a precise French error and accepts valid ones', async () => {
    const dir = dataDir('corrections');
    const run = await chat(
      dir,
      [EXAMPLE],
      [
        'ok',
        'corriger la date',
        '31/02/2026',
        '14/03/2026',
        'numero F 2026 / 43 ?',
        'numero F-2026-0043',
        'ok',
        'corriger le siret',
        '21330063500018',
        '2133006350001',
        '1',
        'ok',
        'ok',
        'ht douze',
        'ht 1 000,00',
        'ok',
        'ttc 1200',
        'tva 200',
        'ok',
        'confirmer',
      ],
    );
    expect(run.stdout).toContain('⚠ Le 31/02/2026 n’existe pas dans le calendrier');
    expect(run.stdout).toContain('⚠ Le numéro de facture doit faire 20 caractères au plus');
    expect(run.stdout).toContain('⚠ Ce SIRET n’est pas valide (la clé de contrôle ne correspond pas)');
    expect(run.stdout).toMatch(/structures? dont le SIRET commence par 2133006350001/);
    expect(run.stdout).toContain('⚠ Montant non reconnu');
    expect(run.stdout).toContain('⚠ Les montants ne sont pas cohérents');
    expect(run.stdout).toContain('Facture déposée sur Chorus Pro');
    const [invoice] = await invoicesIn(dir);
    expect(invoice).toMatchObject({
      number: 'F-2026-0043',
      invoiceDate: '2026-03-14',
      totalExclTax: 1000,
      totalTax: 200,
      totalInclTax: 1200,
    });
  });

  it('asks the service code and the engagement a ministry requires', async () => {
    const dir = dataDir('ministry');
    const run = await chat(
      dir,
      [EXAMPLE],
      ['ok', 'ok', '11000001500013', 'SG-ACHATS', 'ok', 'ok', '0123456789', 'ok', 'confirmer'],
    );
    expect(run.stdout).toContain('Ministère de la Transition numérique');
    expect(run.stdout).toMatch(/À renseigner : Code service[\s\S]*SG-ACHATS/);
    expect(run.stdout).toContain('À renseigner : Numéro d’engagement');
    expect(run.stdout).toContain('exigé par ce destinataire');
    expect(run.stdout).toContain('Facture déposée sur Chorus Pro');
    const [invoice] = await invoicesIn(dir);
    expect(invoice).toMatchObject({
      recipientSiret: '11000001500013',
      serviceCode: 'SG-ACHATS',
      engagementNumber: '0123456789',
    });
  });

  it('lets the user pick the second supplier SIRET and a factor’s bank details', async () => {
    const dir = dataDir('supplier-factor');
    const run = await chat(
      dir,
      [EXAMPLE],
      [
        'ok',
        'ok',
        'ok',
        'corriger',
        '91234567500025',
        'ok',
        'ok',
        'corriger le compte',
        '2',
        'ok',
        'confirmer',
      ],
    );
    expect(run.stdout).toContain('Camille Martin EI (Lyon)');
    expect(run.stdout).toContain('Facture déposée sur Chorus Pro');
    const [invoice] = await invoicesIn(dir);
    expect(invoice?.supplierSiret).toBe('91234567500025');

    const dir2 = dataDir('factor');
    const run2 = await chat(
      dir2,
      [EXAMPLE],
      ['ok', 'ok', 'ok', 'ok', 'corriger le compte', '3', 'ok', 'confirmer'],
    );
    expect(run2.stdout).toMatch(/ {2}3\. Affacturage Sud-Ouest SA .*affactureur/);
    expect(run2.stdout).toMatch(/Coordonnées bancaires : Affacturage Sud-Ouest SA .*affactureur \(corrigé\)/);
    expect(run2.stdout).toContain('Facture déposée sur Chorus Pro');
    const [factored] = await invoicesIn(dir2);
    expect(factored?.bankAccountId).toBe(116052);
  });

  it('cancels at the confirmation step only after « oui »', async () => {
    const dir = dataDir('cancel');
    const run = await chat(
      dir,
      [EXAMPLE],
      ['ok', 'ok', 'ok', 'ok', 'ok', 'annuler', 'non', 'annuler', 'oui'],
    );
    expect(run.stdout).toContain('Supprimer ce brouillon ?');
    expect(run.stdout).toContain('Brouillon supprimé');
    expect(await invoicesIn(dir)).toHaveLength(0);
  });

  it('leaves a draft, then resumes it after a restart exactly where it stopped', async () => {
    const dir = dataDir('resume');
    const first = await chat(dir, [EXAMPLE], ['ok', 'numero F-2026-0500', 'quitter']);
    const prov = /\[(PROV-\d{4}-\d{4})\]/.exec(first.stdout)![1]!;
    expect(first.stdout).toContain(`Le brouillon ${prov} reste enregistré`);
    const second = await chat(
      dir,
      [],
      ['brouillons', `reprendre ${prov}`, 'ok', 'ok', 'ok', 'ok', 'confirmer'],
    );
    expect(second.stdout).toContain(prov);
    expect(second.stdout).toContain(`Reprise du brouillon ${prov}`);
    expect(second.stdout).toMatch(/Identification de la facture \(2\/5\)[\s\S]*F-2026-0500 \(corrigé\)/);
    expect(second.stdout).toContain('Facture déposée sur Chorus Pro');
    const [invoice] = await invoicesIn(dir);
    expect(invoice?.number).toBe('F-2026-0500');
  });

  it('reports a submit Chorus Pro keeps failing, then succeeds on « réessayer », depositing once', async () => {
    const dir = dataDir('retry');
    const faults = JSON.stringify([
      { kind: 'error', status: 503, operation: '/factures/v1/soumettre', times: 7 },
    ]);
    const run = await chat(
      dir,
      [EXAMPLE],
      ['ok', 'ok', 'ok', 'ok', 'ok', 'confirmer', 'réessayer', 'réessayer', 'réessayer'],
      {
        FACTEUR_SIMULATOR_FAULTS: faults,
      },
    );
    expect(run.stdout).toContain('Envoi non abouti');
    expect(run.stdout).toContain('Rien n’a été déposé deux fois');
    expect(run.stdout.indexOf('Facture déposée sur Chorus Pro')).toBeGreaterThan(
      run.stdout.indexOf('Envoi non abouti'),
    );
    expect(await invoicesIn(dir)).toHaveLength(1);
  }, 60_000);

  it('after kill -9 during the submit, a restart resolves it: exactly one invoice', async () => {
    const dir = dataDir('kill');
    const faults = JSON.stringify([
      { kind: 'latency', latencyMs: 8000, operation: '/factures/v1/soumettre', times: 1 },
    ]);
    const child = spawnChat(dir, [EXAMPLE], { FACTEUR_SIMULATOR_FAULTS: faults });
    const done = collect(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const waitFor = async (needle: string) => {
      for (let i = 0; i < 300 && !out.includes(needle); i++) await new Promise((r) => setTimeout(r, 50));
      expect(out).toContain(needle);
    };
    child.stdin!.write('ok\nok\nok\nok\nok\n');
    await waitFor('Récapitulatif avant envoi');
    child.stdin!.write('confirmer\n');
    // Kill once the submit is on its way (recorded « in flight » before Chorus Pro is called).
    const store = await createStore({ dataDir: dir });
    try {
      for (let i = 0; i < 400 && (await store.deposits.listInFlight()).length === 0; i++) {
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(await store.deposits.listInFlight()).toHaveLength(1);
    } finally {
      await store.close();
    }
    child.kill('SIGKILL');
    const killed = await done;
    expect(killed.code).toBeNull();
    expect(killed.stdout).not.toContain('Facture déposée');
    const restart = await chat(dir, [], ['statut']);
    expect(restart.stdout).toContain('Facture déposée sur Chorus Pro');
    expect(restart.stdout).toContain('facture déposée sur Chorus Pro (n°');
    const invoices = await invoicesIn(dir);
    expect(invoices).toHaveLength(1);
    expect(existsSync(path.join(dir, 'facteur.db'))).toBe(true);
  }, 60_000);

  it('after kill -9 once Chorus Pro registered the invoice but before its answer: the restart finds it, no second deposit', async () => {
    const dir = dataDir('kill-after-apply');
    // The simulator registers the invoice, then drops the connection: Facteur searches before any
    // retry, and is killed while it does.
    const faults = JSON.stringify([
      { kind: 'drop-after-apply', operation: '/factures/v1/soumettre', times: 1 },
    ]);
    const child = spawnChat(dir, [EXAMPLE], { FACTEUR_SIMULATOR_FAULTS: faults });
    const done = collect(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin!.write('ok\nok\nok\nok\nok\n');
    for (let i = 0; i < 300 && !out.includes('Récapitulatif avant envoi'); i++)
      await new Promise((r) => setTimeout(r, 50));
    child.stdin!.write('confirmer\n');
    // The simulator's state: its snapshot and the journal of the changes since.
    const stateFiles = ['state.json', 'state.journal'].map((f) => path.join(dir, 'simulator', f));
    const registered = async () => {
      const texts = await Promise.all(stateFiles.map((f) => readFile(f, 'utf8').catch(() => '')));
      return texts.some((t) => t.includes('F-2026-0042'));
    };
    for (let i = 0; i < 400 && !(await registered()); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await registered()).toBe(true);
    child.kill('SIGKILL');
    const killed = await done;
    expect(killed.stdout).not.toContain('Facture déposée');
    const restart = await chat(dir, [], []);
    expect(restart.stdout).toContain('Facture déposée sur Chorus Pro');
    expect(await invoicesIn(dir)).toHaveLength(1);
  }, 60_000);

  it('explains a missing file and unknown options in French', async () => {
    const child = spawnChat(dataDir('errors'), ['nope.pdf']);
    const done = collect(child);
    child.stdin!.end('');
    const run = await done;
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain('Fichier introuvable');
  });
});
