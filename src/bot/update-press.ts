import { choiceToCommand } from '../machine/commands.js';
import type { Intent } from './translate.js';
import { botMessages } from './messages.js';
import type { TurnReplies, Turn, UpdateHandlerDeps } from './update-turn.js';

/**
 * A button press: its own rate limit answer, stale buttons refused (the draft moved on since the
 * message was sent), the spinner stopped at once, then the choice given to the conversation.
 */
export function createPressTurn(deps: UpdateHandlerDeps, replies: TurnReplies) {
  const { conversations, sender } = deps;
  const { answerQuery, shownBefore } = replies;

  async function press(
    turn: Turn,
    intent: Extract<Intent, { kind: 'press' }>,
    options: { idempotencyKey: string },
  ): Promise<void> {
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

  return press;
}
