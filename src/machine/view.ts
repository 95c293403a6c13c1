/**
 * The channel-neutral output of the conversation. Every state of the machine renders to views;
 * channels (terminal, Telegram, e-mail) only lay them out. All text is French and comes from the
 * messages module (src/machine/messages.ts).
 */

export type BlockId = 'cadre' | 'identification' | 'destinataire' | 'fournisseur' | 'references';

/** `facturx`: read in the embedded Factur-X XML (exact data, not recognized from the page). */
export type FieldStatus = 'recognized' | 'facturx' | 'confirmed' | 'corrected' | 'missing' | 'invalid';

export interface FieldView {
  key: string;
  label: string;
  /** Display value in French format (`1 250,00 €`, `15/03/2026`), or null when empty. */
  value: string | null;
  status: FieldStatus;
  /** Short note (e.g. the error of a rejected correction, or « exigé par ce destinataire »). */
  note?: string;
}

export interface BlockView {
  id: BlockId;
  title: string;
  status: 'pending' | 'open' | 'confirmed';
  fields: FieldView[];
}

export interface Choice {
  /**
   * Stable id sent back by the channel (button data, numbered answer); at most 32 ASCII chars, so
   * `${draftId}:${revision}:${id}` fits Telegram's 64-byte callback data (draft ids are ≤ 12 chars).
   */
  id: string;
  label: string;
  style?: 'primary' | 'danger' | 'default';
}

export interface Attachment {
  /** `facturx-pdf`: the Factur-X version of a deposited invoice (issue #13). */
  kind: 'receipt-pdf' | 'preview-png' | 'invoice-pdf' | 'facturx-pdf';
  fileName: string;
  mimeType: string;
  bytes: Uint8Array;
}

export type ViewKind =
  | 'welcome'
  | 'help'
  | 'analysing'
  | 'report'
  | 'block'
  | 'summary'
  | 'submitting'
  | 'receipt'
  | 'drafts'
  | 'status'
  | 'cancel-confirm'
  | 'cancelled'
  | 'reminder'
  | 'expired'
  | 'error'
  | 'access-denied'
  | 'linked'
  | 'info';

export interface View {
  kind: ViewKind;
  /** Draft the view belongs to, when any (≤ 12 ASCII chars; channels use it for buttons and threads). */
  draftId?: string;
  /** « provisoire » number shown to the user, e.g. PROV-2026-0042. */
  provisionalNumber?: string;
  /** Increases at every applied event of the draft; a choice from an older revision is stale. */
  revision?: number;
  title?: string;
  /** Plain text paragraphs/lines, in order. */
  lines: string[];
  blocks?: BlockView[];
  /** What the user can press/answer; empty when the view only informs. */
  choices: Choice[];
  /** When free text is expected: which field, and a French hint (« Tapez le SIRET du destinataire »). */
  expectsText?: { field: string; hint: string };
  attachments?: Attachment[];
}
