/**
 * Store throughput on SQLite (data dir in /tmp) and PostgreSQL (127.0.0.1,
 * own schema): draft creation, event application (the hot path: one transaction per user
 * event, with its idempotency key and views), reads, 200 KB PDF writes, channel dedup claims.
 * Medians of 3 runs; every loop is bounded in count.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createStore, type Store } from '../src/store/index.js';

const PG_URL = process.env.FACTEUR_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RUNS = 3;

const snapshot = (i: number) => ({
  status: 'active',
  value: { draft: { references: 'editing' } },
  context: {
    fields: Object.fromEntries(
      Array.from({ length: 40 }, (_, k) => [`field${k}`, { value: `valeur ${k} ${i}`, status: 'confirmed' }]),
    ),
    amounts: { totalExclTaxCents: 125000 + i, totalTaxCents: 25000, totalInclTaxCents: 150000 + i },
    history: Array.from({ length: 10 }, (_, k) => ({ at: new Date(0).toISOString(), event: `e${k}` })),
  },
});
const views = [
  {
    kind: 'block',
    lines: Array.from({ length: 8 }, (_, k) => `Ligne ${k} du bloc`),
    choices: [{ id: 'ok', label: 'Confirmer' }],
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function timed(n: number, fn: (i: number) => Promise<unknown>, concurrency = 1): Promise<number> {
  const start = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return n / seconds;
}

async function benchStore(label: string, open: () => Promise<Store>): Promise<void> {
  const results: Record<string, number[]> = {};
  const add = (k: string, v: number) => (results[k] ??= []).push(v);
  for (let run = 0; run < RUNS; run++) {
    const store = await open();
    const account = await store.accounts.create({ name: `bench-${run}-${randomBytes(3).toString('hex')}` });
    const me = { channel: 'telegram', userId: String(1000 + run) } as const;
    const ids: string[] = [];
    add(
      'create draft',
      await timed(200, async () => {
        ids.push(
          (
            await store.conversations.create({
              accountId: account.id,
              startedBy: me,
              snapshot: snapshot(0),
              machineVersion: 1,
            })
          ).id,
        );
      }),
    );
    const revisions = new Map(ids.map((id) => [id, 0]));
    const one = ids[0] ?? '';
    add(
      'apply, 1 draft, sequential',
      await timed(500, async (i) => {
        const rev = revisions.get(one) ?? 0;
        await store.conversations.apply({
          conversationId: one,
          expectedRevision: rev,
          snapshot: snapshot(i),
          status: 'open',
          idempotencyKey: `b:${run}:${i}`,
          result: views,
        });
        revisions.set(one, rev + 1);
      }),
    );
    add(
      'apply, 50 drafts, 8 in parallel',
      await timed(
        500,
        async (i) => {
          const id = ids[1 + (i % 50)] ?? '';
          const rev = revisions.get(id) ?? 0;
          revisions.set(id, rev + 1);
          await store.conversations.apply({
            conversationId: id,
            expectedRevision: rev,
            snapshot: snapshot(i),
            status: 'open',
            idempotencyKey: `p:${run}:${i}`,
            result: views,
          });
        },
        8,
      ),
    );
    add('get draft', await timed(2000, (i) => store.conversations.get(ids[i % ids.length] ?? '')));
    const pdf = randomBytes(200_000);
    add(
      'put 200 KB PDF',
      await timed(100, () =>
        store.files.put({ kind: 'invoice-pdf', fileName: 'f.pdf', mimeType: 'application/pdf', bytes: pdf }),
      ),
    );
    add(
      'deposit marker (durable)',
      await timed(200, (i) =>
        store.deposits.markInFlight({
          conversationId: ids[i % ids.length] ?? '',
          accountId: account.id,
          invoiceNumber: `F-${i}`,
          invoiceDate: '2026-03-01',
        }),
      ),
    );
    add('channel claim', await timed(1000, (i) => store.channelState.claim('bench', `${run}:${i}`)));
    await store.close();
  }
  console.log(`${label}:`);
  for (const [name, values] of Object.entries(results)) {
    console.log(
      `  ${name.padEnd(32)} ${Math.round(median(values)).toString().padStart(7)} op/s (median of ${values.length})`,
    );
  }
}

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'facteur-bench-store-'));
  const key = randomBytes(32).toString('base64');
  try {
    await benchStore('SQLite (WAL, synchronous=NORMAL; FULL for deposit markers)', () =>
      createStore({ dataDir: dir, secretKey: key }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch (error) {
    console.log(`PostgreSQL: not reachable at ${PG_URL} (${(error as Error).message}); skipped`);
    return;
  }
  const pgDir = mkdtempSync(path.join(tmpdir(), 'facteur-bench-store-'));
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const url = new URL(PG_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    await benchStore('PostgreSQL (127.0.0.1)', () =>
      createStore({ dataDir: pgDir, secretKey: key, databaseUrl: url.toString() }),
    );
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    rmSync(pgDir, { recursive: true, force: true });
  }
}
