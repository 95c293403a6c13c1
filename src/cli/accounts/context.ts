/**
 * What every `facteur accounts` action shares: parsed options, the opened store, argument
 * checks and the small French formatting helpers of its output.
 */
import type { parseArgs } from 'node:util';
import type { CliIO } from '../command.js';
import type { Config } from '../../config/schema.js';
import { FacteurError } from '../../shared/errors.js';
import {
  AccountNotFoundError,
  IdentityLinkedElsewhereError,
  normalizeIdentity,
  type Account,
  type IdentityKey,
  type Store,
} from '../../store/index.js';

/** A mistake in the command line: printed with a pointer to the help, exit code 2. */
export class AccountsUsageError extends FacteurError {
  readonly code = 'usage';
  constructor(message: string) {
    super(message, message);
  }
}

export const OPTIONS = {
  name: { type: 'string' },
  'chorus-login': { type: 'string' },
  'chorus-password-env': { type: 'string' },
  telegram: { type: 'string', multiple: true },
  email: { type: 'string', multiple: true },
  terminal: { type: 'boolean' },
  json: { type: 'boolean' },
  force: { type: 'boolean' },
  remove: { type: 'boolean' },
  ttl: { type: 'string' },
  limit: { type: 'string' },
  'previous-key-env': { type: 'string' },
  'previous-key-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

export interface Context {
  io: CliIO;
  config: Config;
  store: Store;
  values: Values;
  args: string[];
}

export function usage(io: CliIO, message: string): number {
  io.stderr.write(`facteur accounts : ${message}\nAide : facteur accounts --help\n`);
  return 2;
}

export function frenchParseError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const option = /'([^']+)'/.exec(e.message ?? '')?.[1] ?? '';
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `option inconnue « ${option} ».`;
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    return `valeur manquante ou invalide pour « ${option} ».`;
  return `arguments invalides (${e.message ?? String(error)}).`;
}

/** The account named by the one positional argument. */
export async function namedAccount(ctx: Context, action: string): Promise<Account> {
  const [name, ...extra] = ctx.args;
  if (!name) throw new AccountsUsageError(`indiquez le nom du compte : facteur accounts ${action} NOM.`);
  if (extra.length > 0) throw new AccountsUsageError(`argument en trop « ${extra[0]} ».`);
  const account = await ctx.store.accounts.getByName(name);
  if (!account) throw new AccountNotFoundError(name);
  return account;
}

/** --telegram / --email / --terminal, validated and normalised before anything is written. */
export function identitiesOf(values: Values): IdentityKey[] {
  const raw = [
    ...(values.telegram ?? []).map((userId) => ({ channel: 'telegram', userId })),
    ...(values.email ?? []).map((userId) => ({ channel: 'email', userId })),
    ...(values.terminal ? [{ channel: 'terminal', userId: 'local' }] : []),
  ];
  const seen = new Set<string>();
  return raw
    .map((i) => normalizeIdentity(i))
    .filter((i) => !seen.has(`${i.channel}:${i.userId}`) && seen.add(`${i.channel}:${i.userId}`));
}

export function chorusCredentials(ctx: Context): { login: string; password: string } | undefined {
  const login = ctx.values['chorus-login']?.trim();
  const variable = ctx.values['chorus-password-env']?.trim();
  if (!login && !variable) return undefined;
  if (!login || !variable) {
    throw new AccountsUsageError('--chorus-login et --chorus-password-env vont ensemble.');
  }
  const password = ctx.io.env[variable];
  if (password === undefined || password === '') {
    throw new AccountsUsageError(
      `la variable d’environnement ${variable} (--chorus-password-env) est absente ou vide.`,
    );
  }
  return { login, password };
}

export async function checkFree(store: Store, identities: IdentityKey[], accountId?: string): Promise<void> {
  for (const identity of identities) {
    const owner = await store.identities.findAccount(identity);
    if (owner && owner.id !== accountId) {
      throw new IdentityLinkedElsewhereError(identity.channel, identity.userId, owner.name);
    }
  }
}

export function describe(identity: IdentityKey): string {
  if (identity.channel === 'telegram') return `Telegram ${identity.userId}`;
  if (identity.channel === 'email') return `e-mail ${identity.userId}`;
  return 'terminal';
}

export function parseTtl(value: string | undefined): number {
  if (value === undefined) return 24 * 3_600_000;
  const m = /^(\d+)\s*(m|h|d)$/.exec(value.trim());
  const ms = m ? Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'] : 0;
  if (!m || ms < 60_000 || ms > 30 * 86_400_000) {
    throw new AccountsUsageError(
      `durée invalide « ${value} » pour --ttl (ex. 30m, 24h, 7d ; au plus 30 jours).`,
    );
  }
  return ms;
}

export function frenchDateTime(iso: string): string {
  return new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'Europe/Paris',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(iso));
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n > 1 ? many : one}`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function quote(name: string): string {
  return /^[\w.-]+$/.test(name) ? name : `"${name}"`;
}
