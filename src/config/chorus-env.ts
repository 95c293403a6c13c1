/**
 * The Chorus Pro part of the environment (issue 3): which platform, the PISTE credentials and
 * URLs, and the embedded simulator's faults, clock and buyers. Composed into the one schema of
 * schema.ts; `chorusConfig` turns its values into the `ChorusConfig` slice.
 */
import { z } from 'zod';
import { faultSchema, type FaultSpec } from '../deposit/simulator/faults.js';
import { booleanFlag, emptyToUndefined, optionalString, optionalUrl } from './env-values.js';

export const chorusEnv = z.object({
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
  /** Simulated time runs this many times faster (1440 = a day a minute). */
  FACTEUR_SIMULATOR_SPEED: z.preprocess(emptyToUndefined, z.coerce.number().min(1).max(1_000_000).optional()),
  /** Simulated buyers certify, mandate and pay on their own (otherwise `facteur simulator status`). */
  FACTEUR_SIMULATOR_BUYERS: z.preprocess(emptyToUndefined, booleanFlag.optional()),
});

type ChorusEnv = z.infer<typeof chorusEnv>;

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

const PISTE_URLS = {
  sandbox: {
    api: 'https://sandbox-api.piste.gouv.fr/cpro',
    oauth: 'https://sandbox-oauth.piste.gouv.fr/api/oauth/token',
  },
  production: { api: 'https://api.piste.gouv.fr/cpro', oauth: 'https://oauth.piste.gouv.fr/api/oauth/token' },
} as const;

/** The Chorus slice; fills the PISTE URLs of the platform and lists what it misses in `problems`. */
export function chorusConfig(env: ChorusEnv, problems: string[]): ChorusConfig {
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
  return chorus;
}
