/**
 * The terminal channel after a deposit: `node bin/facteur.js chat` in a child process (compiled
 * dist/, embedded simulator, SQLite in a temp data dir), lines piped to stdin.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatOutput as chat, useTempBase } from './helpers/chat-pipe.js';

const inBase = useTempBase('facteur-chat-after-');

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('facteur chat after a deposit', { timeout: 120_000 }, () => {
  it('answers courtesy in one line, lists the invoices, finds one by number, and never re-sends the receipt', async () => {
    const dir = inBase('after');
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
