import { allocateMessageId } from './methods.js';
import type { FakeBotApi } from './server.js';
import type { FakeMessage, FakeUser } from './types.js';

let fileCounter = 0;

export interface DocumentInput {
  fileName: string;
  mimeType: string;
  /** The content; omit and give `size` for a file that must never be downloaded. */
  bytes?: Uint8Array;
  size?: number;
  /** Leave `file_size` out of the update (Telegram may): the bot only learns it from getFile. */
  hideSize?: boolean;
  caption?: string;
}

/** What people do in Telegram: each action queues the update Telegram would send the bot. */
export class Users {
  private nextCallbackId = 1;

  constructor(private readonly api: FakeBotApi) {}

  user(id: number, firstName = `Utilisateur ${id}`): FakeUser {
    return { id, first_name: firstName, username: `user${id}` };
  }

  private message(user: FakeUser, content: Record<string, unknown>, group?: number) {
    const chatId = group ?? user.id;
    this.api.state.knownChats.add(chatId);
    const messageId = allocateMessageId(this.api.state, chatId);
    const updateId = this.api.pushUpdate({
      message: {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: group
          ? { id: group, type: 'supergroup', title: 'Groupe' }
          : { id: user.id, type: 'private', first_name: user.first_name },
        from: { ...user, is_bot: false, language_code: 'fr' },
        ...content,
      },
    });
    return { updateId, messageId };
  }

  sendText(user: FakeUser, text: string) {
    const command = /^\/\w+/.exec(text);
    return this.message(user, {
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
    });
  }

  /** A message written in a group the bot is a member of (`groupId` negative, as Telegram's). */
  sendTextInGroup(user: FakeUser, groupId: number, text: string) {
    return this.message(user, { text }, groupId);
  }

  sendDocument(user: FakeUser, doc: DocumentInput) {
    const n = ++fileCounter;
    const size = doc.size ?? doc.bytes?.length ?? 0;
    const fileId = `BQACAgQAAxkBAAI${n}doc`;
    this.api.storeFile({
      fileId,
      fileUniqueId: `AgAD${n}`,
      path: `documents/file_${n}.bin`,
      size,
      bytes: doc.bytes,
    });
    return this.message(user, {
      document: {
        file_id: fileId,
        file_unique_id: `AgAD${n}`,
        file_name: doc.fileName,
        mime_type: doc.mimeType,
        ...(doc.hideSize ? {} : { file_size: size }),
      },
      ...(doc.caption ? { caption: doc.caption } : {}),
    });
  }

  sendPhoto(user: FakeUser, bytes: Uint8Array) {
    const n = ++fileCounter;
    const fileId = `AgACAgQAAxkBAAI${n}photo`;
    this.api.storeFile({
      fileId,
      fileUniqueId: `AQAD${n}`,
      path: `photos/file_${n}.jpg`,
      size: bytes.length,
      bytes,
    });
    return this.message(user, {
      photo: [
        { file_id: `${fileId}s`, file_unique_id: `AQAD${n}s`, width: 90, height: 120, file_size: 1000 },
        { file_id: fileId, file_unique_id: `AQAD${n}`, width: 900, height: 1200, file_size: bytes.length },
      ],
    });
  }

  /** Presses an inline button of a bot message, identified by its label or its callback data. */
  press(user: FakeUser, message: FakeMessage, button: string) {
    const buttons = (message.replyMarkup?.inline_keyboard ?? []).flat();
    const found =
      buttons.find((b) => b.text === button || b.callback_data === button) ??
      buttons.find((b) => b.text.includes(button));
    if (!found?.callback_data) {
      throw new Error(
        `no button « ${button} » on message #${message.messageId}: ${buttons.map((b) => b.text).join(' | ')}`,
      );
    }
    return this.pressData(user, message, found.callback_data);
  }

  /** Sends a callback query with raw data (forged or old buttons). */
  pressData(user: FakeUser, message: FakeMessage, data: string) {
    const id = `cbq${this.nextCallbackId++}`;
    this.api.state.callbackQueries.set(id, { answered: false });
    const updateId = this.api.pushUpdate({
      callback_query: {
        id,
        from: { ...user, is_bot: false, language_code: 'fr' },
        chat_instance: `ci${user.id}`,
        data,
        message: {
          message_id: message.messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: message.chatId, type: 'private' },
          from: { id: this.api.botId, is_bot: true, first_name: 'Facteur', username: this.api.username },
          ...(message.text !== undefined ? { text: message.text } : {}),
          ...(message.replyMarkup ? { reply_markup: message.replyMarkup } : {}),
        },
      },
    });
    return { updateId, callbackQueryId: id };
  }

  callbackAnswer(id: string) {
    return this.api.state.callbackQueries.get(id);
  }
}
