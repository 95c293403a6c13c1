/** Deposits, one per conversation: the record written around Chorus `soumettre` (part of `Store`, src/store/types.ts). */
import type { DepositReceipt } from '../deposit/port.js';

export type DepositState = 'in-flight' | 'deposited' | 'failed';

export interface DepositRecord {
  conversationId: string;
  accountId: string;
  state: DepositState;
  invoiceNumber: string;
  /** ISO `YYYY-MM-DD`, with `invoiceNumber` what `findDeposited` needs after a crash. */
  invoiceDate: string;
  /** How many times a submit was started. */
  attempts: number;
  startedAt: string;
  completedAt?: string;
  receipt?: DepositReceipt;
  receiptFileId?: string;
  /** Short reason of the last failure (error code + French message), never a secret. */
  error?: string;
}

export interface DepositStore {
  /**
   * Written BEFORE calling Chorus `soumettre`: from then on a restart knows a submit may have
   * happened. Resolves false (and writes nothing) when the conversation is already deposited.
   * A `failed` or `in-flight` record is moved to `in-flight` with attempts + 1.
   */
  markInFlight(input: {
    conversationId: string;
    accountId: string;
    invoiceNumber: string;
    invoiceDate: string;
  }): Promise<boolean>;
  /** Records the receipt (state `deposited`). Idempotent. */
  complete(conversationId: string, receipt: DepositReceipt, receiptFileId?: string): Promise<DepositRecord>;
  /** The submit definitely did not happen (refusal, or not found after a crash). */
  fail(conversationId: string, error: string): Promise<DepositRecord>;
  get(conversationId: string): Promise<DepositRecord | undefined>;
  /** Newest first. */
  listByAccount(
    accountId: string,
    options?: { state?: DepositState; limit?: number },
  ): Promise<DepositRecord[]>;
  count(accountId: string, options?: { state?: DepositState }): Promise<number>;
  /** Every submit in flight (to resolve at start by asking Chorus). */
  listInFlight(): Promise<DepositRecord[]>;
}
