import type { SqlExecutor } from './sql/driver.js';

const parisYear = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', year: 'numeric' });

/** The last answer, by UTC hour: Paris is a whole number of hours from UTC, so the year is the same all hour long. */
let lastHour = NaN;
let lastYear = 0;

/** The civil year in France (a draft started on 31 December at 23:30 UTC belongs to the next year). */
export function provisionalYear(at: Date): number {
  const hour = Math.floor(at.getTime() / 3_600_000);
  if (hour !== lastHour) {
    lastYear = Number(parisYear.format(at));
    lastHour = hour;
  }
  return lastYear;
}

/** `PROV-2026-0042` (at least 4 digits; the sequence may grow past 9999). */
export function formatProvisional(year: number, seq: number): string {
  return `PROV-${year}-${String(seq).padStart(4, '0')}`;
}

/** Reads `PROV-2026-0042`, `2026-0042`, `2026-42` or `42` (current year); undefined otherwise. */
export function parseProvisional(
  reference: string,
  currentYear: number,
): { year: number; seq: number } | undefined {
  const m = /^(?:prov[-\s]?)?(?:(\d{4})[-\s/])?0*(\d{1,9})$/i.exec(reference.trim());
  if (!m) return undefined;
  const seq = Number(m[2]);
  if (seq < 1) return undefined;
  return { year: m[1] ? Number(m[1]) : currentYear, seq };
}

/**
 * Next number of the account's sequence for the year, inside the caller's transaction. One atomic
 * upsert: concurrent callers (also in other processes) each get a distinct value, and a number is
 * never handed out twice, even after its draft is deleted.
 */
export async function nextProvisional(tx: SqlExecutor, accountId: string, year: number): Promise<number> {
  const row = await tx.one<{ last_value: number | string }>(
    `INSERT INTO provisional_sequences (account_id, year, last_value) VALUES (?, ?, 1)
     ON CONFLICT (account_id, year) DO UPDATE SET last_value = provisional_sequences.last_value + 1
     RETURNING last_value`,
    [accountId, year],
  );
  if (!row) throw new Error('provisional sequence upsert returned no row');
  return Number(row.last_value);
}
