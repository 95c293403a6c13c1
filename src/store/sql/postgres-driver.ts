import pg from 'pg';
import type { Logger } from '../../shared/logger.js';
import type { Row, SqlDriver, SqlExecutor, SqlParam } from './driver.js';

/** Turns the shared `?` placeholders into PostgreSQL's `$1, $2…` (no statement has a literal `?`). */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function executor(client: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    dialect: 'postgres',
    async all<T extends Row>(sql: string, params: SqlParam[] = []) {
      const res = await client.query(toPgPlaceholders(sql), params);
      return res.rows as T[];
    },
    async one<T extends Row>(sql: string, params: SqlParam[] = []) {
      const res = await client.query(toPgPlaceholders(sql), params);
      return res.rows[0] as T | undefined;
    },
    async run(sql: string, params: SqlParam[] = []) {
      const res = await client.query(toPgPlaceholders(sql), params);
      return res.rowCount ?? 0;
    },
    async script(sql: string) {
      await client.query(sql);
    },
  };
}

/** A pool on `DATABASE_URL` (a `?options=-c search_path=…` in the URL selects a schema). */
export async function openPostgres(
  connectionString: string,
  options: { logger?: Logger; max?: number } = {},
): Promise<SqlDriver> {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', (err) => options.logger?.warn({ err }, 'postgres idle client error'));
  await pool.query('SELECT 1');
  const base = executor(pool);
  let closed = false;
  return {
    ...base,
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        try {
          const result = await fn(executor(client));
          await client.query('COMMIT');
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
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
