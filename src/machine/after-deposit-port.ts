import type { ChorusCredentials } from '../deposit/port.js';

/**
 * What the conversation after a deposit needs from the follow-up room (src/followup/), as narrow
 * ports the composition root fills in. Every port is optional: without one, the action answers
 * that it is not available. The follow-up state (status, payment deadline) and the notification
 * preference are read from the store (`store.followUps`).
 */

/** What the follow-up knows of one deposited invoice (the latest polled status). */
export interface InvoiceFollowState {
  /** Chorus Pro status code (`MISE_A_DISPOSITION`, `SUSPENDUE`…). */
  status: string;
  statusAt?: string;
  statusComment?: string;
  /** ISO `YYYY-MM-DD`: the legal payment deadline, when known. */
  paymentDueBy?: string;
}

/** An attachment uploaded with `ajouter/fichier`. */
export interface UploadedFile {
  pieceJointeId: number;
  /** The name as Chorus Pro knows it (≤ 50 characters). */
  fileName: string;
}

export interface CompleteRequest {
  chorusInvoiceId: number;
  comment?: string;
  attachments?: UploadedFile[];
}

export interface RecycleRequest {
  chorusInvoiceId: number;
  recipientSiret: string;
  serviceCode?: string;
  comment?: string;
}

export interface AfterDepositPorts {
  /** Chorus Pro `ajouter/fichier`: uploads one attachment, resolves its `pieceJointeId`. */
  addAttachment?(
    creds: ChorusCredentials,
    file: { fileName: string; mimeType: string; bytes: Uint8Array },
  ): Promise<UploadedFile>;
  /** Chorus Pro `completer` on a SUSPENDUE invoice. */
  complete?(creds: ChorusCredentials, request: CompleteRequest): Promise<unknown>;
  /** Chorus Pro `recycler` on an A_RECYCLER invoice. */
  recycle?(creds: ChorusCredentials, request: RecycleRequest): Promise<unknown>;
  /** The lines of the ready-to-send reminder of a late invoice (interest + 40 €). */
  reminder?(accountId: string, chorusInvoiceId: number): Promise<string[]>;
}
