/**
 * The follow-up bench's world: 100 technical accounts of the simulator (one login and one supplier
 * structure each, so each account's search returns its own changes), their N invoices written as
 * the simulator's saved state, and an optional PostgreSQL schema for the Facteur side.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import type { SimInvoice } from '../../src/deposit/index.js';

export const ACCOUNTS = 100;
export const PASSWORD = 'bench-password';
export const login = (a: number) => `bench-${a}`;
const structureId = (a: number) => 26_200_000 + a;

/** A Luhn-valid SIRET for account `a` (the simulator's seed checks them). */
function siretOf(a: number): string {
  const base = `9${String(a).padStart(12, '0')}`;
  for (let d = 0; d < 10; d++) {
    const candidate = `${base}${d}`;
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let v = candidate.charCodeAt(candidate.length - 1 - i) - 48;
      if (i % 2 === 1) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
      sum += v;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

/** Invoice `id` of account `account`, deposited at `depositedAt`, now MISE_A_DISPOSITION. */
export function simInvoice(id: number, account: number, depositedAt: number): SimInvoice {
  const at = (ms: number) => new Date(depositedAt + ms).toISOString();
  return {
    id,
    login: login(account),
    number: `B-${id}`,
    invoiceDate: at(0).slice(0, 10),
    depositedAt: at(0),
    supplierStructureId: structureId(account),
    supplierSiret: siretOf(account),
    supplierName: `Indépendant ${account}`,
    recipientStructureId: 25000101,
    recipientSiret: '21330063500017',
    recipientName: 'Commune de Saint-Aubin-sur-Garonne',
    cadreCode: 'A1_FACTURE_FOURNISSEUR',
    invoiceType: 'FACTURE',
    vatRegime: 'TVA_SUR_DEBIT',
    paymentMode: 'VIREMENT',
    currency: 'EUR',
    totalExclTax: 1000,
    totalTax: 200,
    totalInclTax: 1200,
    amountDue: 1200,
    pieceJointeId: id,
    fileName: 'facture.pdf',
    modeDepot: 'DEPOT_PDF_API',
    fingerprint: 'x',
    status: 'MISE_A_DISPOSITION',
    history: [
      { id: id * 10 + 1, status: 'DEPOSEE', at: at(0) },
      { id: id * 10 + 2, status: 'EN_COURS_ACHEMINEMENT', at: at(60_000) },
      { id: id * 10 + 3, status: 'MISE_A_DISPOSITION', at: at(300_000) },
    ],
  };
}

/**
 * Writes the simulator's world in `dir`: the seed (accounts, structures) and `sim/state.json`
 * with `size` invoices from `firstId` (invoice i belongs to account i % ACCOUNTS); resolves the
 * seed file to pass as `extraSeedFiles`.
 */
export function writeSimWorld(dir: string, size: number, firstId: number, depositedFrom: number): string {
  mkdirSync(path.join(dir, 'sim'), { recursive: true });
  const seedFile = path.join(dir, 'bench-seed.json');
  writeFileSync(
    seedFile,
    JSON.stringify({
      technicalAccounts: Array.from({ length: ACCOUNTS }, (_, a) => ({
        login: login(a),
        password: PASSWORD,
        supplierStructureIds: [structureId(a)],
      })),
      structures: Array.from({ length: ACCOUNTS }, (_, a) => ({
        idStructureCPP: structureId(a),
        siret: siretOf(a),
        name: `Indépendant ${a}`,
        type: 'PRIVEE',
      })),
    }),
  );
  writeFileSync(
    path.join(dir, 'sim', 'state.json'),
    JSON.stringify({
      version: 1,
      nextPieceId: 9_000_000,
      nextInvoiceId: 6_000_000,
      nextHistoryId: 90_000_000,
      clockOffsetMs: 0,
      pieces: [],
      invoices: Array.from({ length: size }, (_, i) =>
        simInvoice(firstId + i, i % ACCOUNTS, depositedFrom + i * 1000),
      ),
    }),
  );
  return seedFile;
}

export /**
 * FACTEUR_BENCH_FOLLOWUP_PG=<url> (e.g. postgres://postgres@127.0.0.1:5432/test) runs the Facteur
 * side on PostgreSQL, in a schema created for the run and dropped after it.
 */
async function pgSchema(base: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE SCHEMA ${schema}`);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}
