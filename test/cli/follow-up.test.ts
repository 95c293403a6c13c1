/**
 * The issue's « Done when », as a user runs it on a fresh clone: separate `facteur` processes
 * (dist/) sharing a fresh data directory and its embedded simulator.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'facteur-follow-up-'));
cpSync(path.join(ROOT, 'examples'), path.join(dir, 'examples'), { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function facteur(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [path.join(ROOT, 'bin/facteur.js'), ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir, FACTEUR_DATA_DIR: path.join(dir, 'data') },
    timeout: 120_000,
  });
}

describe('facteur deposit → simulator status → follow-up --once → invoices --json', () => {
  it('shows SUSPENDUE with the buyer’s comment, and the terminal notification with « Compléter »', async () => {
    const deposited = await facteur(
      'deposit',
      'examples/facture-exemple.pdf',
      '--recipient',
      '21330063500017',
      '--yes',
      '--json',
    );
    const receipt = JSON.parse(deposited.stdout) as { chorusInvoiceId: number; invoiceNumber: string };
    const comment = 'Bon de livraison signé manquant';
    await facteur('simulator', 'status', String(receipt.chorusInvoiceId), 'SUSPENDUE', '--comment', comment);

    const cycle = await facteur('follow-up', '--once');
    expect(cycle.stdout).toContain(`${receipt.invoiceNumber} : Déposée → Suspendue (« ${comment} »)`);

    const listed = JSON.parse((await facteur('invoices', '--json')).stdout) as Array<Record<string, unknown>>;
    expect(listed).toHaveLength(1);
    expect(Object.keys(listed[0]!).sort()).toEqual(
      [
        'provisionalNumber',
        'invoiceNumber',
        'chorusInvoiceId',
        'recipientSiret',
        'totalInclTax',
        'depositedAt',
        'status',
        'statusAt',
        'statusComment',
        'paymentDueBy',
        'lateInterest',
      ].sort(),
    );
    expect(listed[0]).toMatchObject({
      invoiceNumber: receipt.invoiceNumber,
      chorusInvoiceId: receipt.chorusInvoiceId,
      recipientSiret: '21330063500017',
      totalInclTax: '1500.00',
      status: 'SUSPENDUE',
      statusComment: comment,
      paymentDueBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      lateInterest: null,
    });

    // A second cycle finds nothing new; the terminal shows the notification once, at chat start.
    expect((await facteur('follow-up', '--once')).stdout).toContain('Aucun changement.');
    const chat = await run(
      'sh',
      ['-c', `printf 'quitter\\n' | "${process.execPath}" "${path.join(ROOT, 'bin/facteur.js')}" chat`],
      {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir, FACTEUR_DATA_DIR: path.join(dir, 'data') },
        timeout: 120_000,
      },
    );
    expect(chat.stdout).toContain(`Facture ${receipt.invoiceNumber} suspendue`);
    expect(chat.stdout).toContain(comment);
    expect(chat.stdout).toMatch(/1\. Compléter/);
    const again = await run(
      'sh',
      ['-c', `printf 'quitter\\n' | "${process.execPath}" "${path.join(ROOT, 'bin/facteur.js')}" chat`],
      {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir, FACTEUR_DATA_DIR: path.join(dir, 'data') },
        timeout: 120_000,
      },
    );
    expect(again.stdout).not.toContain('suspendue');
  }, 300_000);
});
