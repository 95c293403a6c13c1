import { mkdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Logger } from '../../shared/logger.js';
import { createSilentLogger } from '../../shared/logger.js';
import type { Recognizer } from '../../recognition/types.js';
import { createFaultBoard, faultSchema, type FaultSpec } from './faults.js';
import { lockDataDir } from './data-lock.js';
import { DEFAULT_SEED_FILE, loadSeed } from './seed.js';
import { createSimulatorServer } from './server.js';
import { openStateStore, type SimFlux, type SimInvoice } from './store.js';
import { checkMove, DEFAULT_REASONS } from './status-moves.js';
import { createWorld, REALISTIC_BUYER, type FluxTimings, type Lifecycle } from './world.js';
import { settleFluxes } from './flux-routes.js';

export type { FaultSpec } from './faults.js';
export type { SimInvoice, SimFlux } from './store.js';
export type { FluxTimings } from './world.js';
export { DEFAULT_SEED_FILE } from './seed.js';
export { SimulatorBusyError } from './data-lock.js';

/** Out-of-the-box credentials (README): any PISTE client can be pointed at the simulator with them. */
export const SIMULATOR_DEFAULTS = {
  clientId: 'facteur-simulator',
  clientSecret: 'facteur-simulator-secret',
  login: 'demo',
  password: 'demo',
} as const;

export interface SimulatorOptions {
  /** 0 (default) = a random free port. */
  port?: number;
  host?: '127.0.0.1';
  /** Keeps state (invoices, PDFs) across restarts; in memory when absent. */
  dataDir?: string;
  /** Facteur's recognition, which fills `deposer/pdf`'s answer like Chorus' OCR. */
  recognizer: Recognizer;
  /** Seed files, merged in order; default: `seed/chorus-simulator.json`. */
  seedFiles?: string[];
  /** Extra seed files merged after `seedFiles` (the CLI's `--seed`). */
  extraSeedFiles?: string[];
  clock?: () => Date;
  /** Time-driven status changes after a deposit; `false` disables them. */
  lifecycle?: Partial<Lifecycle> | false;
  /** Buyers process and pay on their own (`REALISTIC_BUYER` delays) unless `lifecycle.buyer` says otherwise. */
  realisticBuyers?: boolean;
  /** Simulated time runs this many times faster than real time (default 1; 1440 = a day a minute). */
  speed?: number;
  /** How long a deposited Factur-X flow takes to be integrated or rejected (default 1 s / 3 s). */
  fluxTimings?: Partial<FluxTimings>;
  /** Overrides of the PISTE client and of the first technical account of the seed. */
  credentials?: Partial<{ clientId: string; clientSecret: string; login: string; password: string }>;
  tokenTtlSeconds?: number;
  logger?: Logger;
}

export interface RunningSimulator {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** API base to give a client: `http://127.0.0.1:PORT/cpro`. */
  apiUrl: string;
  /** Token endpoint: `http://127.0.0.1:PORT/api/oauth/token`. */
  oauthUrl: string;
  credentials: { clientId: string; clientSecret: string; login: string; password: string };
  stop(): Promise<void>;
  /** Moves an invoice to a status (`MISE_A_DISPOSITION`, `SUSPENDUE`, `REJETEE`, `MISE_EN_PAIEMENT`…). */
  setInvoiceStatus(chorusInvoiceId: number, status: string, comment?: string): Promise<void>;
  /** Moves the simulated clock forward (token expiry, lifecycle). */
  advanceClock(ms: number): Promise<void>;
  now(): Date;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  /** Every invoice, lifecycle applied. */
  listInvoices(): SimInvoice[];
  /** Every deposited flow, its timeline applied (invoices of integrated flows created). */
  listFluxes(): Promise<SimFlux[]>;
  /** Invalidates every access token handed out (clients must fetch a new one). */
  revokeTokens(): void;
  /** Requests received per operation name (`soumettreFacture`…), after authentication. */
  requestCount(operation: string): number;
}

const statusMoveSchema = z.object({
  status: z.string().regex(/^[A-Z_0-9]+$/),
  comment: z.string().max(1000).optional(),
});
const clockSchema = z.object({ advanceMs: z.number().int().min(0) });

