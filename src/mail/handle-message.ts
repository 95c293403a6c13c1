/**
 * One incoming message → conversation inputs → threaded answers. Translation only: the
 * conversation decides; this file checks the sender, refuses what cannot be used, and hands
 * the message on: to stranger-mail.ts when no user has the address, else to draft-mail.ts
 * (PDFs, or reply lines to the draft they address).
 *
 * Exactly-once: every input carries an idempotency key derived from (mailbox, UIDVALIDITY, UID),
 * answers have deterministic Message-IDs recorded once sent, and the Message-ID of the incoming
 * message is claimed in the store; a message handled again after a crash therefore changes
 * nothing twice and sends nothing twice.
 */
import type { Metrics } from '../shared/metrics.js';
import type { Logger } from '../shared/logger.js';
import { FacteurError } from '../shared/errors.js';
import type { ChannelIdentity, ConversationService } from '../machine/conversation-port.js';
import type { View } from '../machine/view.js';
import { checkSenderAuthentication, type AuthPolicy } from './auth-results.js';
import { createDraftMail } from './draft-mail.js';
import { MailSendError, MalformedMailError } from './errors.js';
import { MAIL_LIMITS } from './limits.js';
import { mailMessages as M } from './messages.js';
import { parseIncomingHeaders, parseIncomingMail, type IncomingMail } from './parse-message.js';
import { extractReplyLines } from './reply-text.js';
import type { ReplySender } from './reply-sender.js';
import { createStrangerMail } from './stranger-mail.js';
import { refKey, type MessageRef, type Outcome, type ThreadState } from './thread-state.js';

export interface MailHandlerDeps {
  conversations: ConversationService;
  state: ThreadState;
  replies: ReplySender;
  /** Facteur's own bare address, lower-cased (its own messages are never answered). */
  fromAddress: string;
  auth: { policy: AuthPolicy; authservId?: string };
  logger: Logger;
  /** Failed attempts (other than SMTP being down) before the sender is told and the message set aside. */
  maxAttempts?: number;
  /** Receives the first-report latency (message handled → answer with the report sent). */
  metrics?: Pick<Metrics, 'firstReportSent'>;
}

/** `retry`: leave the message in the mailbox, it is tried again at the next scan. */
export type HandleOutcome = Outcome | 'retry';

