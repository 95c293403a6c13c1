import type { PollSchedule } from '../store/follow-up-types.js';

/**
 * How often Facteur asks Chorus Pro about an account: often on an invoice's first day, hourly in
 * its first week, then a few times a day, until it is paid, rejected or too old. One search per
 * account covers all its invoices, so an account is polled at the pace of its youngest invoice.
 * `FACTEUR_FOLLOW_UP_INTERVAL` replaces all this with one fixed interval (demos, tests).
 */
export const DEFAULT_SCHEDULE: PollSchedule = {
  firstDayMs: 15 * 60_000,
  firstWeekMs: 60 * 60_000,
  laterMs: 6 * 60 * 60_000,
  // The longest legal delay (60 days), a suspension, and a margin for buyers slow to report.
  maxAgeMs: 150 * 86_400_000,
};

export function scheduleFor(fixedMs?: number): PollSchedule {
  return fixedMs === undefined ? DEFAULT_SCHEDULE : { ...DEFAULT_SCHEDULE, fixedMs };
}

/** Spread of the next poll (up to 10 % of the shortest interval, at most 2 minutes). */
export function jitterMs(schedule: PollSchedule, random: () => number): number {
  const base = schedule.fixedMs ?? schedule.firstDayMs;
  return Math.floor(random() * Math.min(base * 0.1, 120_000));
}

/** Wait before retrying an account after `failures` failed polls in a row (exponential, capped). */
export function backoffMs(schedule: PollSchedule, failures: number, random: () => number): number {
  const base = Math.min(schedule.fixedMs ?? 60_000, 60_000);
  const capped = Math.min(base * 2 ** Math.min(failures, 12), 6 * 60 * 60_000);
  return Math.floor(capped * (0.75 + random() * 0.5));
}
