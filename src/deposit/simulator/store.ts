import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../shared/logger.js';

/**
 * The simulator's mutable state (attachments, invoices, id counters, clock offset) and its
 * persistence: one JSON file written atomically (temp file + rename) after each change, writes
 * coalesced, and an answer is sent only once the change is on disk — a crash loses nothing that
 * was acknowledged. Without a data directory the state lives in memory.
 */

export const statusEntrySchema = z.object({
  id: z.number().int(),
  status: z.string(),
  at: z.string(),
  comment: z.string().optional(),
  by: z.string().optional(),
});
export type StatusEntry = z.infer<typeof statusEntrySchema>;

export const pieceSchema = z.object({
  id: z.number().int(),
  login: z.string(),
  fileName: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  uploadedAt: z.string(),
  invoiceId: z.number().int().optional(),
});
export type Piece = z.infer<typeof pieceSchema>;

export const invoiceSchema = z.object({
  id: z.number().int(),
  login: z.string(),
  number: z.string(),
  invoiceDate: z.string(),
  depositedAt: z.string(),
  supplierStructureId: z.number().int(),
  supplierSiret: z.string(),
  supplierName: z.string(),
  recipientStructureId: z.number().int(),
  recipientSiret: z.string(),
  recipientName: z.string(),
  serviceCode: z.string().optional(),
  engagementNumber: z.string().optional(),
  marketNumber: z.string().optional(),
  cadreCode: z.string(),
  validatorSiret: z.string().optional(),
  bankAccountId: z.number().int().optional(),
  invoiceType: z.string(),
  vatRegime: z.string(),
  paymentMode: z.string(),
  currency: z.string(),
  totalExclTax: z.number(),
  totalTax: z.number(),
  totalInclTax: z.number(),
  amountDue: z.number(),
  pieceJointeId: z.number().int(),
  fileName: z.string(),
  modeDepot: z.string(),
  /** The flow it came from (Factur-X deposited through deposer/flux). */
  fluxNumber: z.string().optional(),
  comment: z.string().optional(),
  /** Complementary attachments (`completer`), by piece id. */
  extraPieceIds: z.array(z.number().int()).optional(),
  fingerprint: z.string(),
  status: z.string(),
  history: z.array(statusEntrySchema),
});
export type SimInvoice = z.infer<typeof invoiceSchema>;

/** A flow deposited through deposer/flux, with the outcome decided when it was received. */
export const fluxSchema = z.object({
  number: z.string(),
  login: z.string(),
  fileName: z.string(),
  syntax: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  depositedAt: z.string(),
  /** IN_RECU → IN_EN_COURS_TRAITEMENT_CPP → IN_INTEGRE | IN_REJETE. */
  state: z.string(),
  stateAt: z.string(),
  /** What processing will end with, decided on receipt (the reasons too). */
  verdict: z.enum(['integrate', 'reject']),
  errorsDP: z.array(z.object({ numeroDP: z.string().optional(), libelle: z.string() })),
  errorsTech: z.array(z.object({ code: z.string(), libelle: z.string(), nature: z.string() })),
  /** The invoice to create when integrated (the soumettre-shaped data read from the XML). */
  invoice: z.record(z.string(), z.unknown()).optional(),
  invoiceId: z.number().int().optional(),
});
export type SimFlux = z.infer<typeof fluxSchema>;

const stateSchema = z.object({
  version: z.literal(1),
  nextPieceId: z.number().int(),
  nextInvoiceId: z.number().int(),
  nextHistoryId: z.number().int(),
  clockOffsetMs: z.number(),
  pieces: z.array(pieceSchema),
  invoices: z.array(invoiceSchema),
  nextFluxSeq: z.number().int().default(1557),
  fluxes: z.array(fluxSchema).default([]),
});
export type SimState = z.infer<typeof stateSchema>;

export function emptyState(): SimState {
  return {
    version: 1,
    nextPieceId: 6_921_001,
    nextInvoiceId: 3_124_001,
    nextHistoryId: 1,
    clockOffsetMs: 0,
    pieces: [],
    invoices: [],
    nextFluxSeq: 1557,
    fluxes: [],
  };
}

export interface StateStore {
  state: SimState;
  /** Resolves once every change made before the call is on disk. */
  persist(): Promise<void>;
  /** Where a deposited PDF's bytes are kept (undefined in memory mode). */
  piecePath(id: number): string | undefined;
  close(): Promise<void>;
}

export async function openStateStore(dataDir: string | undefined, logger: Logger): Promise<StateStore> {
  if (!dataDir) {
    return {
      state: emptyState(),
      persist: async () => {},
      piecePath: () => undefined,
      close: async () => {},
    };
  }
  await mkdir(join(dataDir, 'pieces'), { recursive: true });
  const file = join(dataDir, 'state.json');
  let state = emptyState();
  try {
    const raw = JSON.parse(await readFile(file, 'utf8'));
    const parsed = stateSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`état du simulateur illisible (${file}) : ${parsed.error.message}`);
    state = parsed.data;
    logger.info({ invoices: state.invoices.length, file }, 'simulator state loaded');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }

  let dirty = 0;
  let scheduled = false;
  let chain: Promise<void> = Promise.resolve();
  const waiters: Array<{ version: number; resolve: () => void; reject: (e: unknown) => void }> = [];

  // One write at a time; changes made during a write are picked up by the next one.
  async function writeOnce(): Promise<void> {
    scheduled = false;
    const version = dirty;
    const tmp = `${file}.${process.pid}.tmp`;
    let failure: unknown;
    try {
      await writeFile(tmp, JSON.stringify(store.state));
      await rename(tmp, file);
    } catch (error) {
      logger.error({ err: error }, 'simulator state write failed');
      failure = error;
    }
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if (w.version > version) continue;
      waiters.splice(i, 1);
      if (failure) w.reject(failure);
      else w.resolve();
    }
  }

  const store: StateStore = {
    state,
    persist() {
      dirty++;
      const version = dirty;
      const done = new Promise<void>((resolve, reject) => waiters.push({ version, resolve, reject }));
      if (!scheduled) {
        scheduled = true;
        chain = chain.then(writeOnce);
      }
      return done;
    },
    piecePath: (id) => join(dataDir, 'pieces', `${id}.pdf`),
    async close() {
      await chain;
    },
  };
  return store;
}
