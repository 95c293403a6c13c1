import { z } from 'zod';
import type { Logger } from '../../shared/logger.js';
import { openJournal } from './journal.js';

/**
 * The simulator's mutable state (attachments, invoices, flows, id counters, clock offset). Its
 * persistence is incremental (journal.ts): `state.json` is a snapshot and `state.journal` the
 * records added or changed since, one line each, appended once per batch of changes. An answer is
 * sent only once its change is on disk — a crash loses nothing that was acknowledged. Records
 * changed in place must be `touch`ed before `persist` (new ones are found on their own). Without a
 * data directory the state lives in memory. The PDFs are files (`pieces/<id>.pdf`), never in memory.
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

export const stateSchema = z.object({
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

export type SimRecord = Piece | SimInvoice | SimFlux;

export interface StateStore {
  state: SimState;
  /** Marks records changed in place (a status, a piece's invoice) for the next `persist`. */
  touch(...records: SimRecord[]): void;
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
      touch: () => {},
      persist: async () => {},
      piecePath: () => undefined,
      close: async () => {},
    };
  }
  return openJournal(dataDir, logger);
}
