/** `facteur accounts add | link | unlink | chorus | remove`: changing accounts and who may act for them. */
import {
  AccountsUsageError,
  checkFree,
  chorusCredentials,
  describe,
  identitiesOf,
  namedAccount,
  plural,
  capitalize,
  quote,
  type Context,
} from './context.js';

export async function add(ctx: Context): Promise<number> {
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

export async function changeLinks(ctx: Context, mode: 'link' | 'unlink'): Promise<number> {
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

export async function chorus(ctx: Context): Promise<number> {
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

export async function remove(ctx: Context): Promise<number> {
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
