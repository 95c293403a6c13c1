/**
 * Follow-up cycle at scale: N followed invoices across 100 accounts (N = 1,000 then 10,000), one
 * invoice per account changing status between cycles. Prints, for each size, the Chorus Pro
 * calls of a cycle, its duration (median of 3), a quiet cycle (nothing changed), and the memory
 * of the Facteur side after the cycles (V8 heap after a GC, RSS, peak RSS); then whether calls
 * and memory stay flat from 1,000 to 10,000 invoices: they should follow the accounts and the
 * changes, not the invoices.
 *
 * Two processes, as in production: this one runs the simulator (Chorus Pro, real HTTP), with one
 * technical account (login) and one supplier structure per Facteur account, so each account's
 * search returns its own changes; a child process (fork) runs the Facteur side alone (real SQLite
 * store, the follow-up engine), so its memory is Facteur's, not the simulator's 10,000 invoices.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createChorusClientFactory, createFollowUpService, startSimulator } from '../src/deposit/index.js';
import { lazyRecognizer } from '../src/deposit/environment.js';
import { createFollowUpEngine } from '../src/followup/engine.js';
import { createRecognizer } from '../src/recognition/index.js';
import { createSilentLogger } from '../src/shared/logger.js';
import { createStore } from '../src/store/index.js';
import { ACCOUNTS, PASSWORD, login, pgSchema, simInvoice, writeSimWorld } from './helpers/followup-world.js';

const ROUNDS = 3;
const DAY = 86_400_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => bytes / 1e6;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

interface ChildInput {
  size: number;
  dataDir: string;
  /** PostgreSQL (a schema of its own) instead of SQLite. */
  databaseUrl?: string;
  apiUrl: string;
  oauthUrl: string;
  clientId: string;
  clientSecret: string;
  /** Invoice i belongs to account i % ACCOUNTS. */
  firstId: number;
  depositedFrom: number;
}

interface ChildResult {
  size: number;
  setupMs: number;
  calls: number[];
  /** Store (SQL) calls of each cycle. */
  storeCalls: number[];
  ms: number[];
  /** CPU time of the Facteur process during each cycle (ms). */
  cpuMs: number[];
  /** CPU time of the simulator (this process) during each cycle (ms), filled in here. */
  simCpuMs: number[];
  changes: number;
  quietCalls: number;
  quietMs: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  rssMb: number;
  peakRssMb: number;
}

type ToParent = { type: 'change'; round: number } | { type: 'result'; result: ChildResult };

