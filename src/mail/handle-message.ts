/**
 * One incoming message → conversation inputs → threaded answers. Translation only: the
 * conversation decides; this file checks the sender, finds the PDFs or the reply lines, finds
 * the draft a reply addresses, and lays the views out as e-mails.
 *
 * Exactly-once: every input carries an idempotency key derived from (mailbox, UIDVALIDITY, UID),
 * answers have deterministic Message-IDs recorded once sent, and the Message-ID of the incoming
 * message is claimed in the store; a message handled again after a crash therefore changes
 * nothing twice and sends nothing twice.
 */
import type { Metrics } from '../shared/metrics.js';
import type { Logger } from '../shared/logger.js';
import { FacteurError } from '../shared/errors.js';
import type { ChannelIdentity, ConversationService, UserInput } from '../machine/conversation-port.js';
import type { View } from '../machine/view.js';
import { checkSenderAuthentication, type AuthPolicy } from './auth-results.js';
import { MailSendError, MalformedMailError } from './errors.js';
import { MAIL_LIMITS } from './limits.js';
import { mailMessages as M } from './messages.js';
import { parseIncomingHeaders, parseIncomingMail, type IncomingMail } from './parse-message.js';
import { courtesyLine, extractReplyLines } from './reply-text.js';
import { draftFromPlusAddress, provisionalToken, type ReplySender } from './reply-sender.js';
import { refKey, type MessageRef, type Outcome, type SentRecord, type ThreadState } from './thread-state.js';
import { groupViewsByDraft, matchChoice, nextAutoCancel, nextAutoConfirm } from './view-flow.js';

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

/** An unknown address is told it has no access at most once in this time. */
const DENIAL_QUIET_MS = 24 * 3_600_000;

/** At most the number of blocks of a draft. */
const MAX_AUTO_CONFIRM = 6;

