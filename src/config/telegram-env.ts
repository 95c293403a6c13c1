/**
 * The Telegram part of the environment (issue 5): the bot token, a test API root, the webhook
 * and the outgoing rate. Composed into the one schema of schema.ts; off without a token.
 */
import { z } from 'zod';
import { emptyToUndefined, optionalPort, optionalString, optionalUrl } from './env-values.js';

export const telegramEnv = z.object({
  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_API_ROOT: optionalUrl,
  TELEGRAM_WEBHOOK_URL: optionalUrl,
  TELEGRAM_WEBHOOK_SECRET: optionalString,
  TELEGRAM_WEBHOOK_PORT: optionalPort,
  /** Outgoing messages a second in all: Telegram's 30, up to 1000 with paid broadcasts. */
  TELEGRAM_MAX_MESSAGES_PER_SECOND: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(1).max(1000).optional(),
  ),
});

export interface TelegramConfig {
  token: string;
  apiRoot?: string;
  webhook?: { url: string; secret?: string; port: number };
  /** Outgoing messages a second in all (default Telegram's 30). */
  maxMessagesPerSecond?: number;
}

/** The Telegram slice, undefined without a token; a malformed token goes to `problems` (never its value). */
export function telegramConfig(
  env: z.infer<typeof telegramEnv>,
  problems: string[],
): TelegramConfig | undefined {
  if (!env.TELEGRAM_BOT_TOKEN) return undefined;
  if (!/^\d+:[\w-]+$/.test(env.TELEGRAM_BOT_TOKEN))
    problems.push('TELEGRAM_BOT_TOKEN n’a pas la forme 123456:ABC…');
  return {
    token: env.TELEGRAM_BOT_TOKEN,
    apiRoot: env.TELEGRAM_API_ROOT?.replace(/\/+$/, ''),
    webhook: env.TELEGRAM_WEBHOOK_URL
      ? {
          url: env.TELEGRAM_WEBHOOK_URL,
          secret: env.TELEGRAM_WEBHOOK_SECRET,
          port: env.TELEGRAM_WEBHOOK_PORT ?? 8443,
        }
      : undefined,
    ...(env.TELEGRAM_MAX_MESSAGES_PER_SECOND
      ? { maxMessagesPerSecond: env.TELEGRAM_MAX_MESSAGES_PER_SECOND }
      : {}),
  };
}
