import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, StoreUnavailableError, createStore } from '../../src/store/index.js';
import { migrate } from '../../src/store/migrations.js';
import { openPostgres } from '../../src/store/sql/postgres-driver.js';
import { openSqlite } from '../../src/store/sql/sqlite-driver.js';
import type { SqlDriver } from '../../src/store/sql/driver.js';
import path from 'node:path';
import { BACKENDS, type Backend, createBackend } from './helpers.js';

describe.each(BACKENDS)('migrations on %s', (name) => {
  let backend: Backend;
  let db: SqlDriver;
  beforeAll(async () => {
    backend = await createBackend(name);
    db = backend.databaseUrl
      ? await openPostgres(backend.databaseUrl)
      : openSqlite(path.join(backend.dataDir, 'facteur.db'));
  });
  afterAll(async () => {
    await db?.close();
    await backend?.dispose();
  });

  it('applies every version once, then nothing (idempotent), also concurrently', async () => {
    const runs = await Promise.all([migrate(db), migrate(db), migrate(db)]);
    expect(runs.flat().sort()).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(db)).toEqual([]);
    const rows = await db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
    // The store opens on the migrated database without re-applying anything.
    const store = await backend.open();
    await store.close();
    expect(await db.all('SELECT version FROM schema_migrations')).toHaveLength(MIGRATIONS.length);
  });

  it('applies a later version in order and rolls back a failing one entirely', async () => {
    const next = MIGRATIONS.length + 1;
    const extra = [
      ...MIGRATIONS,
      { version: next, name: 'extra', sql: () => 'CREATE TABLE extra_test (id INTEGER PRIMARY KEY);' },
    ];
    expect(await migrate(db, { migrations: extra })).toEqual([next]);
    const broken = [
      ...extra,
      {
        version: next + 1,
        name: 'broken',
        sql: () => 'CREATE TABLE broken_test (id INTEGER); SELECT * FROM no_such_table;',
      },
    ];
    await expect(migrate(db, { migrations: broken })).rejects.toThrow();
    const versions = (await db.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) =>
      Number(r.version),
    );
    expect(versions).not.toContain(next + 1);
    await expect(db.all('SELECT * FROM broken_test')).rejects.toThrow();
  });

  it('refuses a database migrated by a newer Facteur, with a French explanation', async () => {
    await db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
      999,
      'future',
      0,
    ]);
    const err = await createStore(backend.deps()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as StoreUnavailableError).userMessage).toMatch(/plus récent que ce Facteur/);
  });
});
