/** `facteur accounts invite`: a one-time linking code, and the Telegram link when a bot is configured. */
import { namedAccount, parseTtl, frenchDateTime, type Context } from './context.js';
import { FacteurError } from '../../shared/errors.js';

export async function invite(ctx: Context): Promise<number> {
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
