import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { createStore, type Account, type Store, type StoreDeps } from '../../src/store/index.js';

/**
 * Test back-ends. PostgreSQL is required (CI starts it): a file that cannot reach it fails.
 * Each file gets its own schema (`search_path` in the URL options), dropped at the end, so files
 * running in parallel never see each other's rows.
 */
export const PG_BASE_URL = process.env.FACTEUR_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type BackendName = 'sqlite' | 'postgres';
export const BACKENDS: BackendName[] = ['sqlite', 'postgres'];

/** A fixed 32-byte key (hex) for tests that do not exercise the key file. */
export const TEST_KEY = '7f'.repeat(32);

export interface Backend {
  name: BackendName;
  /** Deps of a store on this back-end (same database every call). */
  deps(extra?: Partial<StoreDeps>): StoreDeps;
  open(extra?: Partial<StoreDeps>): Promise<Store>;
  dataDir: string;
  databaseUrl?: string;
  /** Drops the schema / removes the temp dir. */
  dispose(): Promise<void>;
}

export function withSearchPath(baseUrl: string, schema: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

export async function createBackend(name: BackendName): Promise<Backend> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'facteur-store-'));
  let databaseUrl: string | undefined;
  let schema: string | undefined;
  if (name === 'postgres') {
    schema = `s_${randomBytes(6).toString('hex')}`;
    const client = new pg.Client({ connectionString: PG_BASE_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.end();
    databaseUrl = withSearchPath(PG_BASE_URL, schema);
  }
  const deps = (extra: Partial<StoreDeps> = {}): StoreDeps => ({
    dataDir,
    secretKey: TEST_KEY,
    ...(databaseUrl ? { databaseUrl } : {}),
    ...extra,
  });
  return {
    name,
    dataDir,
    databaseUrl,
    deps,
    open: (extra) => createStore(deps(extra)),
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
      if (schema) {
        const client = new pg.Client({ connectionString: PG_BASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    },
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = '2026-03-15T10:00:00.000Z') {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
    set(iso: string) {
      t = new Date(iso).getTime();
    },
  };
}

/** A fresh back-end, its store on `clock` and Camille's account: the set-up of the sub-store suites. */
export async function openWithCamille(
  name: BackendName,
  clock: { now: () => Date },
): Promise<{ backend: Backend; store: Store; account: Account }> {
  const backend = await createBackend(name);
  const store = await backend.open({ now: clock.now });
  const account = await store.accounts.create({ name: 'Camille' });
  return { backend, store, account };
}

/** Closes the store and disposes of its back-end (either may be missing when the set-up failed). */
export async function closeBackend(store: Store | undefined, backend: Backend | undefined): Promise<void> {
  await store?.close();
  await backend?.dispose();
}
