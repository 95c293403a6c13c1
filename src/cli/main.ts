import type { CliIO, CommandModule } from './command.js';
import { FacteurError } from '../shared/errors.js';

/** Commands load lazily so `facteur inspect` does not pay for grammY, imapflow or the database. */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  inspect: () => import('./commands/inspect.js'),
  chat: () => import('./commands/chat.js'),
  start: () => import('./commands/start.js'),
  simulator: () => import('./commands/simulator.js'),
  structures: () => import('./commands/structures.js'),
  deposit: () => import('./commands/deposit.js'),
  accounts: () => import('./commands/accounts.js'),
  'follow-up': () => import('./commands/follow-up.js'),
  invoices: () => import('./commands/invoices.js'),
  facturx: () => import('./commands/facturx.js'),
};

async function usage(io: CliIO): Promise<void> {
  const lines = ['Usage : facteur <commande> [options]', '', 'Commandes :'];
  for (const [name, load] of Object.entries(COMMANDS)) {
    const mod = await load();
    lines.push(`  ${name.padEnd(12)} ${mod.summary}`);
  }
  lines.push('', 'Aide d’une commande : facteur <commande> --help');
  io.stdout.write(lines.join('\n') + '\n');
}

/** Runs `facteur` with the given arguments; returns the exit code. */
export async function run(argv: string[], io?: Partial<CliIO>): Promise<number> {
  const fullIo: CliIO = {
    stdin: io?.stdin ?? process.stdin,
    stdout: io?.stdout ?? process.stdout,
    stderr: io?.stderr ?? process.stderr,
    env: io?.env ?? process.env,
    cwd: io?.cwd ?? process.cwd(),
  };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'aide' || name === 'help') {
    await usage(fullIo);
    return name ? 0 : 1;
  }
  const load = COMMANDS[name];
  if (!load) {
    fullIo.stderr.write(`facteur : commande inconnue « ${name} ».\n`);
    await usage(fullIo);
    return 1;
  }
  try {
    const mod = await load();
    return await mod.default(rest, fullIo);
  } catch (error) {
    if (error instanceof FacteurError) {
      fullIo.stderr.write(`facteur ${name} : ${error.userMessage} [${error.code}]\n`);
      return 1;
    }
    throw error;
  }
}
