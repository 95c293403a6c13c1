/**
 * Calendar dates (`YYYY-MM-DD`) in Paris time, and day arithmetic on them. Legal payment periods
 * count calendar days; a Chorus status set at 00:30 in Paris belongs to that Paris day.
 */

const DAY_MS = 86_400_000;

export { parisDay } from '../shared/paris-time.js';

const utc = (day: string) => Date.parse(`${day}T00:00:00Z`);

export function addDays(day: string, days: number): string {
  return new Date(utc(day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utc(to) - utc(from)) / DAY_MS);
}

/** « 14/04/2026 ». */
export function frenchDate(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}