export function createMailHandler(deps: MailHandlerDeps) {
  const maxAttempts = deps.maxAttempts ?? 3;
  const { conversations, state, replies } = deps;
  const { handlePdfs, handleLines } = createDraftMail(deps);
  const { handleStranger } = createStrangerMail(deps);

  function authenticated(mail: IncomingMail): boolean {
    const verdict = checkSenderAuthentication(
      mail.authenticationResults,
      mail.from.address,
      deps.auth.policy,
      deps.auth.authservId,
    );
    if (!verdict.ok)
      deps.logger.warn({ from: mail.from.address, reason: verdict.reason }, 'mail sender not authenticated');
    return verdict.ok;
  }

  /** Never answer ourselves, robots or unauthenticated senders (no backscatter to forged addresses). */
  function answerable(mail: IncomingMail): boolean {
    if (mail.from.address === deps.fromAddress) return false;
    if (mail.automated) {
      deps.logger.info({ from: mail.from.address }, 'automated message not answered');
      return false;
    }
    return authenticated(mail);
  }

  async function process(ref: MessageRef, raw: Buffer): Promise<Outcome> {
    const key = refKey(ref);
    let mail: IncomingMail;
    try {
      mail = await parseIncomingMail(raw);
    } catch (error) {
      if (!(error instanceof MalformedMailError)) throw error;
      const headers = await parseIncomingHeaders(raw).catch(() => undefined);
      deps.logger.warn({ key, err: error }, 'malformed mail');
      if (headers && answerable(headers)) {
        const view: View = {
          kind: 'error',
          title: M.malformedTitle,
          lines: [error.userMessage],
          choices: [],
        };
        await replies.reply(headers, `${key}:malformed`, [view]);
      }
      return 'refused';
    }
    if (!answerable(mail)) return 'refused';
    if (mail.messageId && !(await state.claimMessageId(mail.messageId, key))) {
      deps.logger.info({ key, messageId: mail.messageId }, 'duplicate Message-ID, already handled');
      return 'duplicate';
    }
    const identity: ChannelIdentity = {
      channel: 'email',
      userId: mail.from.address,
      displayName: mail.from.name,
    };
    let lines = extractReplyLines(mail.text).slice(0, MAIL_LIMITS.maxReplyLines);
    if (!(await conversations.isAllowed(identity))) {
      const code = await handleStranger(mail, identity, key, lines);
      if (!code) return 'refused';
      // Linked: the rest of the message (PDFs, other lines) is handled as from any user.
      lines = lines.filter((l) => !l.includes(code));
      if (mail.pdfs.length === 0 && lines.length === 0) return 'processed';
    }
    if (mail.pdfs.length > MAIL_LIMITS.maxPdfsPerMessage) {
      const view: View = {
        kind: 'error',
        title: M.tooManyPdfsTitle,
        lines: M.tooManyPdfs(mail.pdfs.length),
        choices: [],
      };
      await replies.reply(mail, `${key}:too-many`, [view]);
      return 'refused';
    }
    const notes = mail.ignored.map(M.ignoredPart);
    const refusedPdfs = mail.ignored.filter((p) => p.reason !== 'not-pdf');
    if (mail.pdfs.length === 0 && refusedPdfs.length > 0 && lines.length === 0) {
      // Only PDFs that cannot be used (too large, damaged): say so, not « no PDF found ».
      const view: View = { kind: 'error', title: M.unusablePdfTitle, lines: notes, choices: [] };
      await replies.reply(mail, `${key}:unusable`, [view]);
      return 'refused';
    }
    if (mail.pdfs.length > 0) await handlePdfs(mail, identity, key, notes);
    else await handleLines(mail, identity, key, lines, notes);
    return 'processed';
  }

  return {
    /** Handles one message; never throws (the watcher must go on with the next one). */
    async handle(ref: MessageRef, raw: Buffer): Promise<HandleOutcome> {
      const key = refKey(ref);
      try {
        return await process(ref, raw);
      } catch (error) {
        if (error instanceof MailSendError) {
          deps.logger.error({ key, err: error }, 'reply not sent, will retry');
          return 'retry';
        }
        const attempts = (await state.attempts(key).catch(() => 0)) + 1;
        deps.logger.error({ key, err: error, attempts }, 'mail handling failed');
        if (attempts < maxAttempts) {
          await state.setAttempts(key, attempts).catch(() => undefined);
          return 'retry';
        }
        return await giveUp(ref, raw, error);
      }
    },

    /** A message too large to download: only its headers were read. */
    async handleTooLarge(ref: MessageRef, headers: Buffer, size: number): Promise<HandleOutcome> {
      const key = refKey(ref);
      try {
        const mail = await parseIncomingHeaders(headers);
        if (answerable(mail)) {
          const view: View = { kind: 'error', title: M.tooLargeTitle, lines: M.tooLarge(size), choices: [] };
          await replies.reply(mail, `${key}:too-large`, [view]);
        }
        return 'refused';
      } catch (error) {
        if (error instanceof MailSendError) return 'retry';
        deps.logger.warn({ key, err: error }, 'oversized mail without usable headers');
        return 'refused';
      }
    },
  };

  async function giveUp(ref: MessageRef, raw: Buffer, error: unknown): Promise<HandleOutcome> {
    const key = refKey(ref);
    try {
      const mail = await parseIncomingHeaders(raw);
      if (answerable(mail)) {
        const lines =
          error instanceof FacteurError
            ? [error.userMessage, ...M.internalError.slice(1)]
            : [...M.internalError];
        const view: View = { kind: 'error', title: M.internalErrorTitle, lines, choices: [] };
        await replies.reply(mail, `${key}:failed`, [view]);
      }
    } catch (sendError) {
      if (sendError instanceof MailSendError) return 'retry';
      deps.logger.error({ key, err: sendError }, 'could not tell the sender about the failure');
    }
    return 'refused';
  }
}

export type MailHandler = ReturnType<typeof createMailHandler>;
