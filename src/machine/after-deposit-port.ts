import type { ChannelStateStore } from '../app/channel.js';
import type { ChorusCredentials } from '../deposit/port.js';

/**
 * What the conversation after a deposit needs from the follow-up room (src/followup/), as narrow
 * ports the composition root fills in. Every port is optional: without the follow-up data the
 * lists show the status of the deposit receipt and no payment date; without an action port the
 * action answers that it is not available.
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
  /** Follow-up state per conversation id (only those known). */
  followStates?(accountId: string, conversationIds: string[]): Promise<Map<string, InvoiceFollowState>>;
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

/** Notification preference per account, kept in the durable key-value state. */
export const NOTIFICATIONS_NAMESPACE = 'account:notifications';

type KeyValue = Pick<ChannelStateStore, 'get' | 'set'>;

/** Whether status notifications go out for this account (on unless turned off). */
export async function notificationsEnabled(state: KeyValue, accountId: string): Promise<boolean> {
  const value = await state.get<{ on: boolean }>(NOTIFICATIONS_NAMESPACE, accountId);
  return value?.on ?? true;
}

export async function setNotificationsEnabled(
  state: KeyValue,
  accountId: string,
  on: boolean,
): Promise<void> {
  await state.set(NOTIFICATIONS_NAMESPACE, accountId, { on });
}
