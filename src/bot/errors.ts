import { FacteurError } from '../shared/errors.js';
import { redactToken } from './redact.js';

/** The Telegram Bot API could not be reached or refused a call (token never in the message). */
export class TelegramApiError extends FacteurError {
  readonly code = 'telegram-api';
  constructor(message: string, token: string, options?: { cause?: unknown }) {
    super(
      redactToken(message, token),
      'Le serveur Telegram ne répond pas correctement : vérifiez TELEGRAM_BOT_TOKEN et TELEGRAM_API_ROOT, puis réessayez.',
      options,
    );
  }
}

/** The bot token was refused (401 from getMe). */
export class TelegramTokenError extends FacteurError {
  readonly code = 'telegram-token-invalid';
  constructor(options?: { cause?: unknown }) {
    super(
      'Telegram refused the bot token (401)',
      'Telegram refuse le jeton du bot : vérifiez TELEGRAM_BOT_TOKEN (donné par @BotFather).',
      options,
    );
  }
}

/** The webhook could not be set up (port taken, URL refused by Telegram). */
export class TelegramWebhookError extends FacteurError {
  readonly code = 'telegram-webhook';
  constructor(message: string, userMessage: string, options?: { cause?: unknown }) {
    super(message, userMessage, options);
  }
}