/** The Facteur side, alone in its process: store, seeding, engine, cycles. */
async function child(input: ChildInput): Promise<void> {
  const send = (m: ToParent) => process.send!(m);
  let changed: (() => void) | undefined;
  process.on('message', (m: { type: string }) => {
    if (m.type === 'changed') changed?.();
  });
  const askChange = (round: number) =>
    new Promise<void>((resolve) => {
      changed = resolve;
      send({ type: 'change', round });
    });
  const heapMb = () => {
    globalThis.gc?.();
    return mb(process.memoryUsage().heapUsed);
  };
  const peakRssMb = () => {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1e3 : NaN;
  };

  const store = await createStore({
    dataDir: input.dataDir,
    secretKey: '7f'.repeat(32),
    ...(input.databaseUrl ? { databaseUrl: input.databaseUrl } : {}),
  });
  let calls = 0;
  const clientFor = createChorusClientFactory({
    apiUrl: input.apiUrl,
    oauthUrl: input.oauthUrl,
    clientId: input.clientId,
    clientSecret: input.clientSecret,
    fetch: (url, init) => {
      if (!String(url).includes('/oauth/')) calls++;
      return fetch(url, init);
    },
  });
  const started = performance.now();
  const accounts: string[] = [];
  for (let a = 0; a < ACCOUNTS; a++) accounts.push((await store.accounts.create({ name: `bench-${a}` })).id);
  const indexOf = new Map(accounts.map((id, a) => [id, a]));
  // Seeded by 8 workers side by side (one transaction per invoice: PostgreSQL's round trips overlap).
  let nextInvoice = 0;
  const seed = async () => {
    for (let i = nextInvoice++; i < input.size; i = nextInvoice++) {
      const a = i % ACCOUNTS;
      const inv = simInvoice(input.firstId + i, a, input.depositedFrom + i * 1000);
      await store.followUps.track({
        accountId: accounts[a]!,
        chorusInvoiceId: inv.id,
        channel: 'telegram',
        userId: String(1000 + a),
        invoiceNumber: inv.number,
        recipientSiret: inv.recipientSiret,
        totalInclTaxCents: 120_000,
        currency: 'EUR',
        depositedAt: inv.depositedAt,
        status: 'MISE_A_DISPOSITION',
        statusAt: inv.history[2]!.at,
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, seed));
  // Followed since before: every account's search starts now.
  for (const a of accounts) await store.followUps.finishPoll(a, { ok: true, cursorAt: new Date() });
  const setupMs = Math.round(performance.now() - started);

  // Store calls made by the cycles (each method wrapped): they too follow the accounts and changes.
  let storeCalls = 0;
  for (const part of [store.followUps, store.outbox]) {
    const methods = part as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const name of Object.keys(methods)) {
      const method = methods[name]!;
      methods[name] = (...args: unknown[]) => {
        storeCalls++;
        return method(...args);
      };
    }
  }
  const engine = createFollowUpEngine({
    store,
    service: createFollowUpService({ clientFor }),
    credentials: async (accountId) => ({ login: login(indexOf.get(accountId)!), password: PASSWORD }),
    logger: createSilentLogger(),
    owner: 'bench',
  });
  await engine.runOnce(); // warm-up (token, statements, JIT)
  const heapBeforeMb = heapMb();
  const ms: number[] = [];
  const cpuMs: number[] = [];
  const callCounts: number[] = [];
  const storeCallCounts: number[] = [];
  let changes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    await askChange(round);
    calls = 0;
    storeCalls = 0;
    const cpu = process.cpuUsage();
    const report = await engine.runOnce();
    const used = process.cpuUsage(cpu);
    cpuMs.push(Math.round((used.user + used.system) / 1000));
    ms.push(report.ms);
    callCounts.push(calls);
    storeCallCounts.push(storeCalls);
    changes += report.accounts.reduce((n, r) => n + r.changes.length, 0);
    const failed = report.accounts.filter((r) => r.error);
    if (failed.length > 0) throw new Error(`${failed.length} accounts failed: ${failed[0]!.error}`);
  }
  calls = 0;
  const quiet = await engine.runOnce();
  const quietCalls = calls;
  const heapAfterMb = heapMb();
  await store.close();
  send({
    type: 'result',
    result: {
      size: input.size,
      setupMs,
      calls: callCounts,
      storeCalls: storeCallCounts,
      ms,
      cpuMs,
      simCpuMs: [],
      changes,
      quietCalls,
      quietMs: quiet.ms,
      heapBeforeMb,
      heapAfterMb,
      rssMb: mb(process.memoryUsage().rss),
      peakRssMb: peakRssMb(),
    },
  });
}

/** The simulator side (this process) for one size, and the Facteur child's figures. */

