import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MIGRATIONS,
  SQLITE_FILE_NAME,
  formatProvisional,
  type Store,
  type StoreDeps,
} from '../../src/store/index.js';
import { type Backend, BACKENDS, closeBackend, createBackend } from './helpers.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'store-worker.ts');

/**
 * Runs workers in their own Node processes (tsx), released together once all have booted;
 * resolves their JSON outputs.
 */
async function runWorkers(jobs: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const readies: Promise<void>[] = [];
  const children = jobs.map((job) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', WORKER, JSON.stringify({ ...job, barrier: true })],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    let onReady!: () => void;
    readies.push(new Promise<void>((resolve) => (onReady = resolve)));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.startsWith('ready\n')) onReady();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const result = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        onReady(); // never leave the barrier waiting on a dead worker
        if (code !== 0) return reject(new Error(`worker exited with ${code}: ${stderr}`));
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>);
      });
    });
    return { child, result };
  });
  await Promise.all(readies);
  for (const { child } of children) child.stdin.end('go\n');
  return Promise.all(children.map((c) => c.result));
}

async function migrationRows(backend: Backend): Promise<number[]> {
  if (backend.databaseUrl) {
    const client = new pg.Client({ connectionString: backend.databaseUrl });
    await client.connect();
    const res = await client.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    await client.end();
    return res.rows.map((r) => Number(r.version));
  }
  const db = new Database(path.join(backend.dataDir, SQLITE_FILE_NAME), { readonly: true });
  const rows = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as {
    version: number;
  }[];
  db.close();
  return rows.map((r) => r.version);
}

describe.each(BACKENDS)('two processes on the same %s database', (name) => {
  let backend: Backend;
  let store: Store;
  let deps: StoreDeps;

  beforeAll(async () => {
    backend = await createBackend(name);
    deps = backend.deps();
  });
  afterAll(() => closeBackend(store, backend));

  it('start together on an empty database: migrations applied once', async () => {
    await runWorkers([
      { deps, mode: 'open' },
      { deps, mode: 'open' },
    ]);
    expect(await migrationRows(backend)).toEqual(MIGRATIONS.map((m) => m.version));
    store = await backend.open();
    expect(await migrationRows(backend)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('deliver events to the same drafts: none lost, none duplicated, each source in order', async () => {
    const account = await store.accounts.create({ name: 'Multi' });
    const conversations: string[] = [];
    for (let i = 0; i < 3; i++) {
      const conv = await store.conversations.create({
        accountId: account.id,
        startedBy: { channel: 'terminal', userId: 'local' },
        snapshot: { events: [] },
        machineVersion: 1,
      });
      conversations.push(conv.id);
    }
    const own = 12;
    const shared = 6;
    const results = await runWorkers(
      ['A', 'B'].map((worker) => ({ deps, mode: 'deliver', worker, conversations, own, shared })),
    );
    console.log(
      `${name}: revision conflicts retried`,
      results.map((r) => r.conflicts),
    );
    const applied = results.reduce((n, r) => n + Number(r.applied), 0);
    const duplicates = results.reduce((n, r) => n + Number(r.duplicates), 0);
    expect(applied).toBe(conversations.length * (2 * own + shared));
    // Each worker redelivers every third own event, and each shared event reaches both workers.
    expect(duplicates).toBe(conversations.length * (2 * Math.ceil(own / 3) + shared));

    for (const id of conversations) {
      const conv = await store.conversations.get(id);
      const events = (conv?.snapshot as { events: string[] }).events;
      expect(conv?.revision).toBe(events.length);
      expect(events).toHaveLength(2 * own + shared);
      expect(new Set(events).size).toBe(events.length);
      for (const source of ['A', 'B', 'shared']) {
        const seq = events.filter((e) => e.startsWith(`${source}:`)).map((e) => Number(e.split(':')[1]));
        expect(seq).toEqual(Array.from({ length: source === 'shared' ? shared : own }, (_, i) => i));
      }
      // The stored result of every key is the one of its single application.
      const stored = await store.conversations.findApplied(`shared:${id}:0`);
      expect(stored?.result).toEqual([{ event: 'shared:0' }]);
    }
  });

  it('a process killed (SIGKILL) in the middle of applying events leaves a consistent draft', async () => {
    const account = await store.accounts.create({ name: 'Killed' });
    const conv = await store.conversations.create({
      accountId: account.id,
      startedBy: { channel: 'terminal', userId: 'local' },
      snapshot: { events: [] },
      machineVersion: 1,
    });
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', WORKER, JSON.stringify({ deps, mode: 'until-killed', conversations: [conv.id] })],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('worker never started')), 30_000);
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('running')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', () => reject(new Error('worker exited before being killed')));
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));

    // A fresh store (as after a restart) sees a draft whose every applied event is complete.
    const restarted = await backend.open();
    try {
      const after = await restarted.conversations.get(conv.id);
      const events = (after?.snapshot as { events: string[] }).events;
      expect(events.length).toBeGreaterThan(20);
      expect(after?.revision).toBe(events.length);
      expect(events).toEqual(Array.from({ length: events.length }, (_, i) => `K:${i}`));
      const last = await restarted.conversations.findApplied(`K:${conv.id}:${events.length - 1}`);
      expect(last).toMatchObject({ revision: events.length, result: [{ event: `K:${events.length - 1}` }] });
      expect(await restarted.conversations.findApplied(`K:${conv.id}:${events.length}`)).toBeUndefined();
      // And it goes on from there.
      const next = await restarted.conversations.apply({
        conversationId: conv.id,
        expectedRevision: events.length,
        snapshot: { events: [...events, 'after'] },
        status: 'open',
      });
      expect(next.applied).toBe(true);
    } finally {
      await restarted.close();
    }
  });

  it('hand out distinct provisional numbers across processes', async () => {
    const account = await store.accounts.create({ name: 'Numbers' });
    const results = await runWorkers(
      ['A', 'B'].map((worker) => ({ deps, mode: 'create', worker, accountId: account.id, count: 10 })),
    );
    const numbers = results.flatMap((r) => r.numbers as string[]).sort();
    const year = Number(
      new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', year: 'numeric' }).format(new Date()),
    );
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => formatProvisional(year, i + 1)));
  });
});
