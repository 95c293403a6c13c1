/**
 * `facteur chat [FACTURE.pdf]`: the whole deposit conversation in the terminal, as a phone user
 * would have it. Reads the user's lines from stdin — interactively in a TTY, line by line from a
 * pipe (`printf 'ok\nok\n' | facteur chat facture.pdf`) — and stops when stdin ends. With no
 * configuration it runs on the embedded defaults: simulated Chorus Pro, SQLite, demo account.
 */
import path from 'node:path';
import type { Command } from '../command.js';
import { createConfig } from '../../config/schema.js';
import { createApp, TERMINAL_IDENTITY } from '../../app/create-app.js';
import { createLogger } from '../../shared/logger.js';
import { createTerminalSession } from '../terminal/session.js';
import { takeTerminalNotifications } from '../../followup/dispatcher.js';
import { randomUUID } from 'node:crypto';

export const summary = 'dépose une facture sur Chorus Pro en conversation dans le terminal';

const HELP = `Usage : facteur chat [FACTURE.pdf]

Conversation de dépôt dans le terminal : Facteur lit la facture, vous vérifiez bloc par bloc
(répondez « ok », « corriger », ou tapez la bonne valeur), puis « confirmer » l’envoie à
Chorus Pro. Un numéro choisit une des réponses proposées ; un chemin vers un PDF envoie une
nouvelle facture ; « aide » liste les commandes ; « quitter » (ou Ctrl-D) sort : le brouillon
reste enregistré.

Les réponses peuvent venir d’un tube : printf 'ok\\nok\\nconfirmer\\n' | facteur chat facture.pdf

Sans configuration : Chorus Pro simulé, base SQLite dans ./data, compte de démonstration.
`;

const command: Command = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(HELP);
    return 0;
  }
  const unknown = argv.find((a) => a.startsWith('-'));
  if (unknown) {
    io.stderr.write(`facteur chat : option inconnue « ${unknown} ».\n${HELP}`);
    return 1;
  }
  if (argv.length > 1) {
    io.stderr.write('facteur chat : une seule facture à la fois.\n');
    return 1;
  }
  const config = createConfig(io.env);
  config.dataDir = path.resolve(io.cwd, config.dataDir);
  // The conversation is the output here: logs stay quiet unless LOG_LEVEL asks for them.
  const logger = createLogger({ level: io.env.LOG_LEVEL ?? 'warn' });
  const app = await createApp(config, { logger, withChannels: false, withFollowUp: false });
  const interactive = (io.stdin as { isTTY?: boolean }).isTTY === true;
  const identity = { ...TERMINAL_IDENTITY, displayName: io.env.USER };
  const session = createTerminalSession({
    conversations: app.conversations,
    identity,
    stdin: io.stdin,
    stdout: io.stdout,
    cwd: io.cwd,
    attachmentsDir: config.dataDir,
    interactive,
  });
  const unsubscribe = app.conversations.onNotification('terminal', (n) => session.show([n.view]));
  const onSignal = () => io.stdin.destroy();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await app.start();
    if (!(await app.conversations.isAllowed(identity))) {
      io.stderr.write(
        'facteur chat : le terminal n’est rattaché à aucun compte. Créez-en un avec « facteur accounts add --name NOM --terminal », ou utilisez le simulateur (CHORUS_ENV=simulator).\n',
      );
      return 1;
    }
    // What happened to deposited invoices since last time (follow-up notifications of the terminal).
    await takeTerminalNotifications(app.store, identity.userId, `chat:${randomUUID()}`, (views) =>
      session.show(views),
    );
    const file = argv[0];
    if (file) {
      if (!(await session.sendFile(file))) return 1;
    } else {
      await session.show(await app.conversations.welcome(identity));
    }
    await session.run();
    const currentId = await app.store.conversations.getCurrent(identity);
    const current = currentId ? await app.store.conversations.get(currentId) : undefined;
    if (current && (current.status === 'open' || current.status === 'submitting')) {
      io.stdout.write(
        `\nLe brouillon ${current.provisionalNumber} reste enregistré : « facteur chat » puis « reprendre ${current.provisionalNumber} » pour le reprendre.\n`,
      );
    }
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    unsubscribe();
    await app.stop();
  }
};
export default command;