async function scenario(size: number): Promise<ChildResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'facteur-bench-fu-'));
  const pgBase = process.env.FACTEUR_BENCH_FOLLOWUP_PG;
  const schema = pgBase ? await pgSchema(pgBase) : undefined;
  const firstId = 5_000_001;
  const depositedFrom = Date.now() - 20 * DAY;
  const ids = Array.from({ length: size }, (_, i) => firstId + i);
  const seedFile = writeSimWorld(dir, size, firstId, depositedFrom);
  const recognizer = lazyRecognizer(() => createRecognizer({ poolSize: 1 }));
  const sim = await startSimulator({
    recognizer,
    dataDir: path.join(dir, 'sim'),
    lifecycle: false,
    extraSeedFiles: [seedFile],
  });
  try {
    const input: ChildInput = {
      size,
      dataDir: path.join(dir, 'data'),
      ...(schema ? { databaseUrl: schema.url } : {}),
      apiUrl: sim.apiUrl,
      oauthUrl: sim.oauthUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      firstId,
      depositedFrom,
    };
    const proc = fork(fileURLToPath(import.meta.url), [], {
      // FACTEUR_BENCH_FOLLOWUP_PROFILE=<dir> writes a CPU profile of the Facteur side there.
      execArgv: [
        '--expose-gc',
        '--import',
        'tsx',
        ...(process.env.FACTEUR_BENCH_FOLLOWUP_PROFILE
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.FACTEUR_BENCH_FOLLOWUP_PROFILE}`]
          : []),
      ],
      env: { ...process.env, FACTEUR_BENCH_FOLLOWUP_CHILD: JSON.stringify(input) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const simCpuMs: number[] = [];
    let cycleCpu: NodeJS.CpuUsage | undefined;
    const endCycle = () => {
      if (!cycleCpu) return;
      const used = process.cpuUsage(cycleCpu);
      simCpuMs.push(Math.round((used.user + used.system) / 1000));
      cycleCpu = undefined;
    };
    return await new Promise<ChildResult>((resolve, reject) => {
      let result: ChildResult | undefined;
      proc.on('message', (m: ToParent) => {
        endCycle();
        if (m.type === 'result') result = { ...m.result, simCpuMs: simCpuMs.slice(0, ROUNDS) };
        else
          void (async () => {
            // One invoice of each account changes status (account a owns the ids ≡ a mod 100).
            for (let a = 0; a < ACCOUNTS; a++)
              await sim.setInvoiceStatus(
                ids[m.round * ACCOUNTS + a]!,
                'SUSPENDUE',
                `Pièce manquante (tour ${m.round})`,
              );
            cycleCpu = process.cpuUsage();
            proc.send({ type: 'changed' });
          })().catch(reject);
      });
      proc.on('error', reject);
      proc.on('exit', (code) =>
        result ? resolve(result) : reject(new Error(`bench child exited with ${code} and no result`)),
      );
    });
  } finally {
    await sim.stop();
    await recognizer.close();
    await schema?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function line(r: ChildResult): string {
  return (
    `${String(r.size).padStart(6)} invoices / ${ACCOUNTS} accounts: setup ${r.setupMs} ms; ` +
    `cycle with ${ACCOUNTS} changes: ${median(r.calls)} calls, ${median(r.storeCalls)} store calls, ${median(r.ms)} ms median (${r.ms.join(', ')}), ` +
    `CPU Facteur ${median(r.cpuMs)} ms, simulator ${median(r.simCpuMs)} ms; ` +
    `quiet cycle: ${r.quietCalls} calls, ${r.quietMs} ms; ${r.changes} changes seen; ` +
    `heap ${r.heapBeforeMb.toFixed(1)} → ${r.heapAfterMb.toFixed(1)} MB, rss ${r.rssMb.toFixed(0)} MB ` +
    `(peak ${r.peakRssMb.toFixed(0)} MB)`
  );
}

export default async function run(): Promise<void> {
  console.log(
    `follow-up: one cycle per round, 1 invoice per account changing; Facteur side in its own process, ` +
      `${process.env.FACTEUR_BENCH_FOLLOWUP_PG ? 'PostgreSQL' : 'SQLite'} store ` +
      `(machine shared, 2 cores: figures are noisy); load ${load()}`,
  );
  // FACTEUR_BENCH_FOLLOWUP_SIZES=10000 runs one size only.
  const sizes = (process.env.FACTEUR_BENCH_FOLLOWUP_SIZES ?? '1000,10000').split(',').map(Number);
  const results: ChildResult[] = [];
  for (const size of sizes) {
    const r = await scenario(size);
    results.push(r);
    console.log(`${line(r)}; load ${load()}`);
  }
  if (results.length < 2) return;
  const [small, large] = [results[0]!, results.at(-1)!];
  const ratio = large.size / small.size;
  const heapGrowth = large.heapAfterMb - small.heapAfterMb;
  const flatHeap = heapGrowth <= Math.max(2, small.heapAfterMb * 0.1);
  const callsFlat =
    median(large.calls) === median(small.calls) &&
    large.quietCalls === small.quietCalls &&
    median(large.storeCalls) === median(small.storeCalls);
  console.log(
    `×${ratio} invoices: calls per cycle ${median(small.calls)} → ${median(large.calls)}, ` +
      `store calls ${median(small.storeCalls)} → ${median(large.storeCalls)} ` +
      `(${callsFlat ? 'flat: they follow accounts and changes' : 'NOT flat'}); ` +
      `ms per cycle ${median(small.ms)} → ${median(large.ms)} (×${(median(large.ms) / median(small.ms)).toFixed(2)}), ` +
      `Facteur CPU per cycle ${median(small.cpuMs)} → ${median(large.cpuMs)} ms, ` +
      `simulator CPU ${median(small.simCpuMs)} → ${median(large.simCpuMs)} ms; ` +
      `heap after cycles ${small.heapAfterMb.toFixed(1)} → ${large.heapAfterMb.toFixed(1)} MB ` +
      `(${heapGrowth >= 0 ? '+' : ''}${heapGrowth.toFixed(1)} MB: ${flatHeap ? 'flat' : 'GROWS with invoices'}); ` +
      `rss ${small.rssMb.toFixed(0)} → ${large.rssMb.toFixed(0)} MB`,
  );
}

const childInput = process.env.FACTEUR_BENCH_FOLLOWUP_CHILD;
if (childInput && process.send)
  child(JSON.parse(childInput) as ChildInput).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
