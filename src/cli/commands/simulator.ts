/**
 * `facteur simulator [--port N] [--data DIR] [--seed FILE]...`: the embedded Chorus Pro simulator
 * as a standalone server (PISTE token endpoint + /cpro API on one port), until Ctrl-C.
 * `facteur simulator invoices|status` drive a running one through its control routes.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command, CliIO } from '../command.js';
import { createLogger } from '../../shared/logger.js';
import { createRecognizer } from '../../recognition/index.js';
import { SIMULATOR_DEFAULTS, SimulatorBusyError, startSimulator } from '../../deposit/simulator/index.js';
import { lazyRecognizer } from '../../deposit/environment.js';
import { createConfig } from '../../config/schema.js';
import { statusLabel } from '../../deposit/receipt-pdf.js';

export const summary =
  'lance le simulateur Chorus Pro (même API HTTP que PISTE) ou pilote un simulateur lancé';

const DEFAULT_PORT = 8790;

const HELP = `Usage :
  facteur simulator [--port N] [--data DOSSIER] [--seed FICHIER.json]...
                    [--client-id ID] [--client-secret S] [--login L] [--password P] [--token-ttl S]
  facteur simulator invoices [--url URL | --data DOSSIER] [--json]
  facteur simulator status ID STATUT [--comment TEXTE] [--url URL | --data DOSSIER]

Sans sous-commande : lance le simulateur sur 127.0.0.1 (port ${DEFAULT_PORT} par défaut, 0 = au hasard)
avec le point d’accès des jetons /api/oauth/token et l’API sous /cpro/. Identifiants par défaut :
client PISTE « ${SIMULATOR_DEFAULTS.clientId} » / « ${SIMULATOR_DEFAULTS.clientSecret} »,
compte technique « ${SIMULATOR_DEFAULTS.login} » / « ${SIMULATOR_DEFAULTS.password} ». --data garde les factures d’un lancement à l’autre ;
--seed ajoute des structures, services et comptes bancaires (même format que seed/chorus-simulator.json).
Pannes simulées : en-tête x-simulator-fault (latency=300, 500, 429;retry-after=2, drop, drop-after-apply).

invoices  liste les factures du simulateur (statut courant)
status    change le statut d’une facture (MISE_A_DISPOSITION, SUSPENDUE, REJETEE, MISE_EN_PAIEMENT…)
--url     adresse d’un simulateur lancé ; --data son dossier de données. Sans l’un ni l’autre :
          le simulateur intégré des autres commandes (FACTEUR_DATA_DIR/simulator), sinon
          http://127.0.0.1:${DEFAULT_PORT}
`;

function fail(io: CliIO, message: string): number {
  io.stderr.write(`facteur simulator : ${message}\n\n${HELP}`);
  return 2;
}

interface ListedInvoice {
  id: number;
  number: string;
  status: string;
  recipientName: string;
  totalInclTax: number;
  depositedAt: string;
}

interface ControlBackend {
  where: string;
  list(): Promise<ListedInvoice[]>;
  move(id: number, status: string, comment?: string): Promise<void>;
  close(): Promise<void>;
}

function httpBackend(url: string): ControlBackend {
  const base = url.replace(/\/+$/, '');
  const call = async (path: string, init?: RequestInit) => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, init);
    } catch (error) {
      throw new Error(`aucun simulateur ne répond sur ${base} (${(error as Error).message})`);
    }
    const body = (await response.json()) as { error?: string; invoices?: ListedInvoice[] };
    if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
    return body;
  };
  return {
    where: base,
    list: async () => (await call('/_simulator/invoices')).invoices ?? [],
    move: async (id, status, comment) => {
      await call(`/_simulator/invoices/${id}/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status, ...(comment ? { comment } : {}) }),
      });
    },
    close: async () => {},
  };
}

/**
 * Where the invoices are: --url; else the simulator data directory (--data, or the embedded
 * simulator's FACTEUR_DATA_DIR/simulator) — through the simulator running on it, or opened here
 * when none runs; else a simulator on the default port.
 */
