import { autoRetry } from '@grammyjs/auto-retry';
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner';
import { Bot, GrammyError, type Transformer } from 'grammy';
import type { Update } from 'grammy/types';
import type { Channel } from '../app/channel.js';
import type { ChannelDeps } from '../app/channels.js';
import { createKeyedLock } from '../machine/keyed-lock.js';
import { ConfigError } from '../shared/errors.js';
import { downloadTelegramFile } from './download.js';
import { TelegramApiError, TelegramTokenError, TelegramWebhookError } from './errors.js';
import { MessageSlots } from './message-slots.js';
import { botMessages } from './messages.js';
import { RateLimiter, type RateLimitRule } from './rate-limit.js';
import { sanitizeError } from './redact.js';
import { Semaphore } from './semaphore.js';
import { createUpdateHandler } from './update-handler.js';
import { UpdateJournal } from './update-journal.js';
import { ViewSender } from './view-sender.js';
import { startWebhookServer } from './webhook-server.js';

const ALLOWED_UPDATES = ['message', 'callback_query'] as const;
const DEFAULT_API_ROOT = 'https://api.telegram.org';

export interface TelegramChannelOptions {
  /** Long-polling timeout of getUpdates, in seconds (default 30). */
  pollingTimeoutSeconds?: number;
  /** Per-user limits; defaults: 20 messages at once then 30 a minute, 10 files at once then 20 a minute. */
  rateLimits?: { messages?: RateLimitRule; files?: RateLimitRule };
  /** PDFs downloaded and analysed at once (default 16); the others wait their turn after « Analyse… ». */
  maxConcurrentFiles?: number;
  /** Webhook listening port, overriding the configuration (0: random, for tests). */
  webhookPort?: number;
}

export interface TelegramChannel extends Channel {
  /** The webhook server's port once started (webhook mode only). */
  readonly webhookPort: number | undefined;
}

export type TelegramChannelDeps = ChannelDeps & { options?: TelegramChannelOptions };

/**
 * The Telegram channel: a grammY bot that only translates (updates → `UserInput`, views →
 * messages). Long polling with @grammyjs/runner (one chat in order, chats in parallel) or a
 * webhook; @grammyjs/auto-retry for 429/5xx; every received update is journaled before Telegram
 * forgets it, so a stop or a crash never loses one. `stop()` finishes the updates in hand.
 */
