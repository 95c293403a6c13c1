import { z } from 'zod';
import { ConfigError } from '../shared/errors.js';
import { DEFAULT_RATES_BP, parseRates } from '../followup/late-interest.js';
import { chorusConfig, chorusEnv, type ChorusConfig } from './chorus-env.js';
import { duration, emptyToUndefined, optionalString } from './env-values.js';
import { mailConfig, mailEnv, type MailConfig } from './mail-env.js';
import { telegramConfig, telegramEnv, type TelegramConfig } from './telegram-env.js';

/**
 * The one schema of Facteur's environment. `createConfig(process.env)` is called once, in the
 * composition root (`src/app/`); every part receives the slice it needs as a plain argument.
 * Nothing imports a config singleton.
 */

const envSchema = z.object({
  // Chorus Pro (issue 3), embedded simulator included: chorus-env.ts
  ...chorusEnv.shape,
  // Persistence and accounts (issue 4)
  FACTEUR_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL doit commencer par postgres://')
      .optional(),
  ),
  FACTEUR_SECRET_KEY: optionalString,
  FACTEUR_DRAFT_REMINDER_AFTER: duration,
  FACTEUR_DRAFT_EXPIRE_AFTER: duration,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Telegram (issue 5): telegram-env.ts
  ...telegramEnv.shape,
  // E-mail (issue 6): mail-env.ts
  ...mailEnv.shape,
  // Operations (issue 12): /healthz and /metrics of `facteur start`
  FACTEUR_HTTP_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).optional()),
  FACTEUR_HTTP_HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  // Follow-up after the deposit (issue 11)
  /** A fixed poll interval (`5s`) instead of the schedule that slows with age (demos, tests). */
  FACTEUR_FOLLOW_UP_INTERVAL: duration,
  /** Late-payment interest rates of semesters the code does not know: `2026-H2=10.15,2027-H1=9.90`. */
  FACTEUR_LATE_INTEREST_RATES: z.preprocess(emptyToUndefined, z.string().optional()).transform((v, ctx) => {
    if (v === undefined) return {};
    try {
      return parseRates(v);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  }),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  chorus: ChorusConfig;
  dataDir: string;
  databaseUrl?: string;
  secretKey?: string;
  draftReminderAfterMs: number;
  draftExpireAfterMs: number;
  logLevel: Env['LOG_LEVEL'];
  /** The operations endpoint (`GET /healthz`, `GET /metrics`) of `facteur start`; off when unset. */
  http?: { host: string; port: number };
  telegram?: TelegramConfig;
  mail?: MailConfig;
  /** Follow-up after the deposit: fixed poll interval (else the schedule) and interest rates (basis points by semester). */
  followUp: { intervalMs?: number; rates: Record<string, number> };
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(env)'} : ${i.message}`).join(' ; ');
}

/** Parses the environment once. Throws `ConfigError` with every problem listed (never a secret's value). */
export function createConfig(input: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error), { cause: parsed.error });
  const env = parsed.data;
  const problems: string[] = [];

  const chorus = chorusConfig(env, problems);
  const telegram = telegramConfig(env, problems);
  const mail = mailConfig(env, problems);

  if (problems.length > 0) throw new ConfigError(problems.join(' ; '));

  return {
    chorus,
    dataDir: env.FACTEUR_DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    secretKey: env.FACTEUR_SECRET_KEY,
    draftReminderAfterMs: env.FACTEUR_DRAFT_REMINDER_AFTER ?? 24 * 3_600_000,
    draftExpireAfterMs: env.FACTEUR_DRAFT_EXPIRE_AFTER ?? 30 * 86_400_000,
    logLevel: env.LOG_LEVEL,
    http:
      env.FACTEUR_HTTP_PORT !== undefined
        ? { host: env.FACTEUR_HTTP_HOST, port: env.FACTEUR_HTTP_PORT }
        : undefined,
    telegram,
    mail,
    followUp: {
      ...(env.FACTEUR_FOLLOW_UP_INTERVAL ? { intervalMs: env.FACTEUR_FOLLOW_UP_INTERVAL } : {}),
      rates: { ...DEFAULT_RATES_BP, ...env.FACTEUR_LATE_INTEREST_RATES },
    },
  };
}
