import type { ChorusCredentials } from './port.js';

/**
 * What the follow-up engine (src/followup/) and the conversation after a deposit need from Chorus
 * Pro, independent of HTTP. Implemented by `createFollowUpService(deps)` on the PISTE client.
 * Times are ISO strings, money integer cents.
 */

/** One invoice as the supplier search lists it (`rechercher/fournisseur`). */
export interface ChangedInvoice {
  chorusInvoiceId: number;
  invoiceNumber: string;
  status: string;
  /** When the current status was set (ISO date-time). */
  statusAt: string;
  statusComment?: string;
  recipientSiret?: string;
  totalInclTaxCents?: number;
}

export interface ChangedInvoices {
  invoices: ChangedInvoice[];
  /** Chorus Pro calls made (one per page). */
  calls: number;
}

export interface HistoryEntry {
  /** Chorus' `histoStatutId` when given: the stable key of one status change. */
  id?: number;
  status: string;
  at: string;
  comment?: string;
  by?: string;
}

export interface InvoiceHistory {
  chorusInvoiceId: number;
  invoiceNumber?: string;
  status: string;
  /** Oldest first. */
  entries: HistoryEntry[];
}

export interface AttachmentFile {
  fileName: string;
  mimeType: string;
  bytes: Uint8Array;
}

export interface UploadedAttachment {
  pieceJointeId: number;
  /** The name as sent to Chorus Pro (≤ 50 characters, extension kept). */
  fileName: string;
}

export interface CompleteRequest {
  chorusInvoiceId: number;
  /** The answer to the buyer's question (≤ 1000 characters). */
  comment?: string;
  /** Already uploaded (`addAttachment`) or to upload now. At least a comment or one attachment. */
  attachments?: Array<UploadedAttachment | AttachmentFile>;
}

export interface CompleteResult {
  chorusInvoiceId: number;
  invoiceNumber?: string;
  /** ISO date(-time) of the processing. */
  processedAt: string;
  attachments: UploadedAttachment[];
}

export interface RecycleRequest {
  chorusInvoiceId: number;
  recipientSiret: string;
  serviceCode?: string;
  engagementNumber?: string;
  comment?: string;
}

export interface RecycleResult {
  chorusInvoiceId: number;
  invoiceNumber?: string;
  depositedAt?: string;
  /** `DEPOSEE`: the invoice starts its journey again, same number. */
  status: string;
}

export interface FollowUpService {
  /**
   * Invoices of the technical account whose status changed at or after `since` (ISO date-time),
   * every page: the calls grow with the changes, not with the invoices followed.
   */
  changedSince(
    creds: ChorusCredentials,
    since: string,
    options?: { until?: string; pageSize?: number; signal?: AbortSignal },
  ): Promise<ChangedInvoices>;
  /** The dated status history (`consulter/historique`), oldest first, with the buyer's comments. */
  history(creds: ChorusCredentials, chorusInvoiceId: number, signal?: AbortSignal): Promise<InvoiceHistory>;
  /** Uploads one attachment (`ajouter/fichier`): ≤ 10 MB, an extension Chorus Pro accepts. */
  addAttachment(creds: ChorusCredentials, file: AttachmentFile): Promise<UploadedAttachment>;
  /** Answers a suspended invoice (`completer`): comment and/or attachments. */
  complete(creds: ChorusCredentials, request: CompleteRequest): Promise<CompleteResult>;
  /** Re-routes an invoice returned « à recycler » (`recycler`): new recipient and/or service. */
  recycle(creds: ChorusCredentials, request: RecycleRequest): Promise<RecycleResult>;
}
