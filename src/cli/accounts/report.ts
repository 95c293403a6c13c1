/** `facteur accounts list | history`: what the accounts are and what was done with them. */
import { AccountsUsageError, describe, namedAccount, frenchDateTime, type Context } from './context.js';

export async function list(ctx: Context): Promise<number> {
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

export async function history(ctx: Context): Promise<number> {
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
