import { parisDay } from '../../shared/paris-time.js';
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
  /**
   * The buyer's side on its own (default off: `facteur simulator status` moves the invoice):
   * MISE_A_DISPOSITION or COMPLETEE → SERVICE_FAIT → MANDATEE → MISE_EN_PAIEMENT, each after its
   * delay from the previous status.
   */
  buyer?: { serviceDoneAfterMs: number; mandatedAfterMs: number; paidAfterMs: number } | false;
}

/** A realistic buyer: service certified after 4 days, mandate 8 days later, payment 6 days later. */
export const REALISTIC_BUYER = {
  serviceDoneAfterMs: 4 * 86_400_000,
  mandatedAfterMs: 8 * 86_400_000,
  paidAfterMs: 6 * 86_400_000,
} as const;
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
  /** Simulated time runs this many times faster than the clock (default 1). */
  speed?: number;
  fluxTimings?: Partial<FluxTimings>;
}): World {
  const { seed, store } = options;
  const structureById = new Map(seed.structures.map((s) => [s.idStructureCPP, s]));
  const structureBySiret = new Map(seed.structures.map((s) => [s.siret, s]));
  const banksByStructure = new Map<number, SeedBankAccount[]>();
  for (const b of seed.bankAccounts)
    banksByStructure.set(b.structureId, [...(banksByStructure.get(b.structureId) ?? []), b]);
  // The speed factor runs the simulated clock faster than the real one: the extra time is folded
  // into the persisted offset as it passes, so a restart resumes where the clock was.
  const speed = Math.max(1, options.speed ?? 1);
  let anchor = options.clock().getTime();
  const now = () => {
    const real = options.clock().getTime();
    if (speed !== 1 && real > anchor) {
      store.state.clockOffsetMs += (real - anchor) * (speed - 1);
      anchor = real;
    }
    return new Date(real + store.state.clockOffsetMs);
  };

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
      store.touch(invoice);
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
      const t = now().getTime();
      let changed = false;
      for (let step = 0; step < 8; step++) {
        const next = nextAutomatic(invoice, lc);
        if (!next || next.at > t) break;
        world.setStatusAt(invoice, next.status, new Date(next.at).toISOString());
        changed = true;
      }
      return changed;
    },
  };
  return world;
}

/** The time-driven change due next for `invoice` (from when its current status was entered), if any. */
function nextAutomatic(invoice: SimInvoice, lc: Lifecycle): { status: string; at: number } | undefined {
  const history = invoice.history;
  const enteredAt = Date.parse(history.at(-1)?.at ?? invoice.depositedAt);
  const lastDeposit = [...history].reverse().find((h) => h.status === 'DEPOSEE');
  const depositedAt = Date.parse(lastDeposit?.at ?? invoice.depositedAt);
  switch (invoice.status) {
    case 'DEPOSEE':
      return { status: 'EN_COURS_ACHEMINEMENT', at: depositedAt + lc.routingAfterMs };
    case 'EN_COURS_ACHEMINEMENT':
      return { status: 'MISE_A_DISPOSITION', at: Math.max(enteredAt, depositedAt + lc.availableAfterMs) };
  }
  if (!lc.buyer) return undefined;
  switch (invoice.status) {
    case 'MISE_A_DISPOSITION':
    case 'COMPLETEE':
      return { status: 'SERVICE_FAIT', at: enteredAt + lc.buyer.serviceDoneAfterMs };
    case 'SERVICE_FAIT':
      return { status: 'MANDATEE', at: enteredAt + lc.buyer.mandatedAfterMs };
    case 'MANDATEE':
      return { status: 'MISE_EN_PAIEMENT', at: enteredAt + lc.buyer.paidAfterMs };
  }
  return undefined;
}

/** The technical account behind a `cpro-account` header, or undefined. */
export function findAccount(seed: Seed, login: string, password: string): SeedAccount | undefined {
  return seed.technicalAccounts.find((a) => a.login === login && a.password === password);
}

/** `YYYY-MM-DD` of an instant, in Paris time (Chorus is a French service). */
/** Chorus Pro's `dateDepot`: the Paris calendar date (one formatter for the process). */
export function parisDate(date: Date): string {
  return parisDay(date);
}