export function createTelegramChannel(deps: TelegramChannelDeps): TelegramChannel {
  const config = deps.config.telegram;
  if (!config) throw new ConfigError(botMessages.noToken);
  const { token } = config;
  const webhookConfig = config.webhook;
  const apiRoot = config.apiRoot ?? DEFAULT_API_ROOT;
  const options = deps.options ?? {};
  const logger = deps.logger.child({ component: 'telegram' });

  const bot = new Bot(token, { client: { apiRoot } });
  const botId = token.split(':')[0] ?? '0';
  const journal = new UpdateJournal(deps.channelState, `journal:${botId}`, logger);
  let lastPollWarning = 0;
  const recordFetched: Transformer = async (prev, method, payload, signal) => {
    if (method !== 'getUpdates') return prev(method, payload, signal);
    try {
      const res = await prev(method, payload, signal);
      if (res.ok) await journal.record(res.result as Update[]);
      return res;
    } catch (error) {
      // The runner retries quietly (silent); say it in the log, at most once a minute.
      if (!signal?.aborted && Date.now() - lastPollWarning > 60_000) {
        lastPollWarning = Date.now();
        logger.warn({ err: sanitizeError(error, token) }, 'getUpdates failed; retrying');
      }
      throw error;
    }
  };
  bot.api.config.use(autoRetry({ maxRetryAttempts: 6, maxDelaySeconds: 300 }));
  bot.api.config.use(recordFetched);

  const slots = new MessageSlots(deps.channelState);
  const sender = new ViewSender(bot.api, slots, logger);
  // The runner's sequentialize orders a chat's updates; this lock also puts the notifications to
  // that chat in line with them, so a draft's message ids are never read and written at once.
  const chatLock = createKeyedLock();
  const handleUpdate = createUpdateHandler({
    api: bot.api,
    conversations: deps.conversations,
    sender,
    slots,
    chatLock,
    limits: {
      messages: new RateLimiter(options.rateLimits?.messages ?? { capacity: 20, perMinute: 30 }),
      files: new RateLimiter(options.rateLimits?.files ?? { capacity: 10, perMinute: 20 }),
    },
    download: (fileId) => downloadTelegramFile({ api: bot.api, token, apiRoot, fileId }),
    files: new Semaphore(options.maxConcurrentFiles ?? 16),
    logger,
    token,
  });

  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  // Tracked from the start (waiting included) so `stop()` waits for every update the runner handed over.
  bot.use((_ctx, next) => track(next()));
  bot.use(sequentialize((ctx) => String(ctx.chat?.id ?? ctx.from?.id ?? 'none')));
  bot.use(async (ctx) => {
    const id = ctx.update.update_id;
    if (journal.isDone(id)) return;
    await handleUpdate(ctx.update);
    journal.markDone(id);
  });
  bot.catch((error) => {
    logger.error(
      { err: sanitizeError(error.error, token), updateId: error.ctx.update.update_id },
      'telegram middleware error',
    );
  });

  let runner: RunnerHandle | undefined;
  let webhook: { port: number; close(): Promise<void> } | undefined;
  let unsubscribe: (() => void) | undefined;
  let stopping = false;

  const dispatch = (update: Update) =>
    track(
      bot.handleUpdate(update).catch((error: unknown) => {
        logger.error(
          { err: sanitizeError(error, token), updateId: update.update_id },
          'telegram update failed',
        );
      }),
    );

  async function init(): Promise<void> {
    try {
      await bot.init();
    } catch (error) {
      if (error instanceof GrammyError && error.error_code === 401) throw new TelegramTokenError();
      throw new TelegramApiError(
        `getMe failed: ${error instanceof Error ? error.message : String(error)}`,
        token,
      );
    }
    await bot.api.setMyCommands(botMessages.commands.map((c) => ({ ...c }))).catch((error: unknown) => {
      logger.warn(
        { err: sanitizeError(error, token) },
        'setMyCommands failed; the command menu may be outdated',
      );
    });
  }

  async function startWebhook(hook: { url: string; secret?: string; port: number }): Promise<void> {
    const port = options.webhookPort ?? hook.port;
    webhook = await startWebhookServer({
      path: new URL(hook.url).pathname || '/',
      port,
      secret: hook.secret,
      logger,
      accept: async (update) => {
        if (stopping) throw new Error('stopping');
        await journal.record([update]);
        void dispatch(update);
      },
    }).catch((error: unknown) => {
      const code = (error as { code?: unknown }).code;
      throw new TelegramWebhookError(
        `webhook server could not listen on 127.0.0.1:${port}: ${String(code ?? error)}`,
        code === 'EADDRINUSE' ? botMessages.webhookPortTaken(port) : botMessages.webhookPortFailed(port),
      );
    });
    try {
      await bot.api.setWebhook(hook.url, {
        ...(hook.secret ? { secret_token: hook.secret } : {}),
        allowed_updates: [...ALLOWED_UPDATES],
        drop_pending_updates: false,
      });
    } catch (error) {
      if (!(error instanceof GrammyError))
        throw new TelegramApiError(`setWebhook failed: ${String(error)}`, token);
      throw new TelegramWebhookError(
        `setWebhook refused: ${error.description}`,
        botMessages.webhookRefused(error.description),
      );
    }
    logger.info({ port: webhook.port }, 'telegram webhook listening');
  }

  function startPolling(): void {
    runner = run(bot, {
      runner: {
        fetch: { timeout: options.pollingTimeoutSeconds ?? 30, allowed_updates: [...ALLOWED_UPDATES] },
        silent: true,
      },
      sink: { concurrency: 200 },
    });
    const task = runner.task();
    task?.catch((error: unknown) => {
      const hint =
        error instanceof GrammyError && error.error_code === 409
          ? 'another process polls with this token (or a webhook is set): stop it, then restart this one'
          : error instanceof GrammyError && error.error_code === 401
            ? 'the bot token was revoked: set the new TELEGRAM_BOT_TOKEN from @BotFather'
            : undefined;
      logger.error(
        { err: sanitizeError(error, token), ...(hint ? { hint } : {}) },
        'telegram polling stopped',
      );
      if (!stopping) deps.onFailure?.('telegram', sanitizeError(error, token));
    });
    logger.info('telegram long polling started');
  }

  async function startChannel(): Promise<void> {
    stopping = false;
    await init();
    for (const update of await journal.load()) void dispatch(update);
    // Queued, not awaited: the service may notify while holding a draft's lock that an update of
    // the same chat is waiting for; the chat lock still keeps the chat's messages in order.
    unsubscribe = deps.conversations.onNotification('telegram', (n) => {
      void track(
        chatLock
          .run(n.identity.userId, () => sender.send({ chatId: Number(n.identity.userId) }, [n.view]))
          .catch((error: unknown) => {
            logger.error(
              { err: sanitizeError(error, token), kind: n.view.kind },
              'telegram notification failed',
            );
          }),
      );
    });
    if (webhookConfig) {
      await startWebhook(webhookConfig);
    } else {
      await bot.api.deleteWebhook({ drop_pending_updates: false });
      startPolling();
    }
  }

  async function stopChannel(): Promise<void> {
    stopping = true;
    unsubscribe?.();
    unsubscribe = undefined;
    if (runner) {
      const r = runner;
      runner = undefined;
      await r.stop()?.catch(() => undefined);
    }
    // The webhook stays registered: Telegram keeps what arrives meanwhile and delivers it at restart.
    if (webhook) {
      await webhook.close();
      webhook = undefined;
    }
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    await journal.flush();
    logger.info('telegram channel stopped');
  }

  return {
    name: 'telegram',
    get webhookPort() {
      return webhook?.port;
    },
    async start() {
      try {
        await startChannel();
      } catch (error) {
        // Nothing left listening or subscribed when the start fails half-way.
        await stopChannel().catch(() => undefined);
        throw error;
      }
    },
    async stop() {
      await stopChannel();
    },
  };
}
