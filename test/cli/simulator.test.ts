/**
 * `facteur simulator` as a real process (bin/facteur.js → dist/, built by `npm test` first):
 * started on a random port with a data directory, driven by `deposit`, `simulator invoices` and
 * `simulator status`, stopped with SIGTERM, restarted on the same data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFacteur } from './helpers/run-in-process.js';
import { makeExamples } from '../fixtures/make-examples.js';

const BIN = fileURLToPath(new URL('../../bin/facteur.js', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'facteur-cli-simulator-'));
const children: ChildProcess[] = [];

async function startProcess(
  ...args: string[]
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'simulator', '--port', '0', ...args], {
    cwd: dir,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulator did not start: ${out}`)), 20_000);
    child.stdout!.on('data', () => {
      const m = /prêt sur (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}: ${out}`)));
  });
  return { child, url, output: () => out };
}

function stopProcess(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

const facteur = (argv: string[], env: Record<string, string> = {}) =>
  runFacteur(argv, { env: { FACTEUR_DATA_DIR: path.join(dir, 'unused'), ...env }, cwd: dir });

beforeAll(async () => {
  for (const [name, bytes] of Object.entries(await makeExamples()))
    writeFileSync(path.join(dir, name), bytes);
  writeFileSync(
    path.join(dir, 'extra-seed.json'),
    JSON.stringify({
      structures: [
        {
          idStructureCPP: 99000001,
          siret: '21330044100010',
          name: 'Commune nouvelle de Test',
          type: 'PUBLIQUE',
        },
      ],
    }),
  );
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('facteur simulator', () => {
  it('serves any PISTE client, is driven by its sub-commands, and keeps its data across a restart', async () => {
    const first = await startProcess('--data', 'data/simulator', '--seed', 'extra-seed.json');
    expect(first.output()).toContain('facteur-simulator / facteur-simulator-secret');
    expect(first.output()).toContain('demo / demo');
    const env = { CHORUS_API_URL: `${first.url}/cpro` };

    const found = await facteur(['structures', 'search', '21330044100010'], env);
    expect(found.stdout).toContain('Commune nouvelle de Test');

    // With nothing configured, a command whose embedded simulator would use the same data
    // directory talks to the running one instead of opening the state a second time.
    const deposit = await facteur(
      ['deposit', 'facture-exemple.pdf', '--recipient', '21330063500017', '--yes', '--json'],
      { FACTEUR_DATA_DIR: path.join(dir, 'data') },
    );
    expect(deposit.stderr).toBe('');
    expect(deposit.code).toBe(0);
    const { chorusInvoiceId } = JSON.parse(deposit.stdout) as { chorusInvoiceId: number };

    const moved = await facteur([
      'simulator',
      'status',
      String(chorusInvoiceId),
      'suspendue',
      '--comment',
      'Bon de livraison manquant',
      '--url',
      first.url,
    ]);
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain('Suspendue');
    const listed = await facteur(['simulator', 'invoices', '--url', first.url]);
    expect(listed.stdout).toMatch(new RegExp(`${chorusInvoiceId}\\s+F-2026-0042\\s+Suspendue`));
    expect(await stopProcess(first.child)).toBe(0);

    const second = await startProcess('--data', 'data/simulator');
    const again = await facteur(['simulator', 'invoices', '--url', second.url, '--json']);
    const invoices = JSON.parse(again.stdout) as Array<{
      id: number;
      status: string;
      history: Array<{ comment?: string }>;
    }>;
    expect(invoices.map((i) => [i.id, i.status])).toEqual([[chorusInvoiceId, 'SUSPENDUE']]);
    expect(invoices[0]!.history.at(-1)!.comment).toBe('Bon de livraison manquant');
    expect(await stopProcess(second.child)).toBe(0);
  });

  it('says so when no simulator answers, and rejects bad options', async () => {
    const none = await facteur(['simulator', 'invoices', '--url', 'http://127.0.0.1:1']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('aucun simulateur ne répond');
    expect((await facteur(['simulator', '--port', 'abc'])).code).toBe(2);
    expect((await facteur(['simulator', '--help'])).stdout).toContain('facteur-simulator-secret');
  });
});
