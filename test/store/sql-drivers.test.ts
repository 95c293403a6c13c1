import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/store/sql/sqlite-driver.js';
import { openPostgres, toPgPlaceholders } from '../../src/store/sql/postgres-driver.js';
import { type Backend, createBackend } from './helpers.js';
import { isUniqueViolation, mapUnavailable, type SqlDriver } from '../../src/store/sql/driver.js';
import { StoreUnavailableError } from '../../src/store/index.js';

describe('SQLite driver', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'facteur-sqlite-'));
  let db: SqlDriver;
  beforeAll(async () => {
    db = openSqlite(path.join(dir, 'x.db'));
    await db.script('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)');
  });
  afterAll(async () => {
    await db.close();
    await db.close(); // twice is safe
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a statement issued during a transaction out of it (it waits, and survives a rollback)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tx = db
      .transaction(async (t) => {
        await t.run('INSERT INTO t (k, v) VALUES (?, ?)', ['inside', 1]);
        await gate;
        throw new Error('rollback please');
      })
      .catch((e: unknown) => e);
    const outside = db.run('INSERT INTO t (k, v) VALUES (?, ?)', ['outside', 2]);
    release();
    expect(await tx).toBeInstanceOf(Error);
    expect(await outside).toBe(1);
    expect(await db.all('SELECT k FROM t ORDER BY k')).toEqual([{ k: 'outside' }]);
  });

  it('makes durable transactions durable by syncing the WAL after COMMIT (NORMAL throughout)', async () => {
    expect(await db.one('PRAGMA synchronous')).toEqual({ synchronous: 1 });
    const inside = await db.transaction(
      async (t) => {
        await t.run('INSERT INTO t (k, v) VALUES (?, ?)', ['durable', 3]);
        return t.one('PRAGMA synchronous');
      },
      { durable: true },
    );
    // The fsync of the WAL runs on the thread pool: COMMIT itself never waits for the disk.
    expect(inside).toEqual({ synchronous: 1 });
    expect(await db.one('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(await db.one('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
    // Resolved: committed, and seen by another connection.
    const other = openSqlite(path.join(dir, 'x.db'));
    expect(await other.one('SELECT v FROM t WHERE k = ?', ['durable'])).toEqual({ v: 3 });
    await other.close();
  });

  it('without a WAL file (in memory) makes the COMMIT itself durable (FULL inside, NORMAL around)', async () => {
    const memory = openSqlite(':memory:');
    const inside = await memory.transaction((t) => t.one('PRAGMA synchronous'), { durable: true });
    expect(inside).toEqual({ synchronous: 2 });
    expect(await memory.one('PRAGMA synchronous')).toEqual({ synchronous: 1 });
    await memory.close();
  });

  it('reports unique violations and leaves other errors alone', async () => {
    const err = await db.run('INSERT INTO t (k, v) VALUES (?, ?)', ['outside', 3]).catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(new Error('x'))).toBe(false);
    expect(mapUnavailable(err)).toBe(err);
    expect(mapUnavailable(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))).toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(mapUnavailable(Object.assign(new Error('gone'), { code: 'ECONNREFUSED' }))).toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(mapUnavailable(Object.assign(new Error('admin'), { code: '57P01' }))).toBeInstanceOf(
      StoreUnavailableError,
    );
  });
});

describe('PostgreSQL driver', () => {
  let backend: Backend;
  let db: SqlDriver;
  beforeAll(async () => {
    backend = await createBackend('postgres');
    db = await openPostgres(backend.databaseUrl ?? '');
    await db.script(
      "CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER); INSERT INTO t VALUES ('a', 0), ('b', 0);",
    );
  });
  afterAll(async () => {
    await db?.close();
    await backend?.dispose();
  });

  it('runs a transaction again when PostgreSQL breaks a deadlock by aborting it', async () => {
    let firstLocked!: () => void;
    let secondLocked!: () => void;
    const first = new Promise<void>((r) => (firstLocked = r));
    const second = new Promise<void>((r) => (secondLocked = r));
    const runs = { one: 0, two: 0 };
    // Opposite lock order: one of them is chosen as the deadlock victim, then retried. On a loaded
    // machine both backends may run their deadlock check before either abort is seen, so both can
    // be victims once (4 runs); either way each body commits exactly once (checked below).
    const one = db.transaction(async (tx) => {
      runs.one++;
      await tx.run("UPDATE t SET v = v + 1 WHERE k = 'a'");
      firstLocked();
      await second;
      await tx.run("UPDATE t SET v = v + 1 WHERE k = 'b'");
    });
    const two = db.transaction(async (tx) => {
      runs.two++;
      await tx.run("UPDATE t SET v = v + 10 WHERE k = 'b'");
      secondLocked();
      await first;
      await tx.run("UPDATE t SET v = v + 10 WHERE k = 'a'");
    });
    await Promise.all([one, two]);
    expect(runs.one + runs.two).toBeGreaterThanOrEqual(3);
    expect(runs.one + runs.two).toBeLessThanOrEqual(4);
    expect(await db.all('SELECT k, v FROM t ORDER BY k')).toEqual([
      { k: 'a', v: 11 },
      { k: 'b', v: 11 },
    ]);
  });

  it('numbers the shared ? placeholders', () => {
    expect(toPgPlaceholders('SELECT a FROM t WHERE b = ? AND c IN (?, ?)')).toBe(
      'SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)',
    );
  });
});
