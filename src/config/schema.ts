import { z } from 'zod';
import { faultSchema, type FaultSpec } from '../deposit/simulator/faults.js';
import { ConfigError } from '../shared/errors.js';
import { DEFAULT_RATES_BP, parseRates } from '../followup/late-interest.js';

/**
 * The one schema of Facteur's environment. `createConfig(process.env)` is called once, in the
 * composition root (`src/app/`); every part receives the slice it needs as a plain argument.
 * Nothing imports a config singleton.
 */

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.string().url().optional());
const booleanFlag = z.preprocess(
  (v) => (typeof v === 'string' ? ['1', 'true', 'yes', 'oui', 'on'].includes(v.trim().toLowerCase()) : v),
  z.boolean(),
);
/** Durations such as `90s`, `15m`, `48h`, `30d` or a number of milliseconds. */
const duration = z.preprocess(emptyToUndefined, z.string().optional()).transform((v, ctx) => {
  if (v === undefined) return undefined;
  const m = /^(\d+)\s*(ms|s|m|h|d)?$/.exec(v.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `durée invalide « ${v} » (ex. 90s, 15m, 48h, 30d)` });
    return z.NEVER;
  }
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms') as 'ms'];
  return Number(m[1]) * unit;
});

const envSchema = z.object({
  // Chorus Pro (issue 3)
  CHORUS_ENV: z.enum(['simulator', 'sandbox', 'production']).default('simulator'),
  PISTE_CLIENT_ID: optionalString,
  PISTE_CLIENT_SECRET: optionalString,
  CHORUS_TECH_LOGIN: optionalString,
  CHORUS_TECH_PASSWORD: optionalString,
  CHORUS_API_URL: optionalUrl,
  PISTE_OAUTH_URL: optionalUrl,
  /** Faults armed in the embedded simulator at start (demos, crash tests): one JSON fault or an array. */
  FACTEUR_SIMULATOR_FAULTS: z.preprocess(emptyToUndefined, z.string().optional()).transform((v, ctx) => {
    if (v === undefined) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'JSON invalide (ex. [{"kind":"drop-after-apply"}])' });
      return z.NEVER;
    }
    const faults = z.array(faultSchema).safeParse(Array.isArray(parsed) ? parsed : [parsed]);
    if (!faults.success) {
      ctx.addIssue({ code: 'custom', message: `panne inconnue : ${faults.error.issues[0]?.message ?? ''}` });
      return z.NEVER;
    }
    return faults.data as FaultSpec[];
  }),
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
  // Telegram (issue 5)
  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_API_ROOT: optionalUrl,
  TELEGRAM_WEBHOOK_URL: optionalUrl,
  TELEGRAM_WEBHOOK_SECRET: optionalString,
  TELEGRAM_WEBHOOK_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(65535).optional()),
  /** Outgoing messages a second in all: Telegram's 30, up to 1000 with paid broadcasts. */
  TELEGRAM_MAX_MESSAGES_PER_SECOND: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(1).max(1000).optional(),
  ),
  // E-mail (issue 6)
  IMAP_URL: optionalUrl,
  IMAP_HOST: optionalString,
  IMAP_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(65535).optional()),
  IMAP_USER: optionalString,
  IMAP_PASSWORD: optionalString,
  IMAP_ACCESS_TOKEN: optionalString,
  IMAP_TLS: z.preprocess(emptyToUndefined, booleanFlag.optional()),
  IMAP_MAILBOX: optionalString,
  SMTP_URL: optionalUrl,
  SMTP_ACCESS_TOKEN: optionalString,
  MAIL_FROM: optionalString,
  MAIL_AUTHSERV_ID: optionalString,
  MAIL_AUTH: z.enum(['dmarc', 'dkim', 'none']).default('dmarc'),
  MAIL_RESCAN_INTERVAL: duration,
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
  /** Simulated time runs this many times faster (1440 = a day a minute). */
  FACTEUR_SIMULATOR_SPEED: z.preprocess(emptyToUndefined, z.coerce.number().min(1).max(1_000_000).optional()),
  /** Simulated buyers certify, mandate and pay on their own (otherwise `facteur simulator status`). */
  FACTEUR_SIMULATOR_BUYERS: z.preprocess(emptyToUndefined, booleanFlag.optional()),
});

export type Env = z.infer<typeof envSchema>;

export interface ChorusConfig {
  env: 'simulator' | 'sandbox' | 'production';
  pisteClientId?: string;
  pisteClientSecret?: string;
  techLogin?: string;
  techPassword?: string;
  /** API base, e.g. https://sandbox-api.piste.gouv.fr/cpro (no trailing slash); unset in simulator mode until it starts. */
  apiUrl?: string;
  /** Token endpoint, e.g. https://sandbox-oauth.piste.gouv.fr/api/oauth/token. */
  oauthUrl?: string;
  /** Faults armed in the embedded simulator at start (simulator mode only). */
  simulatorFaults: FaultSpec[];
  /** Embedded simulator: clock speed factor and buyers acting on their own. */
  simulatorSpeed?: number;
  simulatorBuyers?: boolean;
}

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
  telegram?: {
    token: string;
    apiRoot?: string;
    webhook?: { url: string; secret?: string; port: number };
    /** Outgoing messages a second in all (default Telegram's 30). */
    maxMessagesPerSecond?: number;
  };
  mail?: {
    imap: {
      host: string;
      port: number;
      secure: boolean;
      user: string;
      password?: string;
      accessToken?: string;
      mailbox: string;
    };
    smtpUrl: string;
    smtpAccessToken?: string;
    from: string;
    authservId?: string;
    auth: 'dmarc' | 'dkim' | 'none';
    rescanIntervalMs: number;
  };
  /** Follow-up after the deposit: fixed poll interval (else the schedule) and interest rates (basis points by semester). */
  followUp: { intervalMs?: number; rates: Record<string, number> };
}

