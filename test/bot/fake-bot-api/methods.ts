import { checkHtml } from './html.js';
import { fileParam, type UploadedFile } from './multipart.js';
import type { FakeMessage, ReplyMarkup, StoredFile } from './types.js';

/** A Bot API error answer: `{ ok: false, error_code, description }`. */
export class ApiFailure extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

const bad = (description: string) => new ApiFailure(400, `Bad Request: ${description}`);

/** What the message methods read and change; owned by the server. */
export interface ChatState {
  messages: FakeMessage[];
  /** `${chatId}:${messageId}` → message, for constant-time lookups under load. */
  byKey: Map<string, FakeMessage>;
  nextMessageId: Map<number, number>;
  knownChats: Set<number>;
  files: Map<string, StoredFile>;
  callbackQueries: Map<string, { answered: boolean; text?: string; showAlert?: boolean }>;
  commands: unknown[];
  chatActions: Array<{ chatId: number; action: string }>;
}

export function allocateMessageId(state: ChatState, chatId: number): number {
  const id = state.nextMessageId.get(chatId) ?? 1;
  state.nextMessageId.set(chatId, id + 1);
  return id;
}

function chatIdOf(params: Record<string, unknown>, state: ChatState): number {
  const chatId = Number(params.chat_id);
  if (!Number.isFinite(chatId) || !state.knownChats.has(chatId)) throw bad('chat not found');
  return chatId;
}

function checkText(text: unknown, parseMode: unknown, max: number, what: string): string {
  if (typeof text !== 'string' || text.trim() === '') throw bad(`${what} must be non-empty`);
  let length = [...text].length;
  if (parseMode === 'HTML') {
    const { error, visibleLength } = checkHtml(text);
    if (error) throw bad(error);
    length = visibleLength;
  }
  if (length > max) throw bad(`${what} is too long`);
  return text;
}

function checkMarkup(markup: unknown): ReplyMarkup | undefined {
  if (markup === undefined || markup === null || markup === '') return undefined;
  const m = markup as ReplyMarkup;
  for (const row of m.inline_keyboard ?? []) {
    for (const button of row) {
      if (typeof button.text !== 'string' || button.text === '') throw bad('BUTTON_TEXT_EMPTY');
      if (button.callback_data !== undefined && Buffer.byteLength(button.callback_data) > 64) {
        throw bad('BUTTON_DATA_INVALID');
      }
      if (button.callback_data === undefined && button.url === undefined) throw bad('BUTTON_TYPE_INVALID');
    }
  }
  return m;
}

/** `reply_parameters`: the message replied to, which must exist unless told otherwise. */
function replyOf(params: Record<string, unknown>, state: ChatState, chatId: number): number | undefined {
  const reply = params.reply_parameters as
    { message_id?: unknown; allow_sending_without_reply?: unknown } | undefined;
  if (reply === undefined || reply === null) return undefined;
  const id = Number(reply.message_id);
  if (state.byKey.has(`${chatId}:${id}`)) return id;
  if (reply.allow_sending_without_reply === true) return undefined;
  throw bad('message to be replied not found');
}

function findBotMessage(state: ChatState, params: Record<string, unknown>): FakeMessage {
  const chatId = chatIdOf(params, state);
  const messageId = Number(params.message_id);
  const message = state.byKey.get(`${chatId}:${messageId}`);
  if (!message?.fromBot) throw bad('message to edit not found');
  return message;
}

const sameMarkup = (a?: ReplyMarkup, b?: ReplyMarkup) =>
  JSON.stringify(a?.inline_keyboard ?? []) === JSON.stringify(b?.inline_keyboard ?? []);

function toResult(m: FakeMessage): Record<string, unknown> {
  return {
    message_id: m.messageId,
    date: Math.floor(Date.now() / 1000),
    chat: { id: m.chatId, type: 'private' },
    ...(m.text !== undefined ? { text: m.text } : {}),
    ...(m.caption !== undefined ? { caption: m.caption } : {}),
    ...(m.replyMarkup ? { reply_markup: m.replyMarkup } : {}),
  };
}

