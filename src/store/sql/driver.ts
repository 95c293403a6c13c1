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

export interface TransactionOptions {
  /**
   * SQLite: fsync this commit (and every earlier one) before resolving, so it survives a power
   * cut, not only a process crash. Used for the deposit markers. PostgreSQL commits are always
   * durable (`synchronous_commit`).
   */
  durable?: boolean;
}

export interface SqlDriver extends SqlExecutor {
  /**
   * Runs `fn` in one transaction (SQLite: `BEGIN IMMEDIATE`, so writers are serialised across
   * processes; PostgreSQL: READ COMMITTED on one pooled connection, with `FOR UPDATE` where a row
   * must be locked). Commits when `fn` resolves, rolls back when it rejects. Inside `fn`, use
   * only `tx`, never the driver itself.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}

import { StoreUnavailableError } from '../errors.js';

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

const PG_UNAVAILABLE = /^(08|53|57P)/; // connection exceptions, insufficient resources, operator intervention
const NET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);

/**
 * Turns "the database is not usable right now" driver errors (connection lost, server shutting
 * down, SQLite busy beyond the timeout, disk full, I/O error) into `StoreUnavailableError`, with
 * a French reason; other errors (constraint violations, bugs) pass through unchanged.
 */
export function mapUnavailable(error: unknown): unknown {
  if (typeof error !== 'object' || error === null || error instanceof StoreUnavailableError) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  const message = error instanceof Error ? error.message : '';
  let reason: string | undefined;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    reason = 'base SQLite occupée par un autre processus';
  else if (code === 'SQLITE_FULL') reason = 'disque plein';
  else if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN')
    reason = 'erreur d’entrée-sortie sur la base SQLite';
  else if (code.startsWith('SQLITE_READONLY')) reason = 'base SQLite en lecture seule';
  else if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
    reason = 'fichier de base SQLite corrompu';
  else if (NET_CODES.has(code) || PG_UNAVAILABLE.test(code))
    reason = 'PostgreSQL injoignable ou indisponible';
  else if (
    /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message)
  ) {
    reason = 'connexion à PostgreSQL perdue';
  }
  return reason ? new StoreUnavailableError(reason, { cause: error }) : error;
}
