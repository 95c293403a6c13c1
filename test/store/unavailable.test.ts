import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError, createStore, type Store } from '../../src/store/index.js';
import { type Backend, closeBackend, createBackend, PG_BASE_URL, TEST_KEY } from './helpers.js';

describe('store unavailable', () => {
  it('reports an unreachable PostgreSQL in French, quickly', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'facteur-unavail-'));
    try {
      const err = await createStore({
        dataDir: dir,
        secretKey: TEST_KEY,
        databaseUrl: 'postgres://postgres@127.0.0.1:1/test',
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect((err as StoreUnavailableError).userMessage).toMatch(
        /^Base de données indisponible : PostgreSQL \(DATABASE_URL\) injoignable/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a data directory that cannot be created, in French', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'facteur-unavail-'));
    try {
      const blocker = path.join(dir, 'not-a-dir');
      writeFileSync(blocker, 'x');
      const err = await createStore({ dataDir: path.join(blocker, 'data') }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect((err as StoreUnavailableError).userMessage).toContain('dossier de données');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PostgreSQL connections killed under the store', () => {
  let backend: Backend;
  let store: Store;
  const appName = `facteur-kill-${process.pid}-${Date.now()}`;
  beforeAll(async () => {
    backend = await createBackend('postgres');
    // A recognisable application name: the test kills only its own sessions, never other files'.
    const url = new URL(backend.databaseUrl ?? '');
    url.searchParams.set('application_name', appName);
    store = await createStore({ ...backend.deps(), databaseUrl: url.toString() });
  });
  afterAll(() => closeBackend(store, backend));

  it('reconnects on the next operation and loses nothing committed', async () => {
    const account = await store.accounts.create({ name: 'Survivor' });
    const conv = await store.conversations.create({
      accountId: account.id,
      startedBy: { channel: 'terminal', userId: 'local' },
      snapshot: { n: 1 },
      machineVersion: 1,
    });
    const admin = new pg.Client({ connectionString: PG_BASE_URL });
    await admin.connect();
    const killed = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [appName],
    );
    expect(killed.rowCount).toBeGreaterThan(0);
    await admin.end();
    await new Promise((resolve) => setTimeout(resolve, 200));
    let outcome: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        outcome = await store.conversations.apply({
          conversationId: conv.id,
          expectedRevision: 0,
          snapshot: { n: 2 },
          status: 'open',
        });
        break;
      } catch (error) {
        // A connection killed while in use surfaces once as "unavailable", never as a raw driver error.
        expect(error).toBeInstanceOf(StoreUnavailableError);
      }
    }
    expect(outcome).toMatchObject({ applied: true, conversation: { revision: 1, snapshot: { n: 2 } } });
    expect((await store.accounts.get(account.id))?.name).toBe('Survivor');
  });
});
