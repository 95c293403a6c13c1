import type { Logger } from '../../shared/logger.js';
import type { Recognizer } from '../../recognition/types.js';
import type { Seed, SeedAccount, SeedBankAccount, SeedStructure } from './seed.js';
import type { SimInvoice, StateStore } from './store.js';

/** A functional error answered with the envelope (HTTP 400 unless said otherwise). */
export class SimError extends Error {
  constructor(
    readonly codeRetour: number,
    readonly libelle: string,
    readonly httpStatus = 400,
  ) {
    super(libelle);
  }
}

export interface Lifecycle {
  /** After deposit, DEPOSEE → EN_COURS_ACHEMINEMENT (default 1 minute). */
  routingAfterMs: number;
  /** After deposit, → MISE_A_DISPOSITION (default 5 minutes). */
  availableAfterMs: number;
}

/** How long a deposited flow takes: IN_RECU → IN_EN_COURS_TRAITEMENT_CPP → integrated/rejected. */
export interface FluxTimings {
  /** After the deposit, processing starts (default 1 s). */
  processingAfterMs: number;
  /** After the deposit, the outcome is known (default 3 s; the official example took ~3 s). */
  doneAfterMs: number;
}

export const DEFAULT_FLUX_TIMINGS: FluxTimings = { processingAfterMs: 1_000, doneAfterMs: 3_000 };

/** Everything the route handlers share: seed indexes, state, the simulated clock. */
export interface World {
  fluxTimings: FluxTimings;
  seed: Seed;
  store: StateStore;
  recognizer: Recognizer;
  logger: Logger;
  lifecycle: Lifecycle | false;
  now(): Date;
  structureById: Map<number, SeedStructure>;
  structureBySiret: Map<string, SeedStructure>;
  banksByStructure: Map<number, SeedBankAccount[]>;
  /** Applies the time-driven status changes that are due; returns true when something changed. */
  advanceLifecycle(invoice: SimInvoice): boolean;
  setStatus(invoice: SimInvoice, status: string, comment?: string, by?: string): void;
  setStatusAt(invoice: SimInvoice, status: string, at: string, comment?: string, by?: string): void;
}

export function createWorld(options: {
  seed: Seed;
  store: StateStore;
  recognizer: Recognizer;
  logger: Logger;
  lifecycle: Lifecycle | false;
  clock: () => Date;
  fluxTimings?: Partial<FluxTimings>;
}): World {
  const { seed, store } = options;
  const structureById = new Map(seed.structures.map((s) => [s.idStructureCPP, s]));
  const structureBySiret = new Map(seed.structures.map((s) => [s.siret, s]));
  const banksByStructure = new Map<number, SeedBankAccount[]>();
  for (const b of seed.bankAccounts)
    banksByStructure.set(b.structureId, [...(banksByStructure.get(b.structureId) ?? []), b]);
  const now = () => new Date(options.clock().getTime() + store.state.clockOffsetMs);

  const world: World = {
    fluxTimings: { ...DEFAULT_FLUX_TIMINGS, ...options.fluxTimings },
    seed,
    store,
    recognizer: options.recognizer,
    logger: options.logger,
    lifecycle: options.lifecycle,
    now,
    structureById,
    structureBySiret,
    banksByStructure,
    setStatusAt(invoice, status, at, comment, by) {
      invoice.status = status;
      invoice.history.push({
        id: store.state.nextHistoryId++,
        status,
        at,
        ...(comment ? { comment } : {}),
        ...(by ? { by } : {}),
      });
    },
    setStatus(invoice, status, comment, by) {
      world.setStatusAt(invoice, status, now().toISOString(), comment, by);
    },
    advanceLifecycle(invoice) {
      const lc = options.lifecycle;
      if (!lc) return false;
      const deposited = Date.parse(invoice.depositedAt);
      const t = now().getTime();
      let changed = false;
      if (invoice.status === 'DEPOSEE' && t >= deposited + lc.routingAfterMs) {
        world.setStatusAt(
          invoice,
          'EN_COURS_ACHEMINEMENT',
          new Date(deposited + lc.routingAfterMs).toISOString(),
        );
        changed = true;
      }
      if (invoice.status === 'EN_COURS_ACHEMINEMENT' && t >= deposited + lc.availableAfterMs) {
        world.setStatusAt(
          invoice,
          'MISE_A_DISPOSITION',
          new Date(deposited + lc.availableAfterMs).toISOString(),
        );
        changed = true;
      }
      return changed;
    },
  };
  return world;
}

/** The technical account behind a `cpro-account` header, or undefined. */
export function findAccount(seed: Seed, login: string, password: string): SeedAccount | undefined {
  return seed.technicalAccounts.find((a) => a.login === login && a.password === password);
}

/** `YYYY-MM-DD` of an instant, in Paris time (Chorus is a French service). */
export function parisDate(date: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
}
