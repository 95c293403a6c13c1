/**
 * The Factur-X flow of a conversation (one per draft; a new deposit after a rejection replaces
 * it). `sending` is written, durably, before `deposer/flux` goes out: after a crash it says
 * « look the invoice up before anything else ». `pending` holds the flow number to follow.
 */
import { type StoreContext, isoTime, nowMs, optionalIsoTime, optionalString } from './context.js';
import { ConversationNotFoundError } from './errors.js';
import { decodeJson, encodeJson } from './json.js';
import type { Row } from './sql/driver.js';

export type FluxDepositState = 'sending' | 'pending' | 'integrated' | 'rejected' | 'incident' | 'abandoned';

export interface FluxDepositRecord {
  conversationId: string;
  accountId: string;
  state: FluxDepositState;
  /** `numeroFluxDepot`, once Chorus Pro answered. */
  fluxNumber?: string;
  invoiceNumber: string;
  invoiceDate: string;
  fileName: string;
  /** How many times a flow was sent for this draft. */
  attempts: number;
  startedAt: string;
  depositedAt?: string;
  updatedAt: string;
  /** Chorus Pro's last state code (`IN_EN_COURS_TRAITEMENT_CPP`, `IN_REJETE`…). */
  chorusState?: string;
  /** Rejection reasons as Chorus Pro gave them. */
  reasons: string[];
}

export interface FluxDepositStore {
  /**
   * Marks a flow about to be sent (durable). Resolves false, writing nothing, while the draft's
   * flow is `sending` or `pending` (follow that one instead) or `integrated`.
   */
  begin(input: {
    conversationId: string;
    accountId: string;
    invoiceNumber: string;
    invoiceDate: string;
    fileName: string;
  }): Promise<boolean>;
  /** Chorus Pro took the flow: its number, to follow it (state `pending`). */
  accepted(conversationId: string, fluxNumber: string, depositedAt: string): Promise<void>;
  /** The latest report; terminal states end the follow-up. */
  update(
    conversationId: string,
    state: FluxDepositState,
    detail?: { chorusState?: string; reasons?: string[] },
  ): Promise<void>;
  get(conversationId: string): Promise<FluxDepositRecord | undefined>;
  /** Flows sent or being processed, oldest first (restart recovery). */
  listOpen(): Promise<FluxDepositRecord[]>;
}

const COLUMNS = `conversation_id, account_id, state, flux_number, invoice_number, invoice_date, file_name, attempts,
  started_at, deposited_at, updated_at, chorus_state, reasons`;

function toRecord(row: Row): FluxDepositRecord {
  const fluxNumber = optionalString(row.flux_number);
  const depositedAt = optionalIsoTime(row.deposited_at);
  const chorusState = optionalString(row.chorus_state);
  return {
    conversationId: String(row.conversation_id),
    accountId: String(row.account_id),
    state: String(row.state) as FluxDepositState,
    ...(fluxNumber ? { fluxNumber } : {}),
    invoiceNumber: String(row.invoice_number),
    invoiceDate: String(row.invoice_date),
    fileName: String(row.file_name),
    attempts: Number(row.attempts),
    startedAt: isoTime(row.started_at),
    ...(depositedAt ? { depositedAt } : {}),
    updatedAt: isoTime(row.updated_at),
    ...(chorusState ? { chorusState } : {}),
    reasons:
      row.reasons === null || row.reasons === undefined ? [] : decodeJson<string[]>(String(row.reasons)),
  };
}

export function createFluxDepositStore(ctx: StoreContext): FluxDepositStore {
  const { db } = ctx;
  return {
    async begin(input) {
      const at = nowMs(ctx);
      return db.transaction(
        async (tx) => {
          const conversation = await tx.one('SELECT id FROM conversations WHERE id = ?', [
            input.conversationId,
          ]);
          if (!conversation) throw new ConversationNotFoundError(input.conversationId);
          const row = await tx.one(
            `INSERT INTO flux_deposits (conversation_id, account_id, state, invoice_number, invoice_date, file_name,
               attempts, started_at, updated_at, reasons)
             VALUES (?, ?, 'sending', ?, ?, ?, 1, ?, ?, NULL)
             ON CONFLICT (conversation_id) DO UPDATE SET state = 'sending', flux_number = NULL,
               invoice_number = excluded.invoice_number, invoice_date = excluded.invoice_date,
               file_name = excluded.file_name, attempts = flux_deposits.attempts + 1,
               started_at = excluded.started_at, deposited_at = NULL, updated_at = excluded.updated_at,
               chorus_state = NULL, reasons = NULL
             WHERE flux_deposits.state NOT IN ('sending', 'pending', 'integrated')
             RETURNING conversation_id`,
            [
              input.conversationId,
              input.accountId,
              input.invoiceNumber,
              input.invoiceDate,
              input.fileName,
              at,
              at,
            ],
          );
          return row !== undefined;
        },
        { durable: true },
      );
    },
    async accepted(conversationId, fluxNumber, depositedAt) {
      await db.transaction(
        (tx) =>
          tx.run(
            `UPDATE flux_deposits SET state = 'pending', flux_number = ?, deposited_at = ?, updated_at = ?
             WHERE conversation_id = ?`,
            [fluxNumber, Date.parse(depositedAt) || nowMs(ctx), nowMs(ctx), conversationId],
          ),
        { durable: true },
      );
    },
    async update(conversationId, state, detail = {}) {
      await db.run(
        `UPDATE flux_deposits SET state = ?, updated_at = ?, chorus_state = COALESCE(?, chorus_state),
           reasons = COALESCE(?, reasons)
         WHERE conversation_id = ? AND state <> 'integrated'`,
        [
          state,
          nowMs(ctx),
          detail.chorusState ?? null,
          detail.reasons ? encodeJson(detail.reasons) : null,
          conversationId,
        ],
      );
    },
    async get(conversationId) {
      const row = await db.one(`SELECT ${COLUMNS} FROM flux_deposits WHERE conversation_id = ?`, [
        conversationId,
      ]);
      return row ? toRecord(row) : undefined;
    },
    async listOpen() {
      const rows = await db.all(
        `SELECT ${COLUMNS} FROM flux_deposits WHERE state IN ('sending', 'pending') ORDER BY started_at LIMIT 1000`,
      );
      return rows.map(toRecord);
    },
  };
}
