import { GrammyError, InputFile, type Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Attachment, View } from '../machine/view.js';
import type { Logger } from '../shared/logger.js';
import { noopMetrics, type Metrics } from '../shared/metrics.js';
import { escapeHtml, visibleLength } from './html.js';
import { botMessages } from './messages.js';
import { DraftRecords } from './draft-records.js';
import { MessageSlots, type DraftMessages } from './message-slots.js';
import { MAX_TEXT_LENGTH, renderText, renderView } from './render.js';

export interface SendTarget {
  chatId: number;
  /** The message whose button was pressed: the view of the same slot edits it in place. */
  pressedMessageId?: number;
  /** Its draft and the label of the pressed button, to mark it when no view replaces it. */
  pressedDraftId?: string;
  pressedLabel?: string;
  /** A status message (« Analyse… ») that the report (else the first text view) replaces. */
  statusMessageId?: number;
  /** When the document arrived (`performance.now()`): the report's sending is measured from it. */
  receivedAt?: number;
}

const NOT_MODIFIED = /message is not modified/i;
const CANNOT_EDIT = /message to edit not found|message can't be edited|message_id_invalid|there is no text/i;

/** The buttons as sent (no buttons: an empty keyboard), to compare with what is on screen. */
function markupOf(keyboard: InlineKeyboardMarkup | undefined): string {
  return JSON.stringify(keyboard?.inline_keyboard ?? []);
}

/** Telegram accepts any file name, but grammY sends it unquoted in multipart: keep it plain. */
export function safeFileName(name: string): string {
  const plain = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return plain.slice(-100) || 'fichier';
}

/**
 * Lays views out in a chat: each draft view has a slot (report, block, summary, receipt) whose
 * message is edited in place when its button was pressed, or re-sent below (the old copy losing
 * its buttons) when the user typed. Message ids and the draft's revision are kept durably.
 */
export class ViewSender {
  constructor(
    private readonly api: Api,
    private readonly slots: MessageSlots,
    private readonly logger: Logger,
    private readonly metrics: Pick<Metrics, 'firstReportSent'> = noopMetrics,
  ) {}

  async send(target: SendTarget, views: View[]): Promise<void> {
    const records = new DraftRecords(this.slots, target.chatId);
    let status = target.statusMessageId;
    const statusView =
      status === undefined
        ? undefined
        : (views.find((v) => v.kind === 'report') ??
          views.find((v) => v.kind !== 'analysing' && renderText(v) !== ''));
    let pressedHandled = false;
    // Message ids are saved even when a later view fails to go out, so the next turn still edits in place.
    try {
      for (const view of views) {
        if (view.kind === 'analysing' && status !== undefined) continue;
        const rendered = renderView(view);
        if (rendered.dropped.length > 0) {
          this.logger.warn(
            { choices: rendered.dropped, kind: view.kind },
            'choices left out: callback data over 64 bytes or more than 100 buttons',
          );
        }
        let record: DraftMessages | undefined;
        if (view.draftId) {
          record = await records.get(view.draftId);
          if (view.revision !== undefined) record.revision = Math.max(record.revision, view.revision);
        }
        if (rendered.text) {
          const existing = rendered.slot && record ? record.slots[rendered.slot] : undefined;
          let editId: number | undefined;
          if (status !== undefined && view === statusView) {
            editId = status;
            status = undefined;
          } else if (target.pressedMessageId !== undefined && existing?.id === target.pressedMessageId) {
            editId = target.pressedMessageId;
          }
          if (editId === target.pressedMessageId && editId !== undefined) pressedHandled = true;
          const markup = markupOf(rendered.keyboard);
          // The same text and buttons already on screen (a double tap, a view shown again): an
          // edit would only earn « message is not modified » from Telegram.
          const unchanged =
            editId !== undefined &&
            existing?.id === editId &&
            existing.html === rendered.text &&
            existing.markup === markup;
          let messageId =
            editId !== undefined
              ? unchanged
                ? editId
                : await this.edit(target.chatId, editId, rendered.text, rendered.keyboard)
              : undefined;
          messageId ??= (
            await this.api.sendMessage(target.chatId, rendered.text, {
              parse_mode: 'HTML',
              reply_markup: rendered.keyboard,
              link_preview_options: { is_disabled: true },
            })
          ).message_id;
          if (existing && existing.id !== messageId && existing.keyboard)
            await this.stripKeyboard(target.chatId, existing.id);
          if (rendered.slot && record) {
            for (const [slot, m] of Object.entries(record.slots))
              if (m.id === messageId) delete record.slots[slot];
            record.slots[rendered.slot] = {
              id: messageId,
              keyboard: rendered.keyboard !== undefined,
              html: rendered.text,
              markup,
            };
          }
        }
        if (view.kind === 'report' && target.receivedAt !== undefined && rendered.text) {
          this.metrics.firstReportSent('telegram', (performance.now() - target.receivedAt) / 1000);
        }
        // The preview follows its report (often after the next step's message): it answers it.
        const replyTo = record?.slots.report?.id;
        for (const photo of rendered.photos) await this.sendFile(target.chatId, photo, 'photo', replyTo);
        for (const document of rendered.documents) await this.sendFile(target.chatId, document, 'document');
      }
      if (target.pressedMessageId !== undefined && !pressedHandled) {
        await this.markAnswered(target, records);
      }
      if (status !== undefined) await this.api.deleteMessage(target.chatId, status).catch(() => undefined);
    } finally {
      await records.saveChanged();
    }
  }

