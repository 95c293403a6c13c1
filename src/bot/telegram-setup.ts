import { GrammyError, HttpError, type Api, type Bot } from 'grammy';
import type { Logger } from '../shared/logger.js';
import { shim } from './api-guard.js';
import { TelegramApiError, TelegramTokenError, TelegramWebhookError } from './errors.js';
import { botMessages } from './messages.js';
import { sanitizeError } from './redact.js';

export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/**
 * getMe (the bot's identity, needed before any update is handled), then the command menu. An
 * unreachable Telegram rejects with grammY's HttpError (the caller tries again); a refused
 * token with `TelegramTokenError`.
 */
export async function initBot(
  bot: Bot,
  deps: { token: string; logger: Logger },
  signal: AbortSignal,
): Promise<void> {
  try {
    await bot.init(shim(signal));
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (error instanceof GrammyError && error.error_code === 401) throw new TelegramTokenError();
    throw new TelegramApiError(
      `getMe failed: ${error instanceof Error ? error.message : String(error)}`,
      deps.token,
    );
  }
  await bot.api
    .setMyCommands(
      botMessages.commands.map((c) => ({ ...c })),
      undefined,
      shim(signal),
    )
    .catch((error: unknown) => {
      deps.logger.warn(
        { err: sanitizeError(error, deps.token) },
        'setMyCommands failed; the command menu may be outdated',
      );
    });
}

/**
 * Registers the webhook; while Telegram is unreachable it tries again (the API guard waits with
 * backoff and warns between attempts) until `signal` aborts. A refusal is a configuration error.
 */
export async function registerWebhook(
  api: Api,
  hook: { url: string; secret?: string },
  signal: AbortSignal,
): Promise<void> {
  for (;;) {
    try {
      await api.setWebhook(
        hook.url,
        {
          ...(hook.secret ? { secret_token: hook.secret } : {}),
          allowed_updates: [...ALLOWED_UPDATES],
          drop_pending_updates: false,
        },
        shim(signal),
      );
      return;
    } catch (error) {
      if (!signal.aborted && error instanceof HttpError) continue;
      if (!(error instanceof GrammyError)) throw error;
      throw new TelegramWebhookError(
        `setWebhook refused: ${error.description}`,
        botMessages.webhookRefused(error.description),
      );
    }
  }
}

/** Removes a webhook before long polling, trying again while Telegram is unreachable. */
export async function removeWebhook(api: Api, signal: AbortSignal): Promise<void> {
  for (;;) {
    try {
      await api.deleteWebhook({ drop_pending_updates: false }, shim(signal));
      return;
    } catch (error) {
      if (signal.aborted || !(error instanceof HttpError)) throw error;
    }
  }
}

/** What to do when long polling stops for good. */
export function pollingStopHint(error: unknown): string | undefined {
  if (!(error instanceof GrammyError)) return undefined;
  if (error.error_code === 409)
    return 'another process polls with this token (or a webhook is set): stop it, then restart this one';
  if (error.error_code === 401)
    return 'the bot token was revoked: set the new TELEGRAM_BOT_TOKEN from @BotFather';
  return undefined;
}
