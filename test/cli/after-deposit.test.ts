/**
 * The terminal channel after a deposit: `node bin/facteur.js chat` in a child process (compiled
 * dist/, embedded simulator, SQLite in a temp data dir), lines piped to stdin.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/facteur.js');
let base: string;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'facteur-chat-after-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

function chat(dataDir: string, args: string[], lines: string[]): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'chat', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', FACTEUR_DATA_DIR: dataDir, LOG_LEVEL: 'error' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  return new Promise((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`facteur chat exited ${code}\n${stdout}\n${stderr}`)),
    ),
  );
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('facteur chat after a deposit', { timeout: 120_000 }, () => {
  it('answers courtesy in one line, lists the invoices, finds one by number, and never re-sends the receipt', async () => {
    const dir = path.join(base, 'after');
    const out = await chat(
      dir,
      ['examples/facture-exemple.pdf'],
      [
        'ok',
        'ok',
        'ok',
        'ok',
        'ok',
        'confirmer',
        'merci !',
        'merci',
        'ok',
        'Bonjour',
        'et maintenant ?',
        ...Array.from({ length: 20 }, (_, i) => (i % 2 ? 'merci' : 'ok')),
        'mes factures',
        'statut F-2026-0042',
        'notifications off',
      ],
    );
    expect(count(out, 'Facture déposée sur Chorus Pro')).toBe(1);
    expect(count(out, 'Le récapitulatif de dépôt est joint')).toBe(1);
    expect(count(out, 'Avec plaisir !')).toBe(1);
    expect(count(out, 'Parfait. Envoyez une nouvelle facture PDF')).toBe(1);
    expect(out).toContain('Bonjour ! Envoyez-moi une facture PDF');
    expect(out).toContain('La facture F-2026-0042 est déposée : elle ne se modifie plus.');
    expect(out).not.toContain('ce brouillon est terminé');
    expect(out).toContain('Vos factures déposées');
    expect(out).toMatch(/F-2026-0042 — Commune de Saint-Aubin-sur-Garonne — 1 500,00 € — Déposée/);
    expect(out).toMatch(/facture déposée sur Chorus Pro \(n° \d+\), statut actuel : Déposée/);
    expect(out).toContain('Notifications désactivées pour le compte « demo »');
    // One receipt PDF saved, not one per « merci ».
    const receipts = (await readdir(path.join(dir, 'recus'))).filter((f) => f.endsWith('.pdf'));
    expect(receipts).toHaveLength(1);
  });
});
