/**
 * The e-mail channel: the mailbox watcher, the message handler and the SMTP answers, wired from
 * `config.mail`. `createChannels` (src/app/channels.ts) creates it when the config has a mail part.
 */
import type { Channel, ChannelStateStore } from '../app/channel.js';
import type { Config } from '../config/schema.js';
import type { ConversationService, Notification } from '../machine/conversation-port.js';
import { createDependencyWatch } from '../app/dependency-watch.js';
import type { Logger } from '../shared/logger.js';
import { noopMetrics, type Metrics } from '../shared/metrics.js';
import { createMailHandler } from './handle-message.js';
import { createMailer, type Mailer } from './mailer.js';
import { createReplySender } from './reply-sender.js';
import { createThreadState } from './thread-state.js';
import { createMailboxWatcher } from './watcher.js';
import type { WatcherEvent, WatcherOptions } from './watcher-options.js';

export type MailConfig = NonNullable<Config['mail']>;

/**
 * How long the channel's records are kept (handled UIDs, Message-IDs, threads). Well past the
 * draft expiry (30 days by default): a thread older than this has no live draft any more.
 */
export const MAIL_STATE_RETENTION_MS = 90 * 86_400_000;
const PRUNE_EVERY_MS = 86_400_000;

interface PrunableState extends ChannelStateStore {
  prune(namespace: string, before: Date): Promise<number>;
}
const isPrunable = (s: ChannelStateStore): s is PrunableState =>
  typeof (s as Partial<PrunableState>).prune === 'function';

export interface MailChannelDeps {
  mail: MailConfig;
  conversations: ConversationService;
  channelState: ChannelStateStore;
  logger: Logger;
  /** Replaces the SMTP transport (benchmarks); defaults to nodemailer on `mail.smtpUrl`. */
  mailer?: Mailer;
  /** Watcher tuning for tests (backoff, batch size) and its events. */
  watcher?: Pick<WatcherOptions, 'backoff' | 'batchSize' | 'folders' | 'maxMessageBytes'>;
  onEvent?: (event: WatcherEvent) => void;
  metrics?: Metrics;
  /** This instance's stable id: messages are leased by it (several instances on one mailbox). */
  instanceId?: string;
}

/** `Facteur <facteur@example.com>` → `facteur@example.com`. */
export function bareAddress(from: string): string {
  const m = /<([^>]+)>/.exec(from);
  return (m?.[1] ?? from).trim().toLowerCase();
}

export function createMailChannel(deps: MailChannelDeps): Channel {
  const logger = deps.logger.child({ component: 'mail' });
  const fromAddress = bareAddress(deps.mail.from);
  const mailer =
    deps.mailer ??
    createMailer({
      smtpUrl: deps.mail.smtpUrl,
      accessToken: deps.mail.smtpAccessToken,
      from: deps.mail.from,
    });
  const state = createThreadState(deps.channelState);
  const replies = createReplySender({ mailer, state, fromAddress });
  const handler = createMailHandler({
    conversations: deps.conversations,
    state,
    replies,
    fromAddress,
    auth: { policy: deps.mail.auth, authservId: deps.mail.authservId },
    logger,
    metrics: deps.metrics,
  });
  const metrics = deps.metrics ?? noopMetrics;
  // The watcher logs its own warnings (with the next retry); this only keeps the state for /healthz.
  const reachability = createDependencyWatch({ name: 'email', logger, quiet: true });
  const watcher = createMailboxWatcher({
    imap: deps.mail.imap,
    state,
    handler,
    logger,
    rescanIntervalMs: deps.mail.rescanIntervalMs,
    holder: deps.instanceId,
    ...deps.watcher,
    onEvent: (event) => {
      if (event.type === 'connected') reachability.succeeded();
      if (event.type === 'disconnected') {
        reachability.failed(event.error ?? new Error('connection closed'), event.retryInMs);
        metrics.channelError('email', 'connection');
      }
      deps.onEvent?.(event);
    },
  });
  metrics.observeQueue('mail', () => watcher.backlog());
  let unsubscribe: (() => void) | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;

  async function prune(): Promise<void> {
    if (!isPrunable(deps.channelState)) return;
    try {
      const removed = await deps.channelState.prune('mail', new Date(Date.now() - MAIL_STATE_RETENTION_MS));
      if (removed > 0) logger.info({ removed }, 'old mail records pruned');
    } catch (err) {
      logger.warn({ err }, 'mail records not pruned');
    }
  }
  const pending = new Set<Promise<unknown>>();

  async function onNotification(n: Notification): Promise<void> {
    try {
      await replies.notify(n.identity.userId, n.view);
    } catch (err) {
      metrics.channelError('email', 'send');
      logger.error({ err, draftId: n.view.draftId, kind: n.view.kind }, 'notification e-mail not sent');
    }
  }

  return {
    name: 'email',
    health: () => reachability.health(),
    /** A follow-up notification: a reply in the invoice's thread, Message-ID derived from `key`. */
    async deliver(identity, view, key) {
      await replies.notify(identity.userId, view, key);
    },
    async start() {
      unsubscribe = deps.conversations.onNotification('email', (n) => {
        const p = onNotification(n);
        pending.add(p);
        void p.finally(() => pending.delete(p));
        return p;
      });
      try {
        await watcher.start();
      } catch (error) {
        unsubscribe();
        mailer.close();
        throw error;
      }
      void prune();
      pruneTimer = setInterval(() => void prune(), PRUNE_EVERY_MS);
      pruneTimer.unref();
    },
    async stop() {
      clearInterval(pruneTimer);
      unsubscribe?.();
      await watcher.stop();
      await Promise.allSettled([...pending]);
      mailer.close();
    },
  };
}
