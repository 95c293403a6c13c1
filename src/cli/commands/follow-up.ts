/**
 * `facteur follow-up --once`: one follow-up cycle for every account (for cron users and tests):
 * asks Chorus Pro what changed, records it, queues the notifications, prints the changes.
 */
import path from 'node:path';
import type { Command } from '../command.js';
import { createConfig } from '../../config/schema.js';
import { createApp } from '../../app/create-app.js';
import { createLogger } from '../../shared/logger.js';
import { statusLabel } from '../../deposit/receipt-pdf.js';
import { FOLLOW_UP_TEXT as T } from '../../followup/messages.js';

export const summary = 'suivi des factures déposées : un cycle (--once) pour tous les comptes';

const HELP = `Usage : facteur follow-up --once [--json]

Interroge Chorus Pro une fois pour chaque compte qui a des factures suivies (une recherche des
factures qui ont changé par compte), enregistre les changements de statut et prépare leurs
notifications (envoyées par « facteur start » sur Telegram ou par e-mail, montrées au prochain
« facteur chat » dans le terminal), puis affiche ce qui a changé. Pour cron ; « facteur start »
fait la même chose en continu.
`;

const command: Command = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(HELP);
    return 0;
  }
  const unknown = argv.find((a) => a !== '--once' && a !== '--json');
  if (unknown || !argv.includes('--once')) {
    io.stderr.write(
      `facteur follow-up : ${unknown ? `argument inattendu « ${unknown} »` : '--once attendu'}.\n\n${HELP}`,
    );
    return 2;
  }
  const config = createConfig(io.env);
  config.dataDir = path.resolve(io.cwd, config.dataDir);
  const logger = createLogger({ level: io.env.LOG_LEVEL ? config.logLevel : 'warn' });
  const app = await createApp(config, { logger, withChannels: false, withFollowUp: false });
  try {
    const report = await app.followUp.runOnce();
    if (argv.includes('--json')) {
      io.stdout.write(`${JSON.stringify(report)}\n`);
      return report.accounts.some((a) => a.error) ? 1 : 0;
    }
    const names = new Map((await app.store.accounts.list()).map((a) => [a.id, a.name]));
    let changes = 0;
    for (const a of report.accounts) {
      const name = names.get(a.accountId) ?? a.accountId;
      if (a.error) {
        io.stdout.write(`${T.cli.failed(name, a.error)}\n`);
        continue;
      }
      if (a.changes.length === 0) continue;
      io.stdout.write(`${T.cli.account(name)}\n`);
      for (const c of a.changes) {
        changes++;
        io.stdout.write(
          `${T.cli.changed(c.invoiceNumber, statusLabel(c.from), statusLabel(c.to))}${c.comment ? ` (« ${c.comment} »)` : ''}\n`,
        );
      }
    }
    if (changes === 0) io.stdout.write(`${T.cli.none}\n`);
    io.stdout.write(`${T.cli.summary(report.accounts.length, report.calls, changes, report.ms)}\n`);
    return report.accounts.some((a) => a.error) ? 1 : 0;
  } finally {
    await app.stop();
  }
};
export default command;
