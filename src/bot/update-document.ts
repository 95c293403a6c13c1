import type { HandleResult } from '../machine/conversation-port.js';
import { SERVICE_TEXT } from '../machine/messages.js';
import { MAX_PDF_BYTES } from '../machine/service.js';
import type { View } from '../machine/view.js';
import { mark } from '../shared/stage-trace.js';
import { TELEGRAM_DOWNLOAD_LIMIT } from './download.js';
import { botMessages } from './messages.js';
import { sanitizeError } from './redact.js';
import type { Intent } from './translate.js';
import { errorView, ShownError, type TurnReplies, type Turn, type UpdateHandlerDeps } from './update-turn.js';

/**
 * A PDF sent to the bot: the file rate limit, access checked before any download, Telegram's and
 * Chorus Pro's size limits, the « Analyse… » status sent while the file is fetched and read, then
 * the report in place of that status.
 */
export function createDocumentTurn(deps: UpdateHandlerDeps, replies: TurnReplies) {
  const { api, conversations, sender } = deps;
  const { shownBefore } = replies;

  async function document(
    turn: Turn,
    intent: Extract<Intent, { kind: 'document' }>,
    options: { idempotencyKey: string },
  ): Promise<void> {
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
        if (statusMessageId !== undefined)
          await api.deleteMessage(chatId, statusMessageId).catch(() => undefined);
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

  return document;
}
