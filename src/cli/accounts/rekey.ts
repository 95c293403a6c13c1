/** `facteur accounts rekey`: re-encrypts the stored Chorus passwords under a new secret key. */
import { AccountsUsageError, plural, type Context } from './context.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export async function rekey(ctx: Context): Promise<number> {
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
