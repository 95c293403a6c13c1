/**
 * `facteur start`: runs Facteur as a service — every channel the environment configures
 * (Telegram, e-mail), the embedded Chorus Pro simulator in simulator mode, draft reminders —
 * with one structured log line per event, until SIGTERM/SIGINT (then finishes the event in hand,
 * saves and closes).
 */
import path from 'node:path';
import type { Command } from '../command.js';
import { createConfig } from '../../config/schema.js';
import { createApp, type App } from '../../app/create-app.js';
import { createLogger } from '../../shared/logger.js';
import { HeapTuningError, tuneHeap } from '../../shared/heap-tuning.js';

/** `facteur start` exits within 10 s of SIGTERM: the stop gets 9 s, then the process ends anyway. */
const STOP_DEADLINE_MS = 9_000;
/** After a complete stop, how long abandoned requests may keep the process alive. */
const LINGER_MS = 500;

export const summary = 'démarre Facteur (Telegram, e-mail, simulateur) jusqu’à SIGTERM';

const HELP = `Usage : facteur start

Démarre les canaux configurés par l’environnement (Telegram : TELEGRAM_BOT_TOKEN ;
e-mail : IMAP_URL, SMTP_URL, MAIL_FROM…), et en mode simulateur (CHORUS_ENV=simulator, par
défaut) le Chorus Pro simulé. Journal JSON sur la sortie d’erreur, une ligne par événement.
Arrêt propre sur SIGTERM ou Ctrl-C : l’événement en cours est terminé et enregistré.
`;

const command: Command = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(HELP);
    return 0;
  }
  if (argv.length > 0) {
    io.stderr.write(`facteur start : argument inattendu « ${argv[0]} ».\n${HELP}`);
    return 1;
  }
  const config = createConfig(io.env);
  config.dataDir = path.resolve(io.cwd, config.dataDir);
  let heapGrowingPercent: number;
  try {
    heapGrowingPercent = tuneHeap(io.env);
  } catch (error) {
    if (!(error instanceof HeapTuningError)) throw error;
    io.stderr.write(`facteur start : ${error.userMessage}\n`);
    return 1;
  }
  const logger = createLogger({ level: config.logLevel });
  logger.debug({ heapGrowingPercent }, 'heap growth between full collections');
  let signalled: (signal: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (signalled = resolve));
  let failedChannel: string | undefined;
  let stopAsked = false;
  // Listening from the very start: a stop is honoured even while a dependency holds the start-up.
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopAsked) {
      logger.warn({ signal }, 'second signal: exiting at once');
      process.exit(1);
    }
    stopAsked = true;
    signalled(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  let app: App | undefined;
  const starting = (async () => {
    app = await createApp(config, {
      logger,
      // A channel that stops for good ends the process with code 1: a supervisor restarts it.
      onChannelFailure: (channel) => {
        failedChannel ??= channel;
        signalled(`${channel} channel stopped`);
      },
    });
    if (stopAsked) return;
    await app.start();
    if (app.channels.length === 0) {
      logger.warn(
        'no channel configured (TELEGRAM_BOT_TOKEN, IMAP_URL…): only reminders run; use « facteur chat » in a terminal',
      );
    }
    if (app.simulator) logger.info({ url: app.simulator.url }, 'embedded Chorus Pro simulator listening');
  })();
  let deadline: NodeJS.Timeout | undefined;
  try {
    const first = await Promise.race([starting.then(() => undefined), stopped]);
    const signal = first ?? (await stopped);
    logger.info({ signal }, 'stopping');
    // Whatever the dependencies do (a server that never answers), the process ends in time.
    deadline = setTimeout(() => {
      logger.warn(
        { afterMs: STOP_DEADLINE_MS },
        'stop deadline reached: exiting with work in hand (resumed at the next start)',
      );
      process.exit(failedChannel ? 1 : 0);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    if (failedChannel) {
      io.stderr.write(
        `facteur start : le canal ${failedChannel} s’est arrêté (voir le journal) ; Facteur s’arrête pour être relancé.\n`,
      );
      return 1;
    }
    return 0;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    // An app still being built (a slow store) is waited for until the deadline; an app still
    // starting (a dependency that does not answer) is stopped at once: its start gives way.
    if (!app) await starting.catch(() => undefined);
    await app?.stop();
    await starting.catch(() => undefined);
    clearTimeout(deadline);
    // Everything is closed; a call abandoned on a dependency that never answers (Chorus Pro, an
    // outgoing request) may still hold the event loop until its own timeout: do not wait for it.
    setTimeout(() => {
      logger.warn('requests abandoned at stop still pending: exiting without them');
      process.exit(failedChannel ? 1 : 0);
    }, LINGER_MS).unref();
  }
};
export default command;
