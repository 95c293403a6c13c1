/**
 * Value parsers shared by the environment's sub-schemas: an empty variable counts as unset (a
 * `.env` line `KEY=` must not fail a URL or number check), flags read French and English, and
 * durations take a unit.
 */
import { z } from 'zod';

export const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
export const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
export const optionalUrl = z.preprocess(emptyToUndefined, z.string().url().optional());
export const optionalPort = z.preprocess(
  emptyToUndefined,
  z.coerce.number().int().min(1).max(65535).optional(),
);
export const booleanFlag = z.preprocess(
  (v) => (typeof v === 'string' ? ['1', 'true', 'yes', 'oui', 'on'].includes(v.trim().toLowerCase()) : v),
  z.boolean(),
);
/** Durations such as `90s`, `15m`, `48h`, `30d` or a number of milliseconds. */
export const duration = z.preprocess(emptyToUndefined, z.string().optional()).transform((v, ctx) => {
  if (v === undefined) return undefined;
  const m = /^(\d+)\s*(ms|s|m|h|d)?$/.exec(v.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `durée invalide « ${v} » (ex. 90s, 15m, 48h, 30d)` });
    return z.NEVER;
  }
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms') as 'ms'];
  return Number(m[1]) * unit;
});
