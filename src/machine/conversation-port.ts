import type { View } from './view.js';

/**
 * The API every channel talks to. Implemented by `createConversationService(deps)` in
 * src/machine/ (with the store and the injected actors); channels translate their updates into
 * `UserInput` and lay out the returned views. No business rule lives in a channel.
 */

export type ChannelKind = 'terminal' | 'telegram' | 'email';

/** Who speaks: the channel and the user's id there (Telegram user id, lower-cased e-mail address, `local`). */
export interface ChannelIdentity {
  channel: ChannelKind;
  userId: string;
  /** Display name, for logs and greetings only. */
  displayName?: string;
}

export type UserInput =
  /** Free text: answers, corrections, commands (aide, brouillons, reprendre 3, annuler, statut…). */
  | { type: 'text'; text: string }
  /** A pressed choice. `draftId` + `revision` come from the view that offered it (stale check). */
  | { type: 'choice'; choiceId: string; draftId?: string; revision?: number }
  /** A received file; the service checks type and size. */
  | { type: 'file'; fileName: string; mimeType: string; bytes: Uint8Array }
  /** A one-time linking code (Telegram /start CODE, or a code in an e-mail). */
  | { type: 'link'; code: string };

export interface HandleOptions {
  /**
   * The draft this input addresses (e-mail thread, old Telegram message). Without it, text and
   * choices go to the identity's current draft; files always start a new draft.
   */
  draftId?: string;
  /**
   * Unique key of the inbound message (`telegram:update:123`, `imap:INBOX:uidvalidity:uid`).
   * An input whose key was already applied is not applied again: the views then returned are
   * the ones stored the first time, with `duplicate: true`.
   */
  idempotencyKey?: string;
}

export interface HandleResult {
  views: View[];
  duplicate?: boolean;
  /**
   * What comes after `views` once it is ready: the page-1 preview of a new draft's report, drawn
   * after the report so the report is not kept waiting. Nothing is drawn until it is called; a
   * channel that shows previews calls it once `views` are sent, others ignore it. Never rejects
   * (a preview that cannot be drawn resolves to no view).
   */
  followUp?: () => Promise<View[]>;
}

/** Something the service says on its own (draft reminder, expiry, status change). */
export interface Notification {
  identity: ChannelIdentity;
  view: View;
}

export interface ConversationService {
  handle(identity: ChannelIdentity, input: UserInput, options?: HandleOptions): Promise<HandleResult>;
  /** Views to show when the user opens the channel (e.g. Telegram /start without code). */
  welcome(identity: ChannelIdentity): Promise<View[]>;
  /** Subscribe to notifications for one channel kind; returns an unsubscribe function. */
  onNotification(channel: ChannelKind, listener: (n: Notification) => Promise<void> | void): () => void;
  /** Whether this identity is linked to an account (channels refuse files early when not). */
  isAllowed(identity: ChannelIdentity): Promise<boolean>;
}
