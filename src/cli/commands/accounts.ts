import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import {
  AccountsUsageError,
  OPTIONS,
  usage,
  frenchParseError,
  type Context,
  type Values,
} from '../accounts/context.js';
import { add, changeLinks, chorus, remove } from '../accounts/edit.js';
import { history, list } from '../accounts/report.js';
import { invite } from '../accounts/invite.js';
import { rekey } from '../accounts/rekey.js';
import { createConfig } from '../../config/schema.js';
import { createLogger } from '../../shared/logger.js';
import { createStore } from '../../store/index.js';

export const summary = 'gère les comptes : add, link, unlink, chorus, list, remove, history, invite, rekey';

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
