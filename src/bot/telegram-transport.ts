import { run, type RunnerHandle } from '@grammyjs/runner';
import { HttpError, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../shared/logger.js';
import type { Metrics } from '../shared/metrics.js';
import { settlesWithin } from '../shared/timeouts.js';
import { TelegramWebhookError } from './errors.js';
import { botMessages } from './messages.js';
import { sanitizeError } from './redact.js';
import {
  ALLOWED_UPDATES,
  initBot,
  pollingStopHint,
  registerWebhook,
  removeWebhook,
} from './telegram-setup.js';
import type { UpdateJournal } from './update-journal.js';
import { startWebhookServer } from './webhook-server.js';

export interface TelegramTransportDeps {
  bot: Bot;
  token: string;
  journal: UpdateJournal;
  logger: Logger;
  metrics: Metrics;
  pollingTimeoutSeconds: number;
  /** Webhook mode (else long polling). */
  webhook?: { url: string; secret?: string; port: number };
  /** Overrides the webhook's configured port (0: random, for tests). */
  webhookPort?: number;
  /** Hands an update over to the bot's middleware (tracked by the channel). */
  dispatch: (update: Update) => void;
  stopping: () => boolean;
  onFailure?: (channel: string, error: unknown) => void;
}

/**
 * How updates reach the bot: getMe, the journal's pending updates handed over again, then either
 * the webhook server (each update journaled before it is acknowledged) or long polling with
 * @grammyjs/runner (one chat in order, chats in parallel). Network failures at start-up are tried
 * again (the API guard waits with backoff); a refused token is a configuration error.
 */
export function createTelegramTransport(deps: TelegramTransportDeps) {
  const { bot, token, journal, logger, metrics } = deps;
  let runner: RunnerHandle | undefined;
  let webhook: { port: number; close(): Promise<void> } | undefined;

  async function startWebhook(
    hook: { url: string; secret?: string; port: number },
    signal: AbortSignal,
  ): Promise<void> {
    const port = deps.webhookPort ?? hook.port;
    webhook = await startWebhookServer({
      path: new URL(hook.url).pathname || '/',
      port,
      secret: hook.secret,
      logger,
      accept: async (update) => {
        if (deps.stopping()) throw new Error('stopping');
        await journal.record([update]);
        deps.dispatch(update);
      },
    }).catch((error: unknown) => {
      const code = (error as { code?: unknown }).code;
      throw new TelegramWebhookError(
        `webhook server could not listen on 127.0.0.1:${port}: ${String(code ?? error)}`,
        code === 'EADDRINUSE' ? botMessages.webhookPortTaken(port) : botMessages.webhookPortFailed(port),
      );
    });
    await registerWebhook(bot.api, hook, signal);
    logger.info({ port: webhook.port }, 'telegram webhook listening');
  }

  function startPolling(): void {
    runner = run(bot, {
      runner: {
        fetch: { timeout: deps.pollingTimeoutSeconds, allowed_updates: [...ALLOWED_UPDATES] },
        silent: true,
        // The guard already waited (with backoff, and a warning) before a failed poll returns.
        retryInterval: 10,
      },
      sink: { concurrency: 200 },
    });
    const task = runner.task();
    task?.catch((error: unknown) => {
      const hint = pollingStopHint(error);
      logger.error(
        { err: sanitizeError(error, token), ...(hint ? { hint } : {}) },
        'telegram polling stopped',
      );
      if (!deps.stopping()) {
        metrics.channelError('telegram', 'poll');
        deps.onFailure?.('telegram', sanitizeError(error, token));
      }
    });
    logger.info('telegram long polling started');
  }

  return {
    get webhookPort(): number | undefined {
      return webhook?.port;
    },

    /** getMe, then the webhook or polling: tried again (with the guard's backoff) until it works. */
    async connect(signal: AbortSignal): Promise<void> {
      for (;;) {
        try {
          await initBot(bot, { token, logger }, signal);
          break;
        } catch (error) {
          // Only network failures are tried again (the guard waited); a refused token is a configuration error.
          if (signal.aborted || !(error instanceof HttpError)) throw error;
        }
      }
      for (const update of await journal.load()) deps.dispatch(update);
      if (deps.webhook) {
        await startWebhook(deps.webhook, signal);
      } else {
        await removeWebhook(bot.api, signal);
        startPolling();
      }
    },

    /** Stops receiving: the polling loop, or the webhook server (the webhook stays registered). */
    async close(): Promise<void> {
      if (runner) {
        const r = runner;
        runner = undefined;
        await settlesWithin(r.stop() ?? Promise.resolve(), 2_000);
      }
      // Telegram keeps what arrives meanwhile and delivers it at restart.
      if (webhook) {
        await webhook.close();
        webhook = undefined;
      }
    },
  };
}
