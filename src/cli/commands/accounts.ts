import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIO, Command } from '../command.js';
import { createConfig, type Config } from '../../config/schema.js';
import { FacteurError } from '../../shared/errors.js';
import { createLogger } from '../../shared/logger.js';
import {
  AccountNotFoundError,
  IdentityLinkedElsewhereError,
  createStore,
  normalizeIdentity,
  type Account,
  type IdentityKey,
  type Store,
} from '../../store/index.js';

export const summary = 'gérer les comptes : add, link, unlink, chorus, list, remove, history, invite, rekey';

const HELP = `Usage : facteur accounts <action> [options]

  add --name NOM [--chorus-login LOGIN --chorus-password-env VAR]
      [--telegram ID]... [--email ADRESSE]... [--terminal]
        Crée un compte. Le mot de passe du compte technique Chorus Pro est lu dans la
        variable d’environnement nommée par --chorus-password-env (jamais sur la ligne de
        commande) et enregistré chiffré (AES-256-GCM).
  link NOM [--telegram ID]... [--email ADRESSE]... [--terminal]
        Autorise ces identités à agir pour le compte.
  unlink NOM [--telegram ID]... [--email ADRESSE]... [--terminal]
        Retire ces identités du compte.
  chorus NOM (--chorus-login LOGIN --chorus-password-env VAR | --remove)
        Remplace (ou retire) le compte technique Chorus Pro du compte.
  list [--json]
        Liste les comptes, leurs identités, brouillons ouverts et dépôts.
  remove NOM [--force]
        Supprime le compte, ses identités et ses brouillons (l’historique est conservé).
  rekey (--previous-key-env VAR | --previous-key-file FICHIER)
        Rechiffre les mots de passe Chorus avec la clé actuelle (FACTEUR_SECRET_KEY, ou
        secret.key du dossier de données), par exemple après être passé du fichier de clé
        généré à FACTEUR_SECRET_KEY.
  history NOM [--limit 50] [--json]
        Journal du compte : qui a fait quoi, et quand (jamais de secret).
  invite NOM [--ttl 24h] [--json]
        Crée un code de rattachement à usage unique (et le lien Telegram si
        TELEGRAM_BOT_TOKEN est défini).

Environnement : FACTEUR_DATA_DIR, DATABASE_URL, FACTEUR_SECRET_KEY (voir README).
`;

/** A mistake in the command line: printed with a pointer to the help, exit code 2. */
class AccountsUsageError extends FacteurError {
  readonly code = 'usage';
  constructor(message: string) {
    super(message, message);
  }
}

const OPTIONS = {
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

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

interface Context {
  io: CliIO;
  config: Config;
  store: Store;
  values: Values;
  args: string[];
}

const ACTIONS: Record<string, (ctx: Context) => Promise<number>> = {
  add,
  link: (ctx) => changeLinks(ctx, 'link'),
  unlink: (ctx) => changeLinks(ctx, 'unlink'),
  chorus,
  list,
  remove,
  history,
  invite,
  rekey,
};

const command: Command = async (argv, io) => {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return usage(io, frenchParseError(error));
  }
  const [action, ...args] = parsed.positionals;
  if (parsed.values.help || !action || action === 'aide' || action === 'help') {
    io.stdout.write(HELP);
    return action || parsed.values.help ? 0 : 2;
  }
  const run = ACTIONS[action];
  if (!run) return usage(io, `action inconnue « ${action} ».`);

  const config = createConfig(io.env);
  const store = await createStore({
    dataDir: path.resolve(io.cwd, config.dataDir),
    databaseUrl: config.databaseUrl,
    secretKey: config.secretKey,
    logger: createLogger({ level: io.env.LOG_LEVEL ? config.logLevel : 'warn' }),
  });
  try {
    return await run({ io, config, store, values: parsed.values, args });
  } catch (error) {
    if (error instanceof AccountsUsageError) return usage(io, error.message);
    throw error;
  } finally {
    await store.close();
  }
};
export default command;

function usage(io: CliIO, message: string): number {
  io.stderr.write(`facteur accounts : ${message}\nAide : facteur accounts --help\n`);
  return 2;
}

function frenchParseError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const option = /'([^']+)'/.exec(e.message ?? '')?.[1] ?? '';
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `option inconnue « ${option} ».`;
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    return `valeur manquante ou invalide pour « ${option} ».`;
  return `arguments invalides (${e.message ?? String(error)}).`;
}

