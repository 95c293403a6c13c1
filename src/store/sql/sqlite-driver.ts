import { open, type FileHandle } from 'node:fs/promises';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import {
  mapUnavailable,
  type Row,
  type SqlDriver,
  type SqlExecutor,
  type SqlParam,
  type TransactionOptions,
} from './driver.js';

/**
 * better-sqlite3 is synchronous and has one connection per process: transactions are serialised
 * in-process by a small lock (a statement outside a transaction waits for the one in hand, so it
 * never lands inside it), and across processes by SQLite's own write lock (`BEGIN IMMEDIATE` +
 * `busy_timeout`).
 */
/**
 * Switching a new database to WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY at once,
 * without its busy handler, while another process is opening the same new file: tried again
 * (a few ms apart, blocking: this is the opening) until the busy timeout.
 */
function enableWal(db: SqliteDatabase, busyTimeoutMs: number): boolean {
  const deadline = Date.now() + busyTimeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 1; ; attempt++) {
    try {
      return db.pragma('journal_mode = WAL', { simple: true }) === 'wal';
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, Math.min(100, 5 * attempt));
    }
  }
}

export function openSqlite(file: string, options: { busyTimeoutMs?: number } = {}): SqlDriver {
  const busyTimeoutMs = options.busyTimeoutMs ?? 15_000;
  // The busy timeout comes first: switching to WAL takes a lock, and two processes starting
  // together on a new database must wait for each other rather than fail with SQLITE_BUSY.
  const db: SqliteDatabase = new Database(file, { timeout: busyTimeoutMs });
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  const wal = enableWal(db, busyTimeoutMs);
  // NORMAL in WAL mode: a commit survives a process crash (kill -9) without an fsync each time;
  // the transactions that must also survive a power cut ask for `durable`: the WAL file, where
  // the commit is, is fsynced before the transaction resolves — on the libuv thread pool, not by
  // `synchronous = FULL` inside COMMIT, which blocked the event loop (about 5 ms a commit, two per
  // deposit: every other user's turn waited). A checkpoint syncs what it moves to the database
  // file itself (NORMAL), so a synced WAL, or a checkpointed one, holds the commit either way.
  db.pragma('synchronous = NORMAL');
  let walHandle: Promise<FileHandle> | undefined;
  let walSyncFailed = !wal;
  const syncWal = async (): Promise<void> => {
    walHandle ??= open(`${file}-wal`, 'r');
    await (await walHandle).sync();
  };
  db.pragma('foreign_keys = ON');

  const statements = new Map<string, Statement>();
  const prepare = (sql: string): Statement => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (statements.size > 500) statements.clear();
      statements.set(sql, stmt);
    }
    return stmt;
  };

  const direct: SqlExecutor = {
    dialect: 'sqlite',
    async all<T extends Row>(sql: string, params: SqlParam[] = []) {
      const stmt = prepare(sql);
      if (!stmt.reader) {
        stmt.run(...params);
        return [];
      }
      return stmt.all(...params) as T[];
    },
    async one<T extends Row>(sql: string, params: SqlParam[] = []) {
      const stmt = prepare(sql);
      if (!stmt.reader) {
        stmt.run(...params);
        return undefined;
      }
      return stmt.get(...params) as T | undefined;
    },
    async run(sql: string, params: SqlParam[] = []) {
      return prepare(sql).run(...params).changes;
    },
    async script(sql: string) {
      db.exec(sql);
    },
  };

  let locked = false;
  const waiters: Array<() => void> = [];
  const acquire = async (): Promise<void> => {
    if (!locked) {
      locked = true;
      return;
    }
    await new Promise<void>((resolve) => waiters.push(resolve));
  };
  const release = (): void => {
    const next = waiters.shift();
    if (next) next();
    else locked = false;
  };
  const guarded = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      if (!locked) return await fn();
      await acquire();
      try {
        return await fn();
      } finally {
        release();
      }
    } catch (error) {
      throw mapUnavailable(error);
    }
  };

  let closed = false;
  return {
    dialect: 'sqlite',
    all: (sql, params) => guarded(() => direct.all(sql, params)),
    one: (sql, params) => guarded(() => direct.one(sql, params)),
    run: (sql, params) => guarded(() => direct.run(sql, params)),
    script: (sql) => guarded(() => direct.script(sql)),
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      await acquire();
      // Without a WAL file to sync (an in-memory database, or its WAL could not be opened), the
      // commit itself is made durable, on the event loop.
      const inCommit = options.durable === true && walSyncFailed;
      if (inCommit) db.pragma('synchronous = FULL');
      let result: T;
      try {
        try {
          db.exec('BEGIN IMMEDIATE');
        } catch (error) {
          throw mapUnavailable(error);
        }
        try {
          result = await fn(direct);
          db.exec('COMMIT');
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw mapUnavailable(error);
        }
      } finally {
        if (inCommit) db.pragma('synchronous = NORMAL');
        release();
      }
      if (options.durable && !inCommit) {
        try {
          await syncWal();
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw mapUnavailable(error);
          // No WAL file (not expected with an open WAL database): sync the next ones in COMMIT,
          // and this one through a checkpoint that syncs the database file.
          walSyncFailed = true;
          walHandle = undefined;
          db.pragma('wal_checkpoint(FULL)');
        }
      }
      return result;
    },
    async close() {
      if (closed) return;
      await acquire();
      closed = true;
      try {
        db.close();
      } finally {
        release();
      }
      const handle = walHandle;
      walHandle = undefined;
      if (handle) await (await handle.catch(() => undefined))?.close().catch(() => undefined);
    },
  };
}