async function openBackend(
  io: CliIO,
  url: string | undefined,
  data: string | undefined,
): Promise<ControlBackend> {
  if (url) return httpBackend(url);
  const dataDir = data
    ? resolve(io.cwd, data)
    : join(resolve(io.cwd, createConfig(io.env).dataDir), 'simulator');
  if (!existsSync(join(dataDir, 'state.json'))) return httpBackend(`http://127.0.0.1:${DEFAULT_PORT}`);
  const recognizer = lazyRecognizer(() => createRecognizer());
  try {
    const sim = await startSimulator({ recognizer, dataDir });
    return {
      where: dataDir,
      list: async () => sim.listInvoices(),
      move: (id, status, comment) => sim.setInvoiceStatus(id, status, comment),
      close: async () => {
        await sim.stop();
        await recognizer.close();
      },
    };
  } catch (error) {
    if (error instanceof SimulatorBusyError && error.url) return httpBackend(error.url);
    throw error;
  }
}

async function control(io: CliIO, argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        data: { type: 'string' },
        comment: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
  } catch (error) {
    return fail(io, (error as Error).message);
  }
  const [action, id, status, ...extra] = parsed.positionals;
  if (
    action === 'status' &&
    (!id || !/^\d+$/.test(id) || !status || !/^[A-Za-z_0-9]+$/.test(status) || extra.length > 0)
  ) {
    return fail(io, 'status attend l’identifiant de la facture et le nouveau statut (ex. SUSPENDUE).');
  }
  const backend = await openBackend(io, parsed.values.url, parsed.values.data);
  try {
    if (action === 'invoices') {
      const invoices = await backend.list();
      if (parsed.values.json) io.stdout.write(`${JSON.stringify(invoices)}\n`);
      else if (invoices.length === 0) io.stdout.write(`Aucune facture déposée (${backend.where}).\n`);
      else
        for (const i of invoices)
          io.stdout.write(
            `  ${i.id}  ${i.number.padEnd(20)} ${statusLabel(i.status).padEnd(34)} ${i.totalInclTax.toFixed(2)} €  ${i.recipientName}\n`,
          );
      return 0;
    }
    await backend.move(Number(id), status!.toUpperCase(), parsed.values.comment);
    io.stdout.write(`Facture ${id} : ${statusLabel(status!.toUpperCase())}.\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`facteur simulator : ${(error as Error).message}.\n`);
    return 1;
  } finally {
    await backend.close();
  }
}

const command: Command = async (argv, io) => {
  if (argv[0] === 'invoices' || argv[0] === 'status') return control(io, argv);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        data: { type: 'string' },
        seed: { type: 'string', multiple: true },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        login: { type: 'string' },
        password: { type: 'string' },
        'token-ttl': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return fail(io, (error as Error).message);
  }
  const o = parsed.values;
  if (o.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const port = o.port === undefined ? DEFAULT_PORT : Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return fail(io, '--port attend un numéro de port (0 = au hasard).');
  const ttl = o['token-ttl'] === undefined ? undefined : Number(o['token-ttl']);
  if (ttl !== undefined && (!Number.isInteger(ttl) || ttl <= 0))
    return fail(io, '--token-ttl attend une durée en secondes.');

  const logger = createLogger({ level: io.env.LOG_LEVEL ?? 'info' });
  const recognizer = createRecognizer({ logger });
  let sim;
  try {
    sim = await startSimulator({
      port,
      host: '127.0.0.1',
      recognizer,
      ...(o.data ? { dataDir: resolve(io.cwd, o.data) } : {}),
      extraSeedFiles: (o.seed ?? []).map((f) => resolve(io.cwd, f)),
      credentials: {
        clientId: o['client-id'],
        clientSecret: o['client-secret'],
        login: o.login,
        password: o.password,
      },
      ...(ttl ? { tokenTtlSeconds: ttl } : {}),
      logger,
    });
  } catch (error) {
    await recognizer.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      io.stderr.write(`facteur simulator : le port ${port} est déjà utilisé (essayez --port 0).\n`);
      return 1;
    }
    throw error;
  }
  io.stdout.write(
    [
      `Simulateur Chorus Pro prêt sur ${sim.url}`,
      `  API (CHORUS_API_URL)          ${sim.apiUrl}`,
      `  Jetons (PISTE_OAUTH_URL)      ${sim.oauthUrl}`,
      `  Client PISTE                  ${sim.credentials.clientId} / ${sim.credentials.clientSecret}`,
      `  Compte technique              ${sim.credentials.login} / ${sim.credentials.password}`,
      `  Données                       ${o.data ? resolve(io.cwd, o.data) : 'en mémoire (--data pour les garder)'}`,
      'Ctrl-C pour arrêter.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sim.stop();
  await recognizer.close();
  io.stderr.write('Simulateur arrêté.\n');
  return 0;
};
export default command;
