import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFacteur } from './helpers/run-in-process.js';
import type { RecipientRules, StructureSummary } from '../../src/deposit/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'facteur-cli-structures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const facteur = (...argv: string[]) =>
  runFacteur(['structures', ...argv], { env: { FACTEUR_DATA_DIR: dir }, cwd: dir });

describe('facteur structures (embedded simulator)', () => {
  it('search: by prefix, active structures first, inactive ones marked', async () => {
    const r = await facteur('search', '2133');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toContain('21330063500017  Commune de Saint-Aubin-sur-Garonne');
    expect(lines.at(-1)).toContain('Commune de Vieux-Bourg (fusionnée)  (inactive)');
  });

  it('search --json gives the structures; nothing found exits 1; too few digits is explained', async () => {
    const r = await facteur('search', '110 000 015', '--json');
    expect((JSON.parse(r.stdout) as StructureSummary[]).map((s) => s.name)).toEqual([
      'Ministère de la Transition numérique',
    ]);
    const none = await facteur('search', '99999');
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('Aucune structure trouvée');
    const short = await facteur('search', '21');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('Tapez au moins 3 chiffres du SIRET');
  });

  it('show: the rules and services of a recipient', async () => {
    const r = await facteur('show', '13000123300019');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Agence régionale des achats publics');
    expect(r.stdout).toContain('numéro d’engagement OU code service obligatoire');
    const json = JSON.parse((await facteur('show', '11000001500013', '--json')).stdout) as RecipientRules;
    expect(json).toMatchObject({ serviceCodeRequired: true, engagementRequired: true });
    expect(json.services.find((s) => s.code === 'MISSION-ANCIENNE')?.active).toBe(false);
    expect((await facteur('show', '21330044100010')).code).toBe(1);
  });

  it('usage errors exit 2', async () => {
    expect((await facteur()).code).toBe(2);
    expect((await facteur('find', '2133')).code).toBe(2);
  });
});
