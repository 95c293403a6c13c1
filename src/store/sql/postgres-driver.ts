import pg from 'pg';
import type { Logger } from '../../shared/logger.js';
import { mapUnavailable, type Row, type SqlDriver, type SqlExecutor, type SqlParam } from './driver.js';

/** Turns the shared `?` placeholders into PostgreSQL's `$1, $2…` (no statement has a literal `?`). */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

async function query(
  client: pg.Pool | pg.PoolClient,
  sql: string,
  params?: SqlParam[],
): Promise<pg.QueryResult> {
  try {
    return await client.query(sql, params);
  } catch (error) {
    throw mapUnavailable(error);
  }
}

function executor(client: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    dialect: 'postgres',
    async all<T extends Row>(sql: string, params: SqlParam[] = []) {
      const res = await query(client, toPgPlaceholders(sql), params);
      return res.rows as T[];
    },
    async one<T extends Row>(sql: string, params: SqlParam[] = []) {
      const res = await query(client, toPgPlaceholders(sql), params);
      return res.rows[0] as T | undefined;
    },
    async run(sql: string, params: SqlParam[] = []) {
      const res = await query(client, toPgPlaceholders(sql), params);
      return res.rowCount ?? 0;
    },
    async script(sql: string) {
      await query(client, sql);
    },
  };
}

async function runTransaction<T>(pool: pg.Pool, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw mapUnavailable(error);
  }
  let broken = false;
  try {
    await query(client, 'BEGIN');
    try {
      const result = await fn(executor(client));
      await query(client, 'COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true; // connection lost: drop it from the pool (the original error is rethrown)
      }
      throw error;
    }
  } finally {
    client.release(broken);
  }
}

/** A pool on `DATABASE_URL` (a `?options=-c search_path=…` in the URL selects a schema). */
export async function openPostgres(
  connectionString: string,
  options: { logger?: Logger; max?: number } = {},
): Promise<SqlDriver> {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', (err) => options.logger?.warn({ err }, 'postgres idle client error'));
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  const base = executor(pool);
  let closed = false;
  return {
    ...base,
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      // `durable` needs nothing here: PostgreSQL commits are flushed (synchronous_commit = on).
      for (let attempt = 1; ; attempt++) {
        try {
          return await runTransaction(pool, fn);
        } catch (error) {
          // A deadlock or serialization failure rolled everything back: the whole transaction
          // is run again (its function only touches the database).
          const code = (error as { code?: unknown }).code;
          if ((code === '40P01' || code === '40001') && attempt < 4) {
            options.logger?.warn({ err: error, attempt }, 'postgres transaction retried');
            continue;
          }
          throw error;
        }
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
