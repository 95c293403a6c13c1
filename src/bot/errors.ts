import { FacteurError } from '../shared/errors.js';
import { botMessages } from './messages.js';
import { redactToken } from './redact.js';

/** The Telegram Bot API could not be reached or refused a call (token never in the message). */
export class TelegramApiError extends FacteurError {
  readonly code = 'telegram-api';
  constructor(message: string, token: string, options?: { cause?: unknown }) {
    super(redactToken(message, token), botMessages.apiUnreachable, options);
  }
}

/** The bot token was refused (401 from getMe). */
export class TelegramTokenError extends FacteurError {
  readonly code = 'telegram-token-invalid';
  constructor(options?: { cause?: unknown }) {
    super('Telegram refused the bot token (401)', botMessages.tokenRefused, options);
  }
}

/** The webhook could not be set up (port taken, URL refused by Telegram). */
export class TelegramWebhookError extends FacteurError {
  readonly code = 'telegram-webhook';
  constructor(message: string, userMessage: string, options?: { cause?: unknown }) {
    super(message, userMessage, options);
  }
}

/** A file could not be fetched from Telegram (the message never contains the token). */
export class TelegramDownloadError extends FacteurError {
  readonly code = 'telegram-download';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, botMessages.downloadFailed, options);
  }
}

/** Telegram refuses to hand the file over (over 20 MB, size unknown in the message). */
export class TelegramFileTooBigError extends FacteurError {
  readonly code = 'telegram-file-too-big';
  constructor() {
    super('file larger than the 20 MB Bot API limit', botMessages.tooBigForTelegram());
  }
}
