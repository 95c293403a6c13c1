/** The e-mail channel: public API. */
export { createMailChannel, bareAddress, MAIL_STATE_RETENTION_MS, type MailChannelDeps, type MailConfig } from './mail-channel.js';
export { createMailboxWatcher, type MailboxWatcher } from './watcher.js';
export type { WatcherEvent } from './watcher-options.js';
export type { ImapSettings } from './imap-client.js';
export { createMailHandler, type MailHandler, type HandleOutcome } from './handle-message.js';
export { createMailer, type Mailer, type OutgoingMail } from './mailer.js';
export { createReplySender, replySubject, plusAddress } from './reply-sender.js';
export { createThreadState, refKey, type ThreadState, type MessageRef, type Outcome } from './thread-state.js';
export { parseIncomingMail, parseIncomingHeaders, type IncomingMail } from './parse-message.js';
export { extractReplyLines } from './reply-text.js';
export { checkSenderAuthentication, parseAuthenticationResults, type AuthPolicy } from './auth-results.js';
export { renderViews, type RenderedMail } from './render.js';
export { MAIL_LIMITS } from './limits.js';
export { MalformedMailError, MailSendError, MailboxError } from './errors.js';
