/** What the mailbox watcher (watcher.ts) is given: settings, the message handler, its events. */
import type { Logger } from '../shared/logger.js';
import type { HandleOutcome } from './handle-message.js';
import type { ImapSettings } from './imap-client.js';
import type { MailFolderParts } from './mail-folders.js';
import type { MessageRef, ThreadState } from './thread-state.js';

export interface WatcherHandler {
  handle(ref: MessageRef, raw: Buffer): Promise<HandleOutcome>;
  handleTooLarge(ref: MessageRef, headers: Buffer, size: number): Promise<HandleOutcome>;
}

export type WatcherEvent =
  | { type: 'connected' }
  | { type: 'handled'; ref: MessageRef; outcome: HandleOutcome }
  | { type: 'scanned'; remaining: number }
  | { type: 'disconnected'; error?: Error; retryInMs: number };

export interface WatcherOptions {
  imap: ImapSettings;
  state: ThreadState;
  handler: WatcherHandler;
  logger: Logger;
  rescanIntervalMs: number;
  /** Folder paths (parts, joined with the server's delimiter); default `DEFAULT_MAIL_FOLDERS`. */
  folders?: MailFolderParts;
  backoff?: { initialMs: number; maxMs: number };
  /** Messages fetched per round trip. */
  batchSize?: number;
  /** Above this size only the headers are fetched (default `MAIL_LIMITS.maxMessageBytes`). */
  maxMessageBytes?: number;
  onEvent?: (event: WatcherEvent) => void;
  /**
   * This instance's stable id (kept in the data directory): with it, each message is leased
   * before it is handled, so that two instances watching one mailbox handle it once.
   */
  holder?: string;
  /** How long a lease holds without renewal (default 60 s; renewed every third of it). */
  leaseTtlMs?: number;
  /** How long `stop()` waits for the message in hand before closing the connection (default 4 s). */
  stopGraceMs?: number;
}