export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const logger = (options.logger ?? createSilentLogger()).child({ component: 'chorus-simulator' });
  const seed = await loadSeed([
    ...(options.seedFiles ?? [DEFAULT_SEED_FILE]),
    ...(options.extraSeedFiles ?? []),
  ]);
  const creds = options.credentials ?? {};
  if ((creds.login || creds.password) && seed.technicalAccounts[0]) {
    seed.technicalAccounts[0] = {
      ...seed.technicalAccounts[0],
      login: creds.login ?? seed.technicalAccounts[0].login,
      password: creds.password ?? seed.technicalAccounts[0].password,
    };
  }
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const lock = options.dataDir ? await lockDataDir(options.dataDir) : undefined;
  let store: Awaited<ReturnType<typeof openStateStore>>;
  try {
    store = await openStateStore(options.dataDir, logger);
  } catch (error) {
    await lock?.release();
    throw error;
  }
  const world = createWorld({
    seed,
    store,
    recognizer: options.recognizer,
    logger,
    clock: options.clock ?? (() => new Date()),
    lifecycle:
      options.lifecycle === false
        ? false
        : {
            routingAfterMs: 60_000,
            availableAfterMs: 300_000,
            buyer: options.realisticBuyers ? REALISTIC_BUYER : false,
            ...options.lifecycle,
          },
    speed: options.speed,
    fluxTimings: options.fluxTimings,
  });
  const faults = createFaultBoard();

  function listInvoices(): SimInvoice[] {
    let changed = false;
    for (const i of store.state.invoices) changed = world.advanceLifecycle(i) || changed;
    if (changed) void store.persist().catch((err: unknown) => logger.error({ err }, 'state write failed'));
    return store.state.invoices.map((i) => structuredClone(i));
  }

  async function listFluxes(): Promise<SimFlux[]> {
    await settleFluxes(world);
    return store.state.fluxes.map((f) => structuredClone(f));
  }

  async function setInvoiceStatus(id: number, status: string, comment?: string): Promise<void> {
    const invoice = store.state.invoices.find((i) => i.id === id);
    if (!invoice) throw new Error(`facture ${id} inconnue du simulateur`);
    const move = checkMove(status);
    if ('error' in move) throw new Error(move.error);
    world.advanceLifecycle(invoice);
    world.setStatus(
      invoice,
      move.status,
      comment?.trim() || DEFAULT_REASONS[move.status],
      'destinataire (simulé)',
    );
    await store.persist();
  }

  async function advanceClock(ms: number): Promise<void> {
    store.state.clockOffsetMs += ms;
    await store.persist();
  }

  async function control(
    req: IncomingMessage,
    res: ServerResponse,
    body: () => Promise<unknown>,
  ): Promise<void> {
    const reply = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
      res.end(JSON.stringify(value));
    };
    const path = (req.url ?? '').split('?')[0]!;
    try {
      if (req.method === 'GET' && path === '/_simulator/fluxes')
        return reply(200, { fluxes: await listFluxes() });
      if (req.method === 'GET' && path === '/_simulator/invoices') {
        await settleFluxes(world);
        return reply(200, { invoices: listInvoices() });
      }
      const move = /^\/_simulator\/invoices\/(\d+)\/status$/.exec(path);
      if (req.method === 'POST' && move) {
        const input = statusMoveSchema.parse(await body());
        await setInvoiceStatus(Number(move[1]), input.status, input.comment);
        return reply(200, { ok: true });
      }
      if (req.method === 'POST' && path === '/_simulator/clock') {
        await advanceClock(clockSchema.parse(await body()).advanceMs);
        return reply(200, { now: world.now().toISOString() });
      }
      if (req.method === 'POST' && path === '/_simulator/faults') {
        faults.inject(faultSchema.parse(await body()));
        return reply(200, { ok: true });
      }
      if (req.method === 'DELETE' && path === '/_simulator/faults') {
        faults.clear();
        return reply(200, { ok: true });
      }
      reply(404, { error: 'route de contrôle inconnue' });
    } catch (error) {
      reply(400, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  const clientId = creds.clientId ?? SIMULATOR_DEFAULTS.clientId;
  const clientSecret = creds.clientSecret ?? SIMULATOR_DEFAULTS.clientSecret;
  const { server, revokeTokens, requestCounts } = createSimulatorServer({
    world,
    faults,
    clientId,
    clientSecret,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    control,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await lock?.release();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const account = seed.technicalAccounts[0];
  await lock?.setUrl(url);
  logger.info(
    { url, dataDir: options.dataDir ?? null, structures: seed.structures.length },
    'chorus simulator listening',
  );

  return {
    url,
    port,
    apiUrl: `${url}/cpro`,
    oauthUrl: `${url}/api/oauth/token`,
    credentials: { clientId, clientSecret, login: account?.login ?? '', password: account?.password ?? '' },
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.close();
      await lock?.release();
    },
    setInvoiceStatus,
    advanceClock,
    now: () => world.now(),
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    listInvoices,
    listFluxes,
    revokeTokens,
    requestCount: (operation) => requestCounts.get(operation) ?? 0,
  };
}