/** The account named by the one positional argument. */
async function namedAccount(ctx: Context, action: string): Promise<Account> {
  const [name, ...extra] = ctx.args;
  if (!name) throw new AccountsUsageError(`indiquez le nom du compte : facteur accounts ${action} NOM.`);
  if (extra.length > 0) throw new AccountsUsageError(`argument en trop « ${extra[0]} ».`);
  const account = await ctx.store.accounts.getByName(name);
  if (!account) throw new AccountNotFoundError(name);
  return account;
}

/** --telegram / --email / --terminal, validated and normalised before anything is written. */
function identitiesOf(values: Values): IdentityKey[] {
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

function chorusCredentials(ctx: Context): { login: string; password: string } | undefined {
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

async function checkFree(store: Store, identities: IdentityKey[], accountId?: string): Promise<void> {
  for (const identity of identities) {
    const owner = await store.identities.findAccount(identity);
    if (owner && owner.id !== accountId) {
      throw new IdentityLinkedElsewhereError(identity.channel, identity.userId, owner.name);
    }
  }
}

function describe(identity: IdentityKey): string {
  if (identity.channel === 'telegram') return `Telegram ${identity.userId}`;
  if (identity.channel === 'email') return `e-mail ${identity.userId}`;
  return 'terminal';
}

async function add(ctx: Context): Promise<number> {
  if (ctx.args.length > 0)
    throw new AccountsUsageError(`argument en trop « ${ctx.args[0]} » (le nom va avec --name).`);
  const name = ctx.values.name;
  if (!name) throw new AccountsUsageError('indiquez le nom du compte : --name NOM.');
  const chorus = chorusCredentials(ctx);
  const identities = identitiesOf(ctx.values);
  // Account and identities in one transaction: nothing is created when an identity is taken.
  const account = await ctx.store.accounts.create({ name, identities, ...(chorus ? { chorus } : {}) });
  await ctx.store.audit.record({
    action: 'account.created',
    accountId: account.id,
    details: {
      via: 'cli',
      chorusLogin: chorus?.login ?? null,
      identities: identities.map((i) => `${i.channel}:${i.userId}`),
    },
  });
  const lines = [`Compte « ${account.name} » créé.`];
  lines.push(
    chorus
      ? `  Chorus Pro : ${chorus.login} (mot de passe chiffré)`
      : '  Chorus Pro : aucun compte technique',
  );
  for (const identity of identities) lines.push(`  Autorisé : ${describe(identity)}`);
  if (identities.length === 0) {
    lines.push(
      `  Aucune identité : ajoutez-en avec « facteur accounts link ${quote(account.name)} --telegram ID ».`,
    );
  }
  ctx.io.stdout.write(lines.join('\n') + '\n');
  return 0;
}

async function changeLinks(ctx: Context, mode: 'link' | 'unlink'): Promise<number> {
  const account = await namedAccount(ctx, mode);
  const identities = identitiesOf(ctx.values);
  if (identities.length === 0)
    throw new AccountsUsageError('indiquez au moins --telegram ID, --email ADRESSE ou --terminal.');
  const lines: string[] = [];
  if (mode === 'link') {
    await checkFree(ctx.store, identities, account.id);
    for (const identity of identities) {
      await ctx.store.identities.link(account.id, identity);
      lines.push(`${capitalize(describe(identity))} autorisé pour « ${account.name} ».`);
    }
  } else {
    for (const identity of identities) {
      const owner = await ctx.store.identities.findAccount(identity);
      if (owner?.id !== account.id) {
        lines.push(`${capitalize(describe(identity))} n’était pas rattaché à « ${account.name} ».`);
        continue;
      }
      await ctx.store.identities.unlink(identity);
      lines.push(`${capitalize(describe(identity))} retiré de « ${account.name} ».`);
    }
  }
  await ctx.store.audit.record({
    action: mode === 'link' ? 'identity.linked' : 'identity.unlinked',
    accountId: account.id,
    details: { via: 'cli', identities: identities.map((i) => `${i.channel}:${i.userId}`) },
  });
  ctx.io.stdout.write(lines.join('\n') + '\n');
  return 0;
}

async function chorus(ctx: Context): Promise<number> {
  const account = await namedAccount(ctx, 'chorus');
  const credentials = ctx.values.remove ? null : chorusCredentials(ctx);
  if (credentials === undefined) {
    throw new AccountsUsageError('indiquez --chorus-login LOGIN --chorus-password-env VAR, ou --remove.');
  }
  await ctx.store.accounts.setChorusCredentials(account.id, credentials);
  await ctx.store.audit.record({
    action: credentials ? 'account.chorus-set' : 'account.chorus-removed',
    accountId: account.id,
    details: { via: 'cli', chorusLogin: credentials?.login ?? null },
  });
  ctx.io.stdout.write(
    credentials
      ? `Compte technique Chorus Pro de « ${account.name} » : ${credentials.login} (mot de passe chiffré).\n`
      : `Compte technique Chorus Pro retiré de « ${account.name} ».\n`,
  );
  return 0;
}

async function list(ctx: Context): Promise<number> {
  if (ctx.args.length > 0) throw new AccountsUsageError(`argument en trop « ${ctx.args[0]} ».`);
  const rows = [];
  for (const account of await ctx.store.accounts.list()) {
    const identities = await ctx.store.identities.listByAccount(account.id);
    const openDrafts = await ctx.store.conversations.count({ accountId: account.id, statuses: ['open'] });
    const deposits = await ctx.store.deposits.count(account.id, { state: 'deposited' });
    rows.push({
      ...account,
      identities: identities.map(({ channel, userId, linkedAt }) => ({ channel, userId, linkedAt })),
      openDrafts,
      deposits,
    });
  }
  if (ctx.values.json) {
    ctx.io.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  if (rows.length === 0) {
    ctx.io.stdout.write('Aucun compte. Créez-en un : facteur accounts add --name NOM --telegram ID\n');
    return 0;
  }
  const lines: string[] = [];
  for (const row of rows) {
    lines.push(`${row.name}`);
    lines.push(
      `  Chorus Pro : ${row.chorusLogin ? `${row.chorusLogin}${row.hasChorusPassword ? '' : ' (sans mot de passe)'}` : 'aucun compte technique'}`,
    );
    lines.push(`  Identités : ${row.identities.length ? row.identities.map(describe).join(', ') : 'aucune'}`);
    lines.push(`  Brouillons ouverts : ${row.openDrafts} · Factures déposées : ${row.deposits}`);
  }
  ctx.io.stdout.write(lines.join('\n') + '\n');
  return 0;
}

async function remove(ctx: Context): Promise<number> {
  const account = await namedAccount(ctx, 'remove');
  const inFlight = (await ctx.store.deposits.listInFlight()).filter((d) => d.accountId === account.id);
  if (inFlight.length > 0 && !ctx.values.force) {
    ctx.io.stderr.write(
      `facteur accounts : un dépôt est en cours pour « ${account.name} » (facture ${inFlight[0]?.invoiceNumber}) ; ` +
        'attendez qu’il se termine ou ajoutez --force.\n',
    );
    return 1;
  }
  const identities = await ctx.store.identities.listByAccount(account.id);
  const openDrafts = await ctx.store.conversations.count({ accountId: account.id, statuses: ['open'] });
  const deposits = await ctx.store.deposits.count(account.id, { state: 'deposited' });
  await ctx.store.accounts.remove(account.id);
  await ctx.store.audit.record({
    action: 'account.removed',
    accountId: account.id,
    details: { via: 'cli', name: account.name, identities: identities.length, openDrafts, deposits },
  });
  ctx.io.stdout.write(
    `Compte « ${account.name} » supprimé (${plural(identities.length, 'identité')}, ` +
      `${plural(openDrafts, 'brouillon ouvert', 'brouillons ouverts')}, ${plural(deposits, 'dépôt enregistré', 'dépôts enregistrés')} ; ` +
      'les factures déposées restent sur Chorus Pro).\n',
  );
  return 0;
}

async function invite(ctx: Context): Promise<number> {
  const account = await namedAccount(ctx, 'invite');
  const ttlMs = parseTtl(ctx.values.ttl);
  const created = await ctx.store.invites.create(account.id, { ttlMs });
  await ctx.store.audit.record({
    action: 'invite.created',
    accountId: account.id,
    details: { via: 'cli', expiresAt: created.expiresAt },
  });
  let link: string | undefined;
  if (ctx.config.telegram) {
    try {
      // Loaded only here: the other actions never pay for grammY.
      const { getBotUsername } = await import('../../bot/bot-info.js');
      const username = await getBotUsername({
        token: ctx.config.telegram.token,
        apiRoot: ctx.config.telegram.apiRoot,
      });
      link = `https://t.me/${username}?start=${created.code}`;
    } catch (error) {
      const reason = error instanceof FacteurError ? error.userMessage : 'bot Telegram injoignable';
      ctx.io.stderr.write(
        `facteur accounts : lien Telegram indisponible (${reason}) ; le code reste valable.\n`,
      );
    }
  }
  if (ctx.values.json) {
    ctx.io.stdout.write(
      JSON.stringify({
        account: account.name,
        code: created.code,
        expiresAt: created.expiresAt,
        ...(link ? { link } : {}),
      }) + '\n',
    );
    return 0;
  }
  const lines = [
    `Code de rattachement pour « ${account.name} » (usage unique, valable jusqu’au ${frenchDateTime(created.expiresAt)}) :`,
    `  ${created.code}`,
  ];
  if (link) lines.push(`Lien Telegram : ${link}`);
  else lines.push(`Sur Telegram, envoyez au bot : /start ${created.code}`);
  ctx.io.stdout.write(lines.join('\n') + '\n');
  return 0;
}

async function history(ctx: Context): Promise<number> {
  const account = await namedAccount(ctx, 'history');
  const limit = ctx.values.limit === undefined ? 50 : Number(ctx.values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new AccountsUsageError(`--limit attend un nombre entre 1 et 1000 (reçu « ${ctx.values.limit} »).`);
  }
  const entries = await ctx.store.audit.list({ accountId: account.id, limit });
  if (ctx.values.json) {
    ctx.io.stdout.write(JSON.stringify(entries, null, 2) + '\n');
    return 0;
  }
  if (entries.length === 0) {
    ctx.io.stdout.write(`Rien dans le journal de « ${account.name} ».\n`);
    return 0;
  }
  const lines = [`Journal de « ${account.name} » (du plus récent au plus ancien) :`];
  for (const e of entries) {
    const who = e.actor ? describe(e.actor) : 'administration';
    const details = e.details ? ` ${JSON.stringify(e.details)}` : '';
    lines.push(
      `  ${frenchDateTime(e.at)}  ${who}  ${e.action}${e.conversationId ? ` [${e.conversationId}]` : ''}${details}`,
    );
  }
  ctx.io.stdout.write(lines.join('\n') + '\n');
  return 0;
}

async function rekey(ctx: Context): Promise<number> {
  if (ctx.args.length > 0) throw new AccountsUsageError(`argument en trop « ${ctx.args[0]} ».`);
  const variable = ctx.values['previous-key-env'];
  const file = ctx.values['previous-key-file'];
  if ((variable === undefined) === (file === undefined)) {
    throw new AccountsUsageError(
      'indiquez --previous-key-env VAR ou --previous-key-file FICHIER (l’un des deux).',
    );
  }
  let previous: string;
  if (variable !== undefined) {
    const value = ctx.io.env[variable];
    if (!value) throw new AccountsUsageError(`la variable d’environnement ${variable} est absente ou vide.`);
    previous = value;
  } else {
    try {
      previous = await readFile(path.resolve(ctx.io.cwd, file ?? ''), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'erreur';
      throw new AccountsUsageError(`impossible de lire ${file} (${code}).`);
    }
  }
  const outcome = await ctx.store.accounts.rotateKey(previous);
  await ctx.store.audit.record({ action: 'secrets.rekeyed', details: { via: 'cli', ...outcome } });
  ctx.io.stdout.write(
    `${plural(outcome.reencrypted, 'mot de passe rechiffré', 'mots de passe rechiffrés')} avec la clé actuelle ; ` +
      `${plural(outcome.current, 'déjà à jour', 'déjà à jour')}.\n`,
  );
  if (outcome.unreadable > 0) {
    ctx.io.stderr.write(
      `facteur accounts : ${plural(outcome.unreadable, 'mot de passe illisible', 'mots de passe illisibles')} avec ces deux clés ; ` +
        'enregistrez-les à nouveau avec « facteur accounts chorus NOM … ».\n',
    );
    return 1;
  }
  return 0;
}

function parseTtl(value: string | undefined): number {
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

function frenchDateTime(iso: string): string {
  return new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'Europe/Paris',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(iso));
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n > 1 ? many : one}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function quote(name: string): string {
  return /^[\w.-]+$/.test(name) ? name : `"${name}"`;
}
