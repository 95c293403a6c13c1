import type { Api } from 'grammy';
import type { Update } from 'grammy/types';
import type { ChannelIdentity, ConversationService, HandleResult } from '../machine/conversation-port.js';
import type { View } from '../machine/view.js';
import { choiceToCommand } from '../machine/commands.js';
import type { createKeyedLock } from '../machine/keyed-lock.js';
import { SERVICE_TEXT } from '../machine/messages.js';
import { MAX_PDF_BYTES } from '../machine/service.js';
import { FacteurError } from '../shared/errors.js';
import { mark, traceDocument } from '../shared/stage-trace.js';
import type { Logger } from '../shared/logger.js';
import { TELEGRAM_DOWNLOAD_LIMIT } from './download.js';
import type { MessageSlots } from './message-slots.js';
import { botMessages } from './messages.js';
import type { RateLimiter } from './rate-limit.js';
import type { ReportPriority } from './report-priority.js';
import { sanitizeError } from './redact.js';
import type { Semaphore } from './semaphore.js';
import { chatIdOf, identityOf, idempotencyKey, intentOf, type Intent } from './translate.js';
import type { ViewSender } from './view-sender.js';

export interface UpdateHandlerDeps {
  api: Api;
  conversations: ConversationService;
  sender: ViewSender;
  slots: MessageSlots;
  /** Orders the work of one chat: its updates and the notifications sent to it. */
  chatLock: ReturnType<typeof createKeyedLock>;
  limits: { messages: RateLimiter; files: RateLimiter };
  download: (fileId: string) => Promise<Uint8Array>;
  /** Bounds the files downloaded and analysed at once (their count and summed size). */
  files: Semaphore;
  /** Documents waiting for their report go first; presses and typed answers wait for them. */
  priority: ReportPriority;
  logger: Logger;
  token: string;
  /**
   * Sends a result's follow-up (the preview photo) once drawn, after what the turn sent; the
   * turn does not wait for it.
   */
  followUp: (chatId: number, next: NonNullable<HandleResult['followUp']>) => void;
}

interface Turn {
  update: Update;
  /** `performance.now()` when the update reached the handler. */
  receivedAt: number;
  chatId: number;
  identity: ChannelIdentity;
  log: Logger;
}

/**
 * Handles one update end to end: classify, apply the channel's own checks (access before any
 * download, Telegram's 20 MB limit, rate limits, stale buttons), call the conversation with the
 * update's idempotency key, lay out the views. Never throws: failures are logged (token removed)
 * and the user is told in French.
 */
