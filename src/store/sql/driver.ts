/**
 * The little SQL both back-ends share. Statements are written once with `?` placeholders and
 * SQL understood by SQLite ≥ 3.35 and PostgreSQL ≥ 12 (`ON CONFLICT`, `RETURNING`); the few
 * differences (row locks, DDL) are chosen by `dialect`.
 */
export type Dialect = 'sqlite' | 'postgres';

export type SqlParam = string | number | null | Buffer;

export type Row = Record<string, unknown>;

export interface SqlExecutor {
  readonly dialect: Dialect;
  /** Rows of a query (or of a statement with RETURNING). */
  all<T extends Row = Row>(sql: string, params?: SqlParam[]): Promise<T[]>;
  /** First row, or undefined. */
  one<T extends Row = Row>(sql: string, params?: SqlParam[]): Promise<T | undefined>;
  /** Runs a statement; resolves the number of rows it changed. */
  run(sql: string, params?: SqlParam[]): Promise<number>;
  /** A script of several statements without parameters (migrations). */
  script(sql: string): Promise<void>;
}

export interface SqlDriver extends SqlExecutor {
  /**
   * Runs `fn` in one transaction (SQLite: `BEGIN IMMEDIATE`, so writers are serialised across
   * processes; PostgreSQL: READ COMMITTED on one pooled connection, with `FOR UPDATE` where a row
   * must be locked). Commits when `fn` resolves, rolls back when it rejects. Inside `fn`, use
   * only `tx`, never the driver itself.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Whether a driver error is a unique/primary-key violation (both back-ends). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** `FOR UPDATE` on PostgreSQL; nothing on SQLite, where the transaction already holds the write lock. */
export function forUpdate(dialect: Dialect): string {
  return dialect === 'postgres' ? ' FOR UPDATE' : '';
}
