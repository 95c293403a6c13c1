import { Api, GrammyError, HttpError } from 'grammy';
import { TelegramApiError, TelegramTokenError } from './errors.js';
import { redactToken } from './redact.js';

export interface BotInfoOptions {
  token: string;
  /** Bot API server (TELEGRAM_API_ROOT); Telegram's own when unset. */
  apiRoot?: string;
}

/**
 * The bot's @username (without the @), for `t.me/<bot>?start=<code>` invitation links.
 * Rejects with `TelegramTokenError` (401) or `TelegramApiError`; the token never appears in
 * either. The original error is kept as `cause` only after redaction.
 */
export async function getBotUsername(opts: BotInfoOptions): Promise<string> {
  const api = new Api(opts.token, opts.apiRoot ? { apiRoot: opts.apiRoot } : undefined);
  try {
    const me = await api.getMe();
    return me.username;
  } catch (error) {
    if (error instanceof GrammyError && error.error_code === 401) throw new TelegramTokenError();
    if (error instanceof GrammyError) {
      throw new TelegramApiError(`getMe failed: ${error.error_code} ${error.description}`, opts.token);
    }
    const detail =
      error instanceof HttpError && error.error instanceof Error ? `: ${error.error.message}` : '';
    const message = error instanceof Error ? `${error.message}${detail}` : String(error);
    throw new TelegramApiError(`getMe failed: ${redactToken(message, opts.token)}`, opts.token);
  }
}
