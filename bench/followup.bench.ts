/**
 * Follow-up cycle at scale: N followed invoices across 100 accounts (N = 1,000 then 10,000), one
 * invoice per account changing status between cycles. Prints the Chorus Pro calls of a cycle, its
 * duration (median of 3) and the heap it leaves behind, for both sizes: calls and memory follow
 * the accounts and the changes, not the invoices. Real HTTP to the simulator, real SQLite store.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createChorusClientFactory,
  createFollowUpService,
  startSimulator,
  type SimInvoice,
} from '../src/deposit/index.js';
import { createFollowUpEngine } from '../src/followup/engine.js';
import { lazyRecognizer } from '../src/deposit/environment.js';
import { createRecognizer } from '../src/recognition/index.js';
import { createSilentLogger } from '../src/shared/logger.js';
import { createStore } from '../src/store/index.js';

const ACCOUNTS = 100;
const ROUNDS = 2;
const DAY = 86_400_000;

function simInvoice(id: number, depositedAt: number): SimInvoice {
  const at = (ms: number) => new Date(depositedAt + ms).toISOString();
  return {
    id,
    login: 'demo',
    number: `B-${id}`,
    invoiceDate: at(0).slice(0, 10),
    depositedAt: at(0),
    supplierStructureId: 26100001,
    supplierSiret: '91234567500017',
    supplierName: 'Camille Martin EI',
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const heapMb = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 1e6;
};

async function scenario(total: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'facteur-bench-fu-'));
  const now = Date.now();
  const ids = Array.from({ length: total }, (_, i) => 5_000_001 + i);
  mkdirSync(path.join(dir, 'sim'), { recursive: true });
  writeFileSync(
    path.join(dir, 'sim', 'state.json'),
    JSON.stringify({
      version: 1,
      nextPieceId: 9_000_000,
      nextInvoiceId: 6_000_000,
      nextHistoryId: 90_000_000,
      clockOffsetMs: 0,
      pieces: [],
      invoices: ids.map((id, i) => simInvoice(id, now - 20 * DAY + i * 1000)),
    }),
  );
  const recognizer = lazyRecognizer(() => createRecognizer({ poolSize: 1 }));
  const sim = await startSimulator({ recognizer, dataDir: path.join(dir, 'sim'), lifecycle: false });
  const store = await createStore({ dataDir: path.join(dir, 'data'), secretKey: '7f'.repeat(32) });
  let calls = 0;
  const clientFor = createChorusClientFactory({
    apiUrl: sim.apiUrl,
    oauthUrl: sim.oauthUrl,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
    fetch: (input, init) => {
      if (!String(input).includes('/oauth/')) calls++;
      return fetch(input, init);
    },
  });
  const accounts: string[] = [];
  const started = performance.now();
  for (let a = 0; a < ACCOUNTS; a++) accounts.push((await store.accounts.create({ name: `bench-${a}` })).id);
  for (let i = 0; i < total; i++) {
    const inv = simInvoice(ids[i]!, now - 20 * DAY + i * 1000);
    await store.followUps.track({
      accountId: accounts[i % ACCOUNTS]!,
      chorusInvoiceId: inv.id,
      channel: 'telegram',
      userId: String(1000 + (i % ACCOUNTS)),
      invoiceNumber: inv.number,
      recipientSiret: inv.recipientSiret,
      totalInclTaxCents: 120_000,
      currency: 'EUR',
      depositedAt: inv.depositedAt,
      status: 'MISE_A_DISPOSITION',
      statusAt: inv.history[2]!.at,
    });
  }
  // Followed since before: every account's search starts now.
  for (const a of accounts) await store.followUps.finishPoll(a, { ok: true, cursorAt: new Date() });
  const setupMs = Math.round(performance.now() - started);
  const engine = createFollowUpEngine({
    store,
    service: createFollowUpService({ clientFor }),
    credentials: async () => ({ login: 'demo', password: 'demo' }),
    logger: createSilentLogger(),
    owner: 'bench',
  });
  await engine.runOnce(); // warm-up (token, statements)
  const ms: number[] = [];
  const callCounts: number[] = [];
  let changes = 0;
  const heapBefore = heapMb();
  for (let round = 0; round < ROUNDS; round++) {
    // One invoice of each account changes status.
    for (let a = 0; a < ACCOUNTS; a++)
      await sim.setInvoiceStatus(ids[round * ACCOUNTS + a]!, 'SUSPENDUE', `Pièce manquante (tour ${round})`);
    calls = 0;
    const report = await engine.runOnce();
    ms.push(report.ms);
    callCounts.push(calls);
    changes += report.accounts.reduce((n, r) => n + r.changes.length, 0);
  }
  calls = 0;
  const quiet = await engine.runOnce();
  const quietCalls = calls;
  const heapAfter = heapMb();
  console.log(
    `${String(total).padStart(6)} invoices / ${ACCOUNTS} accounts: setup ${setupMs} ms; cycle with ${ACCOUNTS} changes: ` +
      `${median(callCounts)} calls, ${median(ms)} ms (${ms.join(', ')}); quiet cycle: ${quietCalls} calls, ` +
      `${quiet.ms} ms; ${changes} changes seen; heap ${heapBefore.toFixed(1)} → ${heapAfter.toFixed(1)} MB ` +
      `(rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB)`,
  );
  await store.close();
  await sim.stop();
  await recognizer.close();
  rmSync(dir, { recursive: true, force: true });
}

export default async function run(): Promise<void> {
  console.log(
    'follow-up: one cycle per round, 1 invoice per account changing (machine shared, 2 cores: figures are noisy)',
  );
  // FACTEUR_BENCH_FOLLOWUP_SIZES=10000 runs one size only.
  const sizes = (process.env.FACTEUR_BENCH_FOLLOWUP_SIZES ?? '1000,10000').split(',').map(Number);
  for (const total of sizes) await scenario(total);
}
