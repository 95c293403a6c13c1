import type { Logger } from '../shared/logger.js';
import type { SecretBox } from './secret-box.js';
import type { SqlDriver } from './sql/driver.js';

/** What every sub-store of the SQL implementation shares. */
export interface StoreContext {
  db: SqlDriver;
  now: () => Date;
  box: SecretBox;
  /**
   * SQLite: directory of the bytes of files over INLINE_MAX_BYTES (smaller ones, and every file on
   * PostgreSQL, where this is undefined, are in the `files.data` column).
   */
  filesDir?: string;
  logger?: Logger;
}

/** Milliseconds since the epoch of the injected clock. */
export const nowMs = (ctx: StoreContext): number => ctx.now().getTime();

/** A time column (BIGINT: a string from pg, a number from SQLite) as an ISO string. */
export function isoTime(value: unknown): string {
  return new Date(Number(value)).toISOString();
}

export function optionalIsoTime(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : isoTime(value);
}

export function optionalString(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

/** Caps a caller's `limit` (default 100, at most 1000). */
export function clampLimit(limit: number | undefined, fallback = 100): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.min(1000, Math.max(1, Math.floor(limit)));
}

/** `(?, ?, ?)` for an IN list. */
export function placeholders(n: number): string {
  return `(${Array.from({ length: n }, () => '?').join(', ')})`;
}
