import { sequentialize } from '@grammyjs/runner';
import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Channel } from '../app/channel.js';
import type { ChannelDeps } from '../app/channels.js';
import { createDependencyWatch } from '../app/dependency-watch.js';
import { createKeyedLock } from '../machine/keyed-lock.js';
import { ConfigError } from '../shared/errors.js';
import { noopMetrics } from '../shared/metrics.js';
import { settlesWithin, withTimeout } from '../shared/timeouts.js';
import { downloadTelegramFile } from './download.js';
import { MessageSlots } from './message-slots.js';
import { botMessages } from './messages.js';
import { RateLimiter, type RateLimitRule } from './rate-limit.js';
import { ReportPriority } from './report-priority.js';
import { telegramFetch } from './telegram-fetch.js';
import { sanitizeError } from './redact.js';
import { Semaphore } from './semaphore.js';
import { createUpdateHandler } from './update-handler.js';
import { UpdateJournal } from './update-journal.js';
import { ViewSender } from './view-sender.js';
import { configureTelegramApi } from './telegram-api.js';
import type { ThrottleLimits } from './throttle.js';
import { createUpdateClaims } from './update-claims.js';
import { createTelegramTransport } from './telegram-transport.js';

const DEFAULT_API_ROOT = 'https://api.telegram.org';
/** Previews waiting for their turn (a 200-user burst's all fit), and how long one may wait. */
const MAX_PREVIEWS_WAITING = 256;
const PREVIEW_MAX_WAIT_MS = 60_000;

export interface TelegramChannelOptions {
  /** Long-polling timeout of getUpdates, in seconds (default 30). */
  pollingTimeoutSeconds?: number;
  /** Per-user limits; defaults: 20 messages at once then 30 a minute, 10 files at once then 20 a minute. */
  rateLimits?: { messages?: RateLimitRule; files?: RateLimitRule };
  /**
   * PDFs downloaded and analysed at once (default 16), and their summed size (default 48 MB); the
   * others wait their turn after « Analyse… ». Measured on two cores, 24 or 32 at once gave no
   * shorter burst (the cores are the limit) and a higher peak of memory.
   */
  maxConcurrentFiles?: number;
  maxConcurrentFileBytes?: number;
  /** Webhook listening port, overriding the configuration (0: random, for tests). */
  webhookPort?: number;
  /** How long `stop()` lets the updates in hand finish before abandoning them (default 4 s). */
  stopGraceMs?: number;
  /** Backoff of the calls while Telegram is unreachable (default 1 s doubling to 60 s). */
  backoff?: { initialMs: number; maxMs: number };
  /** Outgoing rate limits (default: Telegram's, see throttle.ts); false turns them off (benches). */
  throttle?: false | Partial<ThrottleLimits>;
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

  const metrics = deps.metrics ?? noopMetrics;
  const pollingTimeout = options.pollingTimeoutSeconds ?? 30;
  const bot = new Bot(token, {
    client: { apiRoot, timeoutSeconds: pollingTimeout + 30, fetch: telegramFetch },
  });
  const botId = token.split(':')[0] ?? '0';
  // Several instances behind one webhook each keep their own journal; each update is claimed once.
  const shared = webhookConfig !== undefined && deps.instanceId !== undefined;
  const journalKey = shared ? `journal:${botId}:${deps.instanceId}` : `journal:${botId}`;
  const journal = new UpdateJournal(deps.channelState, journalKey, logger);
  const claims = shared
    ? createUpdateClaims(deps.channelState, botId, deps.instanceId ?? '', logger)
    : undefined;
  const reachability = createDependencyWatch({ name: 'telegram', logger });
  /** Aborted when the stop gives up on the work in hand; `connecting` ends the start-up loop. */
  let giveUp = new AbortController();
  let connecting = new AbortController();
  // Later steps wait while documents queue for analysis, then go one at a time (ReportPriority).
  // The backlog counts the documents being analysed too: a preview drawn meanwhile holds the
  // recognition worker 40–60 ms, the time of several first reports' recognitions.
  const priority = new ReportPriority({ backlog: () => files.waiting + files.running });
  configureTelegramApi(bot.api, {
    pollingTimeoutSeconds: pollingTimeout,
    throttle:
      options.throttle ??
      (config.maxMessagesPerSecond ? { globalPerSecond: config.maxMessagesPerSecond } : {}),
    urgent: (chatId) => priority.isUrgent(chatId),
    record: (updates) => journal.record(updates),
    watch: reachability,
    metrics,
    stop: () => giveUp.signal,
    backoff: options.backoff,
  });