const INVITE_CODE = /(?:^|[\s:«"'(])([A-Za-z0-9_-]{16})(?=$|[\s.,;!»"')])/;

/** A 16-char invitation code (letters and digits mixed) in the subject or the first lines. */
function findInviteCode(texts: string[]): string | undefined {
  for (const t of texts) {
    const code = INVITE_CODE.exec(t)?.[1];
    if (code && /\d/.test(code) && /[A-Za-z]/.test(code)) return code;
  }
  return undefined;
}

export function createMailHandler(deps: MailHandlerDeps) {
  const maxAttempts = deps.maxAttempts ?? 3;
  const { conversations, state, replies } = deps;

  function authenticated(mail: IncomingMail): boolean {
    const verdict = checkSenderAuthentication(
      mail.authenticationResults,
      mail.from.address,
      deps.auth.policy,
      deps.auth.authservId,
    );
    if (!verdict.ok) deps.logger.warn({ from: mail.from.address, reason: verdict.reason }, 'mail sender not authenticated');
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

  async function sendGrouped(mail: IncomingMail, key: string, views: View[], notes: string[]): Promise<void> {
    const groups = groupViewsByDraft(views);
    if (groups.length === 0 && notes.length > 0) groups.push([]);
    for (const [i, group] of groups.entries()) {
      await replies.reply(mail, `${key}:reply:${i}`, group, i === 0 ? notes : []);
    }
  }

  async function findDraft(mail: IncomingMail): Promise<{ draftId: string; sent?: SentRecord } | undefined> {
    const ids = [mail.inReplyTo, ...[...mail.references].reverse()].filter((x): x is string => Boolean(x));
    for (const id of ids) {
      const sent = await state.sent(id);
      if (sent?.draftId) return { draftId: sent.draftId, sent };
      const incoming = await state.incoming(id);
      if (incoming) return { draftId: incoming };
    }
    // Fallbacks (client dropped the thread headers, one-tap mailto answer): the draft's latest
    // message stands for the one answered.
    const latest = async (draftId: string) => {
      const thread = await state.thread(draftId);
      const last = thread?.messageIds[0];
      return thread ? { draftId, sent: last ? await state.sent(last) : undefined } : undefined;
    };
    const token = provisionalToken(mail.subject);
    const byToken = token ? await state.draftByProvisional(token) : undefined;
    if (byToken) return await latest(byToken);
    const byPlus = draftFromPlusAddress(deps.fromAddress, mail.recipients);
    return byPlus ? await latest(byPlus) : undefined;
  }

  async function handlePdfs(mail: IncomingMail, identity: ChannelIdentity, key: string, notes: string[]) {
    const started = performance.now();
    const views: View[] = [];
    for (const [i, pdf] of mail.pdfs.entries()) {
      const input: UserInput = { type: 'file', fileName: pdf.fileName, mimeType: 'application/pdf', bytes: pdf.bytes };
      const result = await conversations.handle(identity, input, { idempotencyKey: `${key}:pdf:${i}` });
      views.push(...result.views);
    }
    const firstDraft = views.find((v) => v.draftId)?.draftId;
    if (mail.messageId && firstDraft) await state.recordIncoming(mail.messageId, firstDraft);
    await sendGrouped(mail, key, views, notes);
    if (views.some((v) => v.kind === 'report')) {
      deps.metrics?.firstReportSent('email', (performance.now() - started) / 1000);
    }
  }

  async function handleLines(mail: IncomingMail, identity: ChannelIdentity, key: string, lines: string[], notes: string[]) {
    const target = await findDraft(mail);
    // « Merci ! » alone: the user's words go to the conversation, which answers them in one line.
    const courtesy = lines.length === 0 && target ? courtesyLine(mail.text) : undefined;
    if (courtesy) lines = [courtesy];
    if (lines.length === 0) {
      const title = target ? M.howToReplyTitle : M.noPdfTitle;
      const info: View = { kind: 'help', title, lines: [...(target ? M.emptyReply : M.noPdf)], choices: [], draftId: target?.draftId };
      await sendGrouped(mail, key, [info], notes);
      return;
    }
    // A later message answering this one (or quoting it) reaches the same draft.
    if (target && mail.messageId) await state.recordIncoming(mail.messageId, target.draftId);
    let revision = target?.sent?.revision;
    let choices = target?.sent?.choices ?? [];
    const views: View[] = [];
    for (const [j, line] of lines.entries()) {
      const choice = matchChoice(line, choices);
      const input: UserInput = choice
        ? { type: 'choice', choiceId: choice.id, draftId: target?.draftId, revision }
        : { type: 'text', text: line };
      let result = await conversations.handle(identity, input, {
        draftId: target?.draftId,
        idempotencyKey: `${key}:line:${j}`,
      });
      views.push(...result.views);
      // « confirmer » by e-mail goes on through the blocks the report already showed; « annuler »
      // answers its own « are you sure? ».
      for (let step = 0; step < MAX_AUTO_CONFIRM; step++) {
        const next = nextAutoConfirm(line, result.views, target?.draftId) ?? nextAutoCancel(line, result.views, target?.draftId);
        const draftId = target?.draftId ?? [...result.views].reverse().find((v) => v.draftId)?.draftId;
        if (!next || !draftId) break;
        result = await conversations.handle(
          identity,
          { type: 'choice', choiceId: next.choiceId, draftId, revision: next.revision },
          { draftId, idempotencyKey: `${key}:line:${j}:auto:${step}` },
        );
        views.push(...result.views);
      }
      const latest = [...views].reverse().find((v) => !target || v.draftId === target.draftId);
      if (latest?.revision !== undefined) revision = latest.revision;
      const offering = [...views].reverse().find((v) => v.choices.length > 0);
      if (offering) choices = offering.choices;
    }
    await sendGrouped(mail, key, views, notes);
  }

  /**
   * Unknown address: an invitation code in the subject or first lines links it (the conversation
   * checks it); otherwise the conversation answers that access is denied. Returns the code used
   * when the address is now linked.
   */
  async function handleStranger(mail: IncomingMail, identity: ChannelIdentity, key: string, lines: string[]) {
    const code = findInviteCode([mail.subject, ...lines.slice(0, 5)]);
    if (!code) {
      // One « access denied » a day per address: an unknown sender writing in a loop gets no flood.
      const last = await state.lastDenied(identity.userId);
      if (last !== undefined && Date.now() - last < DENIAL_QUIET_MS && !(await state.wasSent(replies.idFor(`${key}:stranger:0`)))) {
        deps.logger.info({ from: identity.userId }, 'unknown sender already told today');
        return undefined;
      }
    }
    const input: UserInput = code ? { type: 'link', code } : { type: 'text', text: 'aide' };
    const result = await conversations.handle(identity, input, { idempotencyKey: `${key}:${code ? 'link' : 'denied'}` });
    await sendGrouped(mail, `${key}:stranger`, result.views, []);
    if (!code) await state.setDenied(identity.userId, Date.now());
    const linked = code !== undefined && (await conversations.isAllowed(identity));
    return linked ? code : undefined;
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
        const view: View = { kind: 'error', title: M.malformedTitle, lines: [error.userMessage], choices: [] };
        await replies.reply(headers, `${key}:malformed`, [view]);
      }
      return 'refused';
    }
    if (!answerable(mail)) return 'refused';
    if (mail.messageId && !(await state.claimMessageId(mail.messageId, key))) {
      deps.logger.info({ key, messageId: mail.messageId }, 'duplicate Message-ID, already handled');
      return 'duplicate';
    }
    const identity: ChannelIdentity = { channel: 'email', userId: mail.from.address, displayName: mail.from.name };
    let lines = extractReplyLines(mail.text).slice(0, MAIL_LIMITS.maxReplyLines);
    if (!(await conversations.isAllowed(identity))) {
      const code = await handleStranger(mail, identity, key, lines);
      if (!code) return 'refused';
      // Linked: the rest of the message (PDFs, other lines) is handled as from any user.
      lines = lines.filter((l) => !l.includes(code));
      if (mail.pdfs.length === 0 && lines.length === 0) return 'processed';
    }
    if (mail.pdfs.length > MAIL_LIMITS.maxPdfsPerMessage) {
      const view: View = { kind: 'error', title: M.tooManyPdfsTitle, lines: M.tooManyPdfs(mail.pdfs.length), choices: [] };
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
        const lines = error instanceof FacteurError ? [error.userMessage, ...M.internalError.slice(1)] : [...M.internalError];
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