export function createUpdateHandler(deps: UpdateHandlerDeps): (update: Update) => Promise<void> {
  const { api, conversations, sender } = deps;

  async function run(turn: Turn, intent: Intent): Promise<void> {
    const { chatId, identity, update } = turn;
    const options = { idempotencyKey: idempotencyKey(update) };
    switch (intent.kind) {
      case 'ignore':
        return;
      case 'unsupported':
      case 'not-pdf':
        if (!limitMessages(turn)) return;
        await sender.sendText(
          chatId,
          intent.kind === 'not-pdf' ? botMessages.notAPdf : botMessages.unsupported,
        );
        return;
      case 'welcome':
        if (!limitMessages(turn)) return;
        await sender.send({ chatId }, await conversations.welcome(identity));
        return;
      case 'input': {
        if (!limitMessages(turn)) return;
        // A later step: it gives way to the documents waiting for their reports (ReportPriority).
        const result = await deps.priority.runLow(async () => {
          const result = await conversations.handle(identity, intent.input, options);
          if (await shownBefore(turn, result)) return undefined;
          await sender.send({ chatId }, result.views);
          return result;
        });
        if (result?.followUp) deps.followUp(chatId, result.followUp);
        return;
      }
      case 'bad-press':
        await answerQuery(turn, intent.queryId, botMessages.unknownButton);
        if (intent.messageId !== undefined) await sender.stripKeyboard(chatId, intent.messageId);
        return;
      case 'press':
        return press(turn, intent, options);
      case 'document':
        return document(turn, intent, options);
    }
  }

  /**
   * Answers a button press. A query Telegram no longer accepts (answered before a crash, or too
   * old) must not turn into an error for the user: it is logged and the update goes on.
   */
  async function answerQuery(turn: Turn, queryId: string, text?: string): Promise<void> {
    try {
      await api.answerCallbackQuery(queryId, text ? { text } : undefined);
    } catch (error) {
      turn.log.warn({ err: sanitizeError(error, deps.token) }, 'answerCallbackQuery failed');
    }
  }

  /** A replayed update (after a crash) whose answer the user already has. */
  async function shownBefore(turn: Turn, result: HandleResult): Promise<boolean> {
    if (!result.duplicate || !(await sender.alreadyShown(turn.chatId, result.views))) return false;
    turn.log.info('update handled again after a restart: its answer is already in the chat');
    return true;
  }

  function limitMessages(turn: Turn): boolean {
    if (deps.limits.messages.take(turn.identity.userId)) return true;
    turn.log.warn('message rate limit reached');
    if (deps.limits.messages.shouldWarn(turn.identity.userId)) {
      void sender.sendText(turn.chatId, botMessages.tooManyMessages).catch(() => undefined);
    }
    return false;
  }

  async function press(
    turn: Turn,
    intent: Extract<Intent, { kind: 'press' }>,
    options: { idempotencyKey: string },
  ) {
    const { chatId, identity } = turn;
    const { press: data, queryId, messageId } = intent;
    if (!deps.limits.messages.take(identity.userId)) {
      await answerQuery(turn, queryId, botMessages.tooManyMessages);
      return;
    }
    // Choices the service answers whatever the draft's state (help, drafts…) are never stale.
    if (data.draftId && data.revision !== undefined && choiceToCommand(data.choiceId) === undefined) {
      const record = await deps.slots.get(chatId, data.draftId);
      if (record.revision > data.revision) {
        turn.log.info(
          { draftId: data.draftId, revision: data.revision, current: record.revision },
          'stale button',
        );
        await answerQuery(turn, queryId, botMessages.staleButton);
        if (messageId !== undefined) await sender.stripKeyboard(chatId, messageId);
        return;
      }
    }
    // Answer at once: Telegram keeps a spinner on the button until then.
    await answerQuery(turn, queryId);
    // The next step gives way to the documents waiting for their reports (a burst: other users').
    const result = await deps.priority.runLow(async () => {
      const result = await conversations.handle(
        identity,
        { type: 'choice', choiceId: data.choiceId, draftId: data.draftId, revision: data.revision },
        { ...options, ...(data.draftId ? { draftId: data.draftId } : {}) },
      );
      if (await shownBefore(turn, result)) return undefined;
      await sender.send(
        {
          chatId,
          ...(messageId !== undefined ? { pressedMessageId: messageId } : {}),
          ...(data.draftId ? { pressedDraftId: data.draftId } : {}),
          ...(intent.label !== undefined ? { pressedLabel: intent.label } : {}),
        },
        result.views,
      );
      return result;
    });
    if (result?.followUp) deps.followUp(chatId, result.followUp);
  }

  async function document(
    turn: Turn,
    intent: Extract<Intent, { kind: 'document' }>,
    options: { idempotencyKey: string },
  ) {
    const { chatId, identity, log } = turn;
    mark('locked');
    if (!deps.limits.files.take(identity.userId)) {
      log.warn('file rate limit reached');
      if (deps.limits.files.shouldWarn(identity.userId)) {
        await sender.sendText(chatId, botMessages.tooManyFiles(deps.limits.files.rule.perMinute));
      }
      return;
    }
    // Unlinked users: nothing of their file is fetched nor stored.
    if (!(await conversations.isAllowed(identity))) {
      log.info('file from an unlinked user refused before download');
      await sender.send({ chatId }, await conversations.welcome(identity));
      return;
    }
    if (intent.size !== undefined && intent.size > TELEGRAM_DOWNLOAD_LIMIT) {
      await sender.sendText(chatId, botMessages.tooBigForTelegram(intent.size));
      return;
    }
    if (intent.size !== undefined && intent.size > MAX_PDF_BYTES) {
      // Chorus' own limit, in the conversation's words, without downloading 10–20 MB for nothing.
      await sender.send({ chatId }, [
        { kind: 'error', lines: [SERVICE_TEXT.fileTooLarge(intent.fileName)], choices: [] },
      ]);
      return;
    }
    mark('allowed');
    const position = deps.files.queuePosition;
    // « typing… » in the header and the status message go out together: no round trip in between.
    // In a burst (documents queued) the « Analyse… » status says it already: one call less each.
    if (position === 0 && deps.priority.pending <= 1)
      void api.sendChatAction(chatId, 'typing').catch(() => undefined);
    // The status goes out while the file is fetched and analysed: in a burst its send waits for
    // Telegram's limits, and the document must not wait for it (only the report edits it).
    const status = sender
      .sendText(
        chatId,
        position > 0 ? botMessages.queued(intent.fileName, position) : botMessages.analysing(intent.fileName),
      )
      .then(
        (id) => {
          mark('statusSent');
          return id;
        },
        (error: unknown) => {
          log.warn({ err: sanitizeError(error, deps.token) }, 'status message not sent');
          return undefined;
        },
      );
    let views: View[];
    let failure: unknown;
    let followUp: HandleResult['followUp'];
    let statusMessageId: number | undefined;
    try {
      const result = await deps.files.run(async () => {
        mark('fileSlot');
        const bytes = await deps.download(intent.fileId);
        mark('downloaded');
        return conversations.handle(
          identity,
          { type: 'file', fileName: intent.fileName, mimeType: intent.mimeType, bytes },
          options,
        );
        // Weighed by its size (what it holds in memory); unknown: as large as Telegram allows.
      }, intent.size ?? TELEGRAM_DOWNLOAD_LIMIT);
      statusMessageId = await status;
      if (await shownBefore(turn, result)) {
        if (statusMessageId !== undefined) await api.deleteMessage(chatId, statusMessageId).catch(() => undefined);
        return;
      }
      views = result.views;
      followUp = result.followUp;
    } catch (error) {
      // The « Analyse… » status becomes the explanation instead of staying there forever.
      failure = error;
      views = [errorView(error)];
      statusMessageId = await status;
    }
    mark('handled');
    // Without a status (its send failed) the report goes out as a new message.
    await sender.send(
      { chatId, ...(statusMessageId !== undefined ? { statusMessageId } : {}), receivedAt: turn.receivedAt },
      views,
    );
    mark('reportSent');
    if (followUp) deps.followUp(chatId, followUp);
    if (failure !== undefined) throw new ShownError(failure);
  }

  return async function handleUpdate(update: Update): Promise<void> {
    const receivedAt = performance.now();
    const chatId = chatIdOf(update);
    const identity = identityOf(update);
    if (chatId === undefined || !identity) return;
    const log = deps.logger.child({ updateId: update.update_id, chatId });
    const intent = intentOf(update);
    const chatType = update.message?.chat.type ?? update.callback_query?.message?.chat.type ?? 'private';
    // Urgent from its arrival (before the chat's lock) to its report: see ReportPriority.
    const endUrgent = intent.kind === 'document' ? deps.priority.begin(chatId) : undefined;
    try {
      if (chatType !== 'private') {
        // Drafts are personal: in a group the bot only points to the private chat.
        if (intent.kind === 'press' || intent.kind === 'bad-press') {
          await api
            .answerCallbackQuery(intent.queryId, { text: botMessages.groupChat })
            .catch(() => undefined);
        } else if (intent.kind !== 'ignore') {
          await sender.sendText(chatId, botMessages.groupChat);
        }
        return;
      }
      const turn = () =>
        deps.chatLock.run(String(chatId), () => run({ update, receivedAt, chatId, identity, log }, intent));
      await (intent.kind === 'document' ? traceDocument(chatId, turn) : turn());
      log.debug({ intent: intent.kind }, 'update handled');
    } catch (error) {
      const cause = error instanceof ShownError ? error.failure : error;
      // Expected failures (a typed FacteurError with its French message) are warnings.
      const level = cause instanceof FacteurError ? 'warn' : 'error';
      log[level]({ err: sanitizeError(cause, deps.token), intent: intent.kind }, 'update failed');
      if (intent.kind === 'press' || intent.kind === 'bad-press') {
        await api.answerCallbackQuery(intent.queryId).catch(() => undefined);
      }
      if (!(error instanceof ShownError)) {
        await sender.send({ chatId }, [errorView(error)]).catch(() => undefined);
      }
    } finally {
      endUrgent?.();
    }
  };
}

/** A failure the user was already told about (its cause is what gets logged). */
class ShownError extends Error {
  constructor(readonly failure: unknown) {
    super('failure already shown to the user', { cause: failure });
  }
}

function errorView(error: unknown): View {
  const text = error instanceof FacteurError ? error.userMessage : botMessages.internalError;
  return { kind: 'error', lines: [text], choices: [] };
}