  const files = new Semaphore(
    options.maxConcurrentFiles ?? 16,
    options.maxConcurrentFileBytes ?? 48 * 1024 * 1024,
  );
  // Previews drawn (and stored) two at a time: after a burst, hundreds of them must not flood the
  // event loop and the file system's thread pool ahead of the next user's document.
  const previews = new Semaphore(2);
  const slots = new MessageSlots(deps.channelState);
  const sender = new ViewSender(bot.api, slots, logger, metrics);
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
    files,
    priority,
    logger,
    token,
    followUp: (chatId, next) => {
      // The drawing is not waited for at stop (the preview is a nicety); its sending is. It gives
      // way to the documents waiting for their reports: previews never delay other users' reports.
      // Bounded like the pool's own queue: each waiting preview holds its PDF.
      if (previews.waiting >= MAX_PREVIEWS_WAITING) {
        logger.debug({ chatId }, 'preview skipped: too many waiting');
        return;
      }
      const queuedAt = Date.now();
      void previews
        .run(() =>
          priority.runLow(async () =>
            stopping || Date.now() - queuedAt > PREVIEW_MAX_WAIT_MS ? [] : next(),
          ),
        )
        .then((views) => {
          if (views.length === 0 || stopping) return;
          return track(chatLock.run(String(chatId), () => sender.send({ chatId }, views))).catch(
            (error: unknown) => {
              metrics.channelError('telegram', 'send');
              logger.warn({ err: sanitizeError(error, token), chatId }, 'telegram preview not sent');
            },
          );
        });
    },
  });
  metrics.observeQueue('telegram-files', () => files.waiting);
  const inFlight = new Set<Promise<unknown>>();
  metrics.observeQueue('telegram-updates', () => inFlight.size);
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
    if (claims && !(await claims.take(id))) {
      journal.markDone(id); // another instance has it
      return;
    }
    await handleUpdate(ctx.update);
    journal.markDone(id);
  });
  bot.catch((error) => {
    metrics.channelError('telegram', 'update');
    logger.error(
      { err: sanitizeError(error.error, token), updateId: error.ctx.update.update_id },
      'telegram middleware error',
    );
  });

  let unsubscribe: (() => void) | undefined;
  let stopping = false;

  const dispatch = (update: Update) =>
    track(
      bot.handleUpdate(update).catch((error: unknown) => {
        metrics.channelError('telegram', 'update');
        logger.error(
          { err: sanitizeError(error, token), updateId: update.update_id },
          'telegram update failed',
        );
      }),
    );
  const transport = createTelegramTransport({
    bot,
    token,
    journal,
    logger,
    metrics,
    pollingTimeoutSeconds: pollingTimeout,
    ...(webhookConfig ? { webhook: webhookConfig } : {}),
    ...(options.webhookPort !== undefined ? { webhookPort: options.webhookPort } : {}),
    dispatch: (update) => void dispatch(update),
    stopping: () => stopping,
    ...(deps.onFailure ? { onFailure: deps.onFailure } : {}),
  });

  async function startChannel(): Promise<void> {
    stopping = false;
    giveUp = new AbortController();
    connecting = new AbortController();
    // Queued, not awaited: the service may notify while holding a draft's lock that an update of
    // the same chat is waiting for; the chat lock still keeps the chat's messages in order.
    unsubscribe = deps.conversations.onNotification('telegram', (n) => {
      void track(
        chatLock
          .run(n.identity.userId, () => sender.send({ chatId: Number(n.identity.userId) }, [n.view]))
          .catch((error: unknown) => {
            metrics.channelError('telegram', 'send');
            logger.error(
              { err: sanitizeError(error, token), kind: n.view.kind },
              'telegram notification failed',
            );
          }),
      );
    });
    // The first failure to reach Telegram ends the wait: the start goes on, the connection is
    // retried in the background (warnings with the next retry) and /healthz says « down ».
    const connected = transport.connect(connecting.signal);
    const unreachable = new Promise<'down'>((resolve) => {
      const check = setInterval(() => {
        if (reachability.health().state === 'down' || stopping) {
          clearInterval(check);
          resolve('down');
        }
      }, 100);
      void connected.finally(() => clearInterval(check)).catch(() => undefined);
    });
    if ((await Promise.race([connected, unreachable])) === 'down') {
      connected.catch((error: unknown) => {
        if (stopping) return;
        logger.error({ err: sanitizeError(error, token) }, 'telegram channel could not start');
        deps.onFailure?.('telegram', sanitizeError(error, token));
      });
    }
  }

  async function stopChannel(): Promise<void> {
    stopping = true;
    priority.release();
    connecting.abort();
    unsubscribe?.();
    unsubscribe = undefined;
    await transport.close();
    const grace = options.stopGraceMs ?? 4_000;
    if (!(await settlesWithin(Promise.allSettled([...inFlight]), grace))) {
      // Telegram (or Chorus Pro behind a conversation) does not answer: the updates in hand stay
      // in the journal and are handled again at the next start.
      logger.warn(
        { updates: inFlight.size, graceMs: grace },
        'updates still in hand after the grace period; leaving them for the next start',
      );
      giveUp.abort();
      await settlesWithin(Promise.allSettled([...inFlight]), 1_000);
    }
    await withTimeout(journal.flush(), 2_000).catch((error: unknown) =>
      logger.warn({ err: error }, 'telegram journal not flushed'),
    );
    logger.info('telegram channel stopped');
  }

  return {
    name: 'telegram',
    health: () => reachability.health(),
    /** A follow-up notification: sent in the chat's order; rejects when Telegram did not take it. */
    deliver: (identity, view) =>
      chatLock.run(identity.userId, () => sender.send({ chatId: Number(identity.userId) }, [view])),
    get webhookPort() {
      return transport.webhookPort;
    },
    async start() {
      try {
        await startChannel();
      } catch (error) {
        if (stopping) return; // stopped while starting: nothing failed
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