const PISTE_URLS = {
  sandbox: {
    api: 'https://sandbox-api.piste.gouv.fr/cpro',
    oauth: 'https://sandbox-oauth.piste.gouv.fr/api/oauth/token',
  },
  production: { api: 'https://api.piste.gouv.fr/cpro', oauth: 'https://oauth.piste.gouv.fr/api/oauth/token' },
} as const;

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(env)'} : ${i.message}`).join(' ; ');
}

/** Parses the environment once. Throws `ConfigError` with every problem listed (never a secret's value). */
export function createConfig(input: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error), { cause: parsed.error });
  const env = parsed.data;
  const problems: string[] = [];

  const chorus: ChorusConfig = {
    env: env.CHORUS_ENV,
    pisteClientId: env.PISTE_CLIENT_ID,
    pisteClientSecret: env.PISTE_CLIENT_SECRET,
    techLogin: env.CHORUS_TECH_LOGIN,
    techPassword: env.CHORUS_TECH_PASSWORD,
    apiUrl: env.CHORUS_API_URL?.replace(/\/+$/, ''),
    oauthUrl: env.PISTE_OAUTH_URL,
    simulatorFaults: env.FACTEUR_SIMULATOR_FAULTS,
    ...(env.FACTEUR_SIMULATOR_SPEED ? { simulatorSpeed: env.FACTEUR_SIMULATOR_SPEED } : {}),
    ...(env.FACTEUR_SIMULATOR_BUYERS ? { simulatorBuyers: true } : {}),
  };
  if (env.CHORUS_ENV !== 'simulator') {
    const urls = PISTE_URLS[env.CHORUS_ENV];
    chorus.apiUrl ??= urls.api;
    chorus.oauthUrl ??= urls.oauth;
    for (const key of ['PISTE_CLIENT_ID', 'PISTE_CLIENT_SECRET'] as const) {
      if (!env[key]) problems.push(`${key} est obligatoire quand CHORUS_ENV=${env.CHORUS_ENV}`);
    }
  }

  let telegram: Config['telegram'];
  if (env.TELEGRAM_BOT_TOKEN) {
    if (!/^\d+:[\w-]+$/.test(env.TELEGRAM_BOT_TOKEN))
      problems.push('TELEGRAM_BOT_TOKEN n’a pas la forme 123456:ABC…');
    telegram = {
      token: env.TELEGRAM_BOT_TOKEN,
      apiRoot: env.TELEGRAM_API_ROOT?.replace(/\/+$/, ''),
      webhook: env.TELEGRAM_WEBHOOK_URL
        ? {
            url: env.TELEGRAM_WEBHOOK_URL,
            secret: env.TELEGRAM_WEBHOOK_SECRET,
            port: env.TELEGRAM_WEBHOOK_PORT ?? 8443,
          }
        : undefined,
      ...(env.TELEGRAM_MAX_MESSAGES_PER_SECOND
        ? { maxMessagesPerSecond: env.TELEGRAM_MAX_MESSAGES_PER_SECOND }
        : {}),
    };
  }

  let mail: Config['mail'];
  const imapConfigured = env.IMAP_URL || env.IMAP_HOST;
  if (imapConfigured) {
    let host = env.IMAP_HOST;
    let port = env.IMAP_PORT;
    let secure = env.IMAP_TLS;
    let user = env.IMAP_USER;
    let password = env.IMAP_PASSWORD;
    let mailbox = env.IMAP_MAILBOX;
    if (env.IMAP_URL) {
      const url = new URL(env.IMAP_URL);
      if (url.protocol !== 'imap:' && url.protocol !== 'imaps:')
        problems.push('IMAP_URL doit commencer par imap:// ou imaps://');
      host ??= url.hostname;
      secure ??= url.protocol === 'imaps:';
      port ??= url.port ? Number(url.port) : secure ? 993 : 143;
      user ??= url.username ? decodeURIComponent(url.username) : undefined;
      password ??= url.password ? decodeURIComponent(url.password) : undefined;
      const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
      mailbox ??= path || undefined;
    }
    secure ??= true;
    port ??= secure ? 993 : 143;
    if (!user) problems.push('IMAP_USER (ou l’utilisateur dans IMAP_URL) est obligatoire');
    if (!password && !env.IMAP_ACCESS_TOKEN)
      problems.push('IMAP_PASSWORD ou IMAP_ACCESS_TOKEN est obligatoire');
    if (!env.SMTP_URL) problems.push('SMTP_URL est obligatoire avec IMAP');
    if (!env.MAIL_FROM) problems.push('MAIL_FROM est obligatoire avec IMAP');
    if (env.MAIL_AUTH !== 'none' && !env.MAIL_AUTHSERV_ID) {
      problems.push('MAIL_AUTHSERV_ID est obligatoire sauf avec MAIL_AUTH=none');
    }
    mail = {
      imap: {
        host: host ?? '',
        port,
        secure,
        user: user ?? '',
        password,
        accessToken: env.IMAP_ACCESS_TOKEN,
        mailbox: mailbox ?? 'INBOX',
      },
      smtpUrl: env.SMTP_URL ?? '',
      smtpAccessToken: env.SMTP_ACCESS_TOKEN,
      from: env.MAIL_FROM ?? '',
      authservId: env.MAIL_AUTHSERV_ID,
      auth: env.MAIL_AUTH,
      rescanIntervalMs: env.MAIL_RESCAN_INTERVAL ?? 60_000,
    };
  }

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
