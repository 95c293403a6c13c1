import type { UploadedFile } from './multipart.js';

export interface FakeUser {
  id: number;
  first_name: string;
  username?: string;
}

export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
}

export interface ReplyMarkup {
  inline_keyboard?: InlineButton[][];
}

/** A message the bot sent (or a user message, with `fromBot: false`), as it stands now. */
export interface FakeMessage {
  chatId: number;
  messageId: number;
  fromBot: boolean;
  kind: 'text' | 'photo' | 'document';
  text?: string;
  caption?: string;
  parseMode?: string;
  replyMarkup?: ReplyMarkup;
  file?: UploadedFile;
  /** The message this one replies to (`reply_parameters`). */
  replyTo?: number;
  /** How many times it was edited (text or markup). */
  edits: number;
}

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  /** HTTP-like outcome: 200, or the error code the fake answered. */
  status: number;
  at: number;
}

export interface StoredFile {
  fileId: string;
  fileUniqueId: string;
  path: string;
  size: number;
  /** Absent for files only announced (e.g. a 25 MB document that must never be downloaded). */
  bytes?: Uint8Array;
}

export interface Update {
  update_id: number;
  [key: string]: unknown;
}