function sendFile(
  state: ChatState,
  params: Record<string, unknown>,
  files: Record<string, UploadedFile>,
  field: 'photo' | 'document',
): Record<string, unknown> {
  const chatId = chatIdOf(params, state);
  const file = fileParam(params, files, field);
  if (file === undefined) throw bad(`there is no ${field} in the request`);
  if (typeof file === 'string') throw bad('wrong file identifier/HTTP URL specified');
  if (file.bytes.length === 0) throw bad('file must be non-empty');
  const caption =
    params.caption === undefined
      ? undefined
      : checkText(params.caption, params.parse_mode, 1024, 'message caption');
  const message: FakeMessage = {
    chatId,
    messageId: allocateMessageId(state, chatId),
    fromBot: true,
    kind: field,
    caption,
    parseMode: typeof params.parse_mode === 'string' ? params.parse_mode : undefined,
    replyMarkup: checkMarkup(params.reply_markup),
    file,
    replyTo: replyOf(params, state, chatId),
    edits: 0,
  };
  addMessage(state, message);
  return toResult(message);
}

export function addMessage(state: ChatState, message: FakeMessage): void {
  state.messages.push(message);
  state.byKey.set(`${message.chatId}:${message.messageId}`, message);
}

type Handler = (
  state: ChatState,
  params: Record<string, unknown>,
  files: Record<string, UploadedFile>,
) => unknown;

/** The message-related Bot API methods, with Telegram's validations and error descriptions. */
export const MESSAGE_METHODS: Record<string, Handler> = {
  sendMessage(state, params) {
    const chatId = chatIdOf(params, state);
    const message: FakeMessage = {
      chatId,
      messageId: allocateMessageId(state, chatId),
      fromBot: true,
      kind: 'text',
      text: checkText(params.text, params.parse_mode, 4096, 'message text'),
      parseMode: typeof params.parse_mode === 'string' ? params.parse_mode : undefined,
      replyMarkup: checkMarkup(params.reply_markup),
      edits: 0,
    };
    addMessage(state, message);
    return toResult(message);
  },
  editMessageText(state, params) {
    const message = findBotMessage(state, params);
    if (message.kind !== 'text') throw bad('there is no text in the message to edit');
    const text = checkText(params.text, params.parse_mode, 4096, 'message text');
    const markup = checkMarkup(params.reply_markup);
    if (text === message.text && sameMarkup(markup, message.replyMarkup)) {
      throw bad(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    message.text = text;
    message.parseMode = typeof params.parse_mode === 'string' ? params.parse_mode : undefined;
    message.replyMarkup = markup;
    message.edits += 1;
    return toResult(message);
  },
  editMessageReplyMarkup(state, params) {
    const message = findBotMessage(state, params);
    const markup = checkMarkup(params.reply_markup);
    if (sameMarkup(markup, message.replyMarkup)) {
      throw bad(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    message.replyMarkup = markup;
    message.edits += 1;
    return toResult(message);
  },
  deleteMessage(state, params) {
    const message = findBotMessage(state, params);
    state.messages.splice(state.messages.indexOf(message), 1);
    state.byKey.delete(`${message.chatId}:${message.messageId}`);
    return true;
  },
  answerCallbackQuery(state, params) {
    const query = state.callbackQueries.get(String(params.callback_query_id));
    if (!query || query.answered) {
      throw bad('query is too old and response timeout expired or query ID is invalid');
    }
    query.answered = true;
    query.text = typeof params.text === 'string' ? params.text : undefined;
    query.showAlert = params.show_alert === true || params.show_alert === 'true';
    return true;
  },
  sendChatAction(state, params) {
    const chatId = chatIdOf(params, state);
    state.chatActions.push({ chatId, action: String(params.action) });
    return true;
  },
  sendPhoto: (state, params, files) => sendFile(state, params, files, 'photo'),
  sendDocument: (state, params, files) => sendFile(state, params, files, 'document'),
  setMyCommands(state, params) {
    if (!Array.isArray(params.commands)) throw bad('commands must be an array');
    for (const c of params.commands as Array<{ command?: unknown; description?: unknown }>) {
      if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command))
        throw bad('BOT_COMMAND_INVALID');
      if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) {
        throw bad('BOT_COMMAND_DESCRIPTION_INVALID');
      }
    }
    state.commands = params.commands;
    return true;
  },
  getMyCommands: (state) => state.commands,
  getFile(state, params) {
    const file = state.files.get(String(params.file_id));
    if (!file) throw bad('invalid file_id');
    // https://core.telegram.org/bots/api#getfile: bots can download files of up to 20 MB.
    if (file.size > 20 * 1024 * 1024) throw bad('file is too big');
    return {
      file_id: file.fileId,
      file_unique_id: file.fileUniqueId,
      file_size: file.size,
      file_path: file.path,
    };
  },
};