  /**
   * Whether these views are already on screen: an update handled again after a crash (the
   * conversation answers `duplicate`) must not show its messages twice. True when every draft
   * view with a slot finds its message holding that same text (maybe marked with the answer since).
   */
  async alreadyShown(chatId: number, views: View[]): Promise<boolean> {
    let slotted = 0;
    for (const view of views) {
      const rendered = renderView(view);
      if (!view.draftId || !rendered.slot || !rendered.text) continue;
      const held = (await this.slots.get(chatId, view.draftId)).slots[rendered.slot];
      if (!held?.html?.startsWith(rendered.text)) return false;
      slotted += 1;
    }
    return slotted > 0;
  }

  /** Sends plain (already French) text, escaped. */
  async sendText(chatId: number, text: string): Promise<number> {
    const message = await this.api.sendMessage(chatId, escapeHtml(text), { parse_mode: 'HTML' });
    return message.message_id;
  }

  /**
   * The conversation moved on from the pressed message (a block confirmed, another step shown
   * below): it keeps its text, loses its buttons and shows the answer given (« → ✅ Confirmer »),
   * so the chat reads like a filled-in form.
   */
  private async markAnswered(target: SendTarget, records: DraftRecords): Promise<void> {
    const messageId = target.pressedMessageId as number;
    let record: DraftMessages | undefined;
    if (target.pressedDraftId) {
      record = await records.get(target.pressedDraftId);
    }
    const slot = record ? MessageSlots.slotOfMessage(record, messageId) : undefined;
    const held = slot && record ? record.slots[slot] : undefined;
    if (held?.html && target.pressedLabel) {
      const html = `${held.html}\n\n<i>→ ${escapeHtml(target.pressedLabel)}</i>`;
      if (
        visibleLength(html) <= MAX_TEXT_LENGTH &&
        (await this.edit(target.chatId, messageId, html, undefined)) !== undefined
      ) {
        held.keyboard = false;
        held.html = html;
        held.markup = markupOf(undefined);
        return;
      }
    }
    // Buttons already gone: nothing to change.
    if (held && !held.keyboard) return;
    await this.stripKeyboard(target.chatId, messageId);
    if (held) {
      held.keyboard = false;
      held.markup = markupOf(undefined);
    }
  }

  /** Removes the buttons of a message; a message already without buttons is fine. */
  async stripKeyboard(chatId: number, messageId: number): Promise<void> {
    try {
      await this.api.editMessageReplyMarkup(chatId, messageId, { reply_markup: { inline_keyboard: [] } });
    } catch (error) {
      if (
        error instanceof GrammyError &&
        (NOT_MODIFIED.test(error.description) || CANNOT_EDIT.test(error.description))
      )
        return;
      throw error;
    }
  }

  /** Edits a text message; undefined when it cannot be edited any more (then a new one is sent). */
  private async edit(
    chatId: number,
    messageId: number,
    text: string,
    keyboard: InlineKeyboardMarkup | undefined,
  ): Promise<number | undefined> {
    try {
      await this.api.editMessageText(chatId, messageId, text, {
        parse_mode: 'HTML',
        reply_markup: keyboard ?? { inline_keyboard: [] },
        link_preview_options: { is_disabled: true },
      });
      return messageId;
    } catch (error) {
      if (error instanceof GrammyError && NOT_MODIFIED.test(error.description)) return messageId;
      if (error instanceof GrammyError && CANNOT_EDIT.test(error.description)) return undefined;
      throw error;
    }
  }

  private async sendFile(
    chatId: number,
    attachment: Attachment,
    as: 'photo' | 'document',
    replyTo?: number,
  ): Promise<void> {
    const file = new InputFile(Buffer.from(attachment.bytes), safeFileName(attachment.fileName));
    if (as === 'photo') {
      await this.api.sendPhoto(chatId, file, {
        caption: botMessages.previewCaption,
        ...(replyTo !== undefined
          ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
          : {}),
      });
    } else {
      await this.api.sendDocument(chatId, file);
    }
  }
}
