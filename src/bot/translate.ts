import type { Message, Update } from 'grammy/types';
import type { ChannelIdentity, UserInput } from '../machine/conversation-port.js';
import { decodeCallbackData, type ButtonPress } from './callback-data.js';

/**
 * What a Telegram update asks for, before any I/O: the pure half of the translation from
 * updates to the conversation's `UserInput` (files still need a download, buttons a stale check).
 */
export type Intent =
  | { kind: 'input'; input: UserInput }
  | { kind: 'welcome' }
  | { kind: 'document'; fileId: string; fileName: string; mimeType: string; size?: number }
  | { kind: 'not-pdf' }
  | { kind: 'press'; press: ButtonPress; messageId?: number; queryId: string; label?: string }
  | { kind: 'bad-press'; messageId?: number; queryId: string }
  | { kind: 'unsupported' }
  | { kind: 'ignore' };

/** Telegram commands of the menu → the conversation's text commands. */
const COMMANDS: Record<string, string> = {
  aide: 'aide',
  help: 'aide',
  brouillons: 'brouillons',
  reprendre: 'reprendre',
  annuler: 'annuler',
  statut: 'statut',
};

export function idempotencyKey(update: Update): string {
  return `telegram:update:${update.update_id}`;
}

export function identityOf(update: Update): ChannelIdentity | undefined {
  const from = update.callback_query?.from ?? update.message?.from;
  if (!from || from.is_bot) return undefined;
  const displayName = [from.first_name, from.last_name].filter(Boolean).join(' ') || from.username;
  return { channel: 'telegram', userId: String(from.id), ...(displayName ? { displayName } : {}) };
}

export function chatIdOf(update: Update): number | undefined {
  return update.message?.chat.id ?? update.callback_query?.message?.chat.id ?? update.callback_query?.from.id;
}

function isPdf(name: string | undefined, mime: string | undefined): boolean {
  return mime === 'application/pdf' || /\.pdf$/i.test(name ?? '');
}

function textIntent(text: string): Intent {
  const command = /^\/([A-Za-z0-9_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!command) return { kind: 'input', input: { type: 'text', text } };
  const name = (command[1] ?? '').toLowerCase();
  const arg = (command[2] ?? '').trim();
  if (name === 'start') {
    // Deep link t.me/<bot>?start=<code>: Telegram sends « /start <code> ».
    return arg ? { kind: 'input', input: { type: 'link', code: arg } } : { kind: 'welcome' };
  }
  // « /reprendre » from the menu comes without a number: show the drafts to pick from.
  if (name === 'reprendre' && !arg) return { kind: 'input', input: { type: 'text', text: 'brouillons' } };
  const mapped = COMMANDS[name] ?? name;
  return { kind: 'input', input: { type: 'text', text: arg ? `${mapped} ${arg}` : mapped } };
}

function messageIntent(message: Message): Intent {
  if (message.document) {
    const { document } = message;
    if (!isPdf(document.file_name, document.mime_type)) return { kind: 'not-pdf' };
    return {
      kind: 'document',
      fileId: document.file_id,
      fileName: document.file_name ?? 'facture.pdf',
      mimeType: document.mime_type ?? 'application/pdf',
      ...(document.file_size !== undefined ? { size: document.file_size } : {}),
    };
  }
  if (message.photo || message.sticker || message.video || message.animation || message.video_note) {
    return { kind: 'not-pdf' };
  }
  if (message.text !== undefined) return textIntent(message.text);
  if (message.voice || message.audio || message.location || message.contact || message.poll) {
    return { kind: 'unsupported' };
  }
  return { kind: 'ignore' };
}

/** Classifies an update. Service messages (joins, pins…) and edits are ignored. */
export function intentOf(update: Update): Intent {
  const query = update.callback_query;
  if (query) {
    const press = decodeCallbackData(query.data);
    const messageId = query.message?.message_id;
    const buttons = query.message?.reply_markup?.inline_keyboard.flat() ?? [];
    const label = buttons.find((b) => 'callback_data' in b && b.callback_data === query.data)?.text;
    return press
      ? {
          kind: 'press',
          press,
          queryId: query.id,
          ...(messageId !== undefined ? { messageId } : {}),
          ...(label !== undefined ? { label } : {}),
        }
      : { kind: 'bad-press', queryId: query.id, ...(messageId !== undefined ? { messageId } : {}) };
  }
  if (update.message) return messageIntent(update.message);
  return { kind: 'ignore' };
}
