/**
 * `facteur invoices [--account NOM] [--json]`: the deposited invoices Facteur follows, newest
 * first, with their Chorus Pro status, the expected payment date and any late-payment interest.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { createConfig } from '../../config/schema.js';
import { createLogger } from '../../shared/logger.js';
import { createStore, type Account, type Store } from '../../store/index.js';
import { invoiceJson, invoiceLines } from '../../followup/invoice-list.js';
import { FOLLOW_UP_TEXT as T } from '../../followup/messages.js';

export const summary =
  'liste les factures déposées et suivies (statut, paiement attendu, intérêts de retard)';

const HELP = `Usage : facteur invoices [--account NOM] [--json]

Les factures déposées que Facteur suit, les plus récentes d’abord : numéro, destinataire,
montant TTC, statut Chorus Pro, date de paiement attendue, intérêts de retard. Sans --account :
le compte du terminal, sinon tous les comptes. --json : un tableau JSON (provisionalNumber,
invoiceNumber, chorusInvoiceId, recipientSiret, totalInclTax, depositedAt, status, statusAt,
statusComment, paymentDueBy, lateInterest).
`;

/** Which accounts the command lists: the named one, the terminal's, or all. */
export async function accountsFor(store: Store, name: string | undefined): Promise<Account[] | string> {
  if (name) {
    const account = await store.accounts.getByName(name);
    return account ? [account] : `compte « ${name} » inconnu.`;
  }
  const terminal = await store.identities.findAccount({ channel: 'terminal', userId: 'local' });
  return terminal ? [terminal] : store.accounts.list();
}

const command: Command = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        account: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.stderr.write(`facteur invoices : ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const config = createConfig(io.env);
  const logger = createLogger({ level: io.env.LOG_LEVEL ? config.logLevel : 'warn' });
  const store = await createStore({
    dataDir: path.resolve(io.cwd, config.dataDir),
    databaseUrl: config.databaseUrl,
    secretKey: config.secretKey,
    logger,
  });
  try {
    const accounts = await accountsFor(store, parsed.values.account);
    if (typeof accounts === 'string') {
      io.stderr.write(`facteur invoices : ${accounts}\n`);
      return 1;
    }
    const now = new Date();
    const rates = config.followUp.rates;
    const all = [];
    for (const a of accounts) all.push(...(await store.followUps.listByAccount(a.id, { limit: 1000 })));
    all.sort((x, y) => y.depositedAt.localeCompare(x.depositedAt) || y.chorusInvoiceId - x.chorusInvoiceId);
    if (parsed.values.json) {
      io.stdout.write(`${JSON.stringify(all.map((f) => invoiceJson(f, now, rates)))}\n`);
      return 0;
    }
    if (all.length === 0) io.stdout.write(`${T.cli.noInvoices}\n`);
    for (const f of all) io.stdout.write(`${invoiceLines(f, now, rates).join('\n')}\n`);
    return 0;
  } finally {
    await store.close();
  }
};
export default command;
