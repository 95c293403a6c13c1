import type { Update } from 'grammy/types';
import { FacteurError } from '../shared/errors.js';
import { traceDocument } from '../shared/stage-trace.js';
import { botMessages } from './messages.js';
import { sanitizeError } from './redact.js';
import { chatIdOf, identityOf, idempotencyKey, intentOf, type Intent } from './translate.js';
import { createDocumentTurn } from './update-document.js';
import { createPressTurn } from './update-press.js';
import {
  createTurnReplies,
  errorView,
  ShownError,
  type Turn,
  type UpdateHandlerDeps,
} from './update-turn.js';

export type { UpdateHandlerDeps } from './update-turn.js';

/**
 * Handles one update end to end: classify, apply the channel's own checks (access before any
 * download, Telegram's 20 MB limit, rate limits, stale buttons), call the conversation with the
 * update's idempotency key, lay out the views. Never throws: failures are logged (token removed)
 * and the user is told in French.
 */
export function createUpdateHandler(deps: UpdateHandlerDeps): (update: Update) => Promise<void> {
  const { api, conversations, sender } = deps;
  const replies = createTurnReplies(deps);
  const { answerQuery, shownBefore, limitMessages } = replies;
  const press = createPressTurn(deps, replies);
  const document = createDocumentTurn(deps, replies);

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
