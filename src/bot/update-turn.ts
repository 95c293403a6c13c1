import type { Api } from 'grammy';
import type { Update } from 'grammy/types';
import type { ChannelIdentity, ConversationService, HandleResult } from '../machine/conversation-port.js';
import type { createKeyedLock } from '../machine/keyed-lock.js';
import type { View } from '../machine/view.js';
import { FacteurError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { MessageSlots } from './message-slots.js';
import { botMessages } from './messages.js';
import type { RateLimiter } from './rate-limit.js';
import { sanitizeError } from './redact.js';
import type { ReportPriority } from './report-priority.js';
import type { Semaphore } from './semaphore.js';
import type { ViewSender } from './view-sender.js';

/**
 * What every kind of Telegram update shares once classified: the handler's dependencies, the
 * turn (one update of one private chat), and the replies each kind may need (a button's answer,
 * a replay already shown, the message rate limit, an error in French).
 */

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

export interface Turn {
  update: Update;
  /** `performance.now()` when the update reached the handler. */
  receivedAt: number;
  chatId: number;
  identity: ChannelIdentity;
  log: Logger;
}

/** The replies the update kinds share; none of them throws for a Telegram refusal of the answer. */
export function createTurnReplies(deps: UpdateHandlerDeps) {
  const { api, sender } = deps;

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

  return { answerQuery, shownBefore, limitMessages };
}

export type TurnReplies = ReturnType<typeof createTurnReplies>;

/** A failure the user was already told about (its cause is what gets logged). */
export class ShownError extends Error {
  constructor(readonly failure: unknown) {
    super('failure already shown to the user', { cause: failure });
  }
}

export function errorView(error: unknown): View {
  const text = error instanceof FacteurError ? error.userMessage : botMessages.internalError;
  return { kind: 'error', lines: [text], choices: [] };
}
