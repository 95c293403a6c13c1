import { daysBetween } from './calendar.js';

/**
 * Late-payment interest of public buyers (after-deposit.md §4.3): from the day after the deadline
 * to the payment day inclusive, simple interest on the amount incl. tax at the rate of the
 * semester in which the interest started to run (ECB main refinancing rate on the semester's
 * first day + 8 points, R2192-31), plus the fixed 40 € compensation (D2192-35). Both are due
 * without any claim (L2192-13). Integer cents, rounded half up to the cent.
 */

/** Moratorium rate in basis points (11.15 % = 1115) by semester `YYYY-H1|H2`. */
export const DEFAULT_RATES_BP: Readonly<Record<string, number>> = {
  '2023-H1': 1050,
  '2023-H2': 1200,
  '2024-H1': 1250,
  '2024-H2': 1225,
  '2025-H1': 1115,
  '2025-H2': 1015,
  '2026-H1': 1015,
  // 2026-H2: the ECB rate of 1 July 2026 was not in our sources; unchanged assumed (?). Override
  // with FACTEUR_LATE_INTEREST_RATES (e.g. `2026-H2=10.15`).
  '2026-H2': 1015,
};

export const FIXED_COMPENSATION_CENTS = 4_000;

export function semesterOf(day: string): string {
  return `${day.slice(0, 4)}-${Number(day.slice(5, 7)) <= 6 ? 'H1' : 'H2'}`;
}

/** `2026-H2=10.15,2027-H1=9.9` → basis points by semester (the configuration's format). */
export function parseRates(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(/[;\s]+|,(?=\s*\d{4}-H)/).filter(Boolean)) {
    const m = /^(\d{4}-H[12])=(\d{1,2}(?:[.,]\d{1,2})?)$/.exec(part.trim());
    if (!m) throw new Error(`taux invalide « ${part} » (ex. 2026-H2=10.15)`);
    out[m[1]!] = Math.round(Number(m[2]!.replace(',', '.')) * 100);
  }
  return out;
}

export interface RateLookup {
  rateBp: number;
  semester: string;
  /** The semester is not in the table: the latest known rate is used. */
  assumed: boolean;
}

export function rateFor(day: string, table: Readonly<Record<string, number>> = DEFAULT_RATES_BP): RateLookup {
  const semester = semesterOf(day);
  const known = table[semester];
  if (known !== undefined) return { rateBp: known, semester, assumed: false };
  const latest = Object.keys(table)
    .filter((s) => s <= semester)
    .sort()
    .at(-1);
  const fallback = latest ?? Object.keys(table).sort()[0]!;
  return { rateBp: table[fallback]!, semester, assumed: true };
}

export interface LateInterest {
  daysLate: number;
  rateBp: number;
  semester: string;
  rateAssumed: boolean;
  interestCents: number;
  compensationCents: number;
  totalCents: number;
  /** Counted up to this day (the payment day, or today while unpaid). */
  until: string;
  paid: boolean;
}

/** Interest owed on `principalCents` (incl. tax) due by `dueBy` and paid (or still unpaid) on `until`. */
export function lateInterest(input: {
  principalCents: number;
  dueBy: string;
  until: string;
  paid: boolean;
  rates?: Readonly<Record<string, number>>;
}): LateInterest | null {
  const daysLate = daysBetween(input.dueBy, input.until);
  if (daysLate <= 0 || input.principalCents <= 0) return null;
  // The rate of the semester in which the interest started: the day after the deadline.
  const start = new Date(Date.parse(`${input.dueBy}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const rate = rateFor(start, input.rates ?? DEFAULT_RATES_BP);
  const numerator = BigInt(input.principalCents) * BigInt(rate.rateBp) * BigInt(daysLate);
  const denominator = 10_000n * 365n;
  const interestCents = Number((numerator * 2n + denominator) / (denominator * 2n));
  return {
    daysLate,
    rateBp: rate.rateBp,
    semester: rate.semester,
    rateAssumed: rate.assumed,
    interestCents,
    compensationCents: FIXED_COMPENSATION_CENTS,
    totalCents: interestCents + FIXED_COMPENSATION_CENTS,
    until: input.until,
    paid: input.paid,
  };
}
