import type { FacturxOutPort } from '../machine/facturx-out-service.js';
import type { Config } from '../config/schema.js';
import {
  createChorusClientFactory,
  createDepositService,
  createFollowUpService,
  type RunningSimulator,
} from '../deposit/index.js';
import type { DepositService } from '../deposit/port.js';
import type { FollowUpService } from '../deposit/follow-up-port.js';
import { createFollowUpEngine, type FollowUpEngine } from '../followup/engine.js';
import type { ChannelKind } from '../machine/conversation-port.js';
import type { Deliver } from '../followup/dispatcher.js';
import { reminderLines } from '../followup/reminder.js';
import {
  createConversationService,
  type Clock,
  type RunningConversationService,
} from '../machine/service.js';
import { createRecognizer, withReportCache } from '../recognition/index.js';
import type { Recognizer } from '../recognition/types.js';
import { FacteurError } from '../shared/errors.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { noopMetrics, type Metrics } from '../shared/metrics.js';
import { settlesWithin } from '../shared/timeouts.js';
import { createStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import type { TelegramChannelOptions } from '../bot/telegram-channel.js';
import type { Channel } from './channel.js';
import { resolveChorusInstallation } from './chorus-installation.js';
import { ensureDemoAccount } from './demo-account.js';
import { createChannels } from './channels.js';
import { createChorusWatch, storeHealth } from './component-health.js';
import type { DependencyWatch } from './dependency-watch.js';
import { healthReport, type HealthReport } from './health.js';
import { startOpsServer, type OpsServer } from './http-server.js';
import { loadInstanceId } from './instance-id.js';
import { instrumentDeposit, instrumentRecognizer } from './instrument.js';
import { createPrometheusMetrics, type PrometheusMetrics } from './prometheus-metrics.js';

/**
 * The one composition root: builds every part of Facteur from the configuration, in dependency
 * order, and tears them down in reverse. Nothing else reads the environment.
 */

export interface App {
  config: Config;
  logger: Logger;
  store: Store;
  recognizer: Recognizer;
  deposit: DepositService;
  /** After the deposit: changed-invoice search, history, completer, recycler, attachments. */
  followUpService: FollowUpService;
  /** Polls Chorus Pro for status changes and sends their notifications (started by `start()`). */
  followUp: FollowUpEngine;
  conversations: RunningConversationService;
  /** The embedded Chorus Pro simulator (simulator mode without CHORUS_API_URL). */
  simulator?: RunningSimulator;
  channels: Channel[];
  /** What the parts report for monitoring (Prometheus when FACTEUR_HTTP_PORT is set). */
  metrics: Metrics;
  /** Reachability of Chorus Pro, probed in the background once started. */
  chorusWatch: DependencyWatch;
  /** Each channel, the store and Chorus Pro with their state (`GET /healthz`). */
  health(): Promise<HealthReport>;
  /** The /healthz + /metrics endpoint, once started (FACTEUR_HTTP_PORT). */
  readonly opsServer: OpsServer | undefined;
  /** Resolves submits left in flight, starts reminders and the channels. */
  start(): Promise<void>;
  /** Stops the channels (they finish the update in hand), the service, then closes everything. Safe twice. */
  stop(): Promise<void>;
}

export interface CreateAppOptions {
  logger?: Logger;
  clock?: Clock;
  /** A recognizer to share (tests); closed by its owner, not by `stop()`. */
  recognizer?: Recognizer;
  /** Build the channels of `createChannels` (default true; `facteur chat` runs only the terminal). */
  withChannels?: boolean;
  /** First automatic submit retry delay (ms). */
  submitRetryDelayMs?: number;
  /** Deposit service tuning (tests shorten the searches made after an unknown submit outcome). */
  deposit?: { lookupDelayMs?: number; lookupAttempts?: number; maxSubmitAttempts?: number };
  /** A channel stopped for good on its own (see `ChannelDeps.onFailure`). */
  onChannelFailure?: (channel: string, error: unknown) => void;
  /** Metrics to report to (default: Prometheus when `config.http` is set, else nothing). */
  metrics?: Metrics;
  /** Telegram channel tuning (tests and benchmarks: rate limits, grace periods). */
  telegram?: TelegramChannelOptions;
  /** Run the follow-up poller in `start()` (default true; `facteur chat` only shows notifications). */
  withFollowUp?: boolean;
  /** The Factur-X maker of the conversation (default the real producer). */
  facturxOut?: FacturxOutPort;
}

/** How long the stop waits for conversation events in hand once the channels stopped. */
const CONVERSATIONS_STOP_GRACE_MS = 1_000;

/** The terminal's identity: the one local user of `facteur chat`. */
export { DEMO_ACCOUNT_NAME, TERMINAL_IDENTITY } from './demo-account.js';

export class NoChorusAccountError extends FacteurError {
  readonly code = 'chorus-account-missing';
  constructor() {
    super(
      'no Chorus technical account configured for this account',
      'Aucun compte technique Chorus Pro n’est configuré pour votre compte Facteur : ajoutez-le avec « facteur accounts add --chorus-login … » ou CHORUS_TECH_LOGIN/CHORUS_TECH_PASSWORD.',
    );
  }
}

export async function createApp(config: Config, options: CreateAppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? { now: () => new Date() };
  const prometheus: PrometheusMetrics | undefined =
    options.metrics || !config.http ? undefined : createPrometheusMetrics();
  const metrics = options.metrics ?? prometheus ?? noopMetrics;
  const cleanup: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const fn of cleanup.reverse()) {
      await fn().catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
    }
    cleanup.length = 0;
  };

  try {
    const store = await createStore({
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      secretKey: config.secretKey,
      logger,
      now: () => clock.now(),
    });
    cleanup.push(() => store.close());

    const engine = options.recognizer ?? createRecognizer({ logger });
    if (!options.recognizer) cleanup.push(() => engine.close());
    // One reading per document: the embedded simulator's `deposer/pdf` gets the report the
    // conversation's recognition made of the same bytes (or is making), not a second reading.
    const recognizer = withReportCache(engine);

    const chorus = await resolveChorusInstallation({
      config,
      recognizer,
      logger,
      now: () => clock.now(),
    });
    const simulator = chorus.simulator;
    if (simulator) cleanup.push(() => simulator.stop());

    const chorusWatch = createChorusWatch({ apiUrl: chorus.apiUrl, logger });
    cleanup.push(async () => chorusWatch.stop());
    const chorusClientFor = createChorusClientFactory({
      apiUrl: chorus.apiUrl,
      oauthUrl: chorus.oauthUrl,
      clientId: chorus.clientId,
      clientSecret: chorus.clientSecret,
      logger,
    });
    const followUpService = createFollowUpService({ clientFor: chorusClientFor, logger });
    const deposit = instrumentDeposit(
      createDepositService({
        clientFor: chorusClientFor,
        logger,
        now: () => clock.now(),
        ...options.deposit,
      }),
      metrics,
      chorusWatch,
    );

    const fallback = chorus.fallback;
    if (chorus.env === 'simulator') await ensureDemoAccount(store, logger, fallback);

    const credentials = async (accountId: string) => {
      const own = await store.accounts.credentials(accountId);
      const creds = own ?? fallback;
      if (!creds) throw new NoChorusAccountError();
      return creds;
    };
    const conversations = createConversationService({
      store,
      // The simulator keeps the bare recognizer: only users' documents are counted.
      recognizer: instrumentRecognizer(recognizer, metrics),
      deposit,
      logger,
      clock,
      draftReminderAfterMs: config.draftReminderAfterMs,
      draftExpireAfterMs: config.draftExpireAfterMs,
      submitRetryDelayMs: options.submitRetryDelayMs,
      ...(options.facturxOut ? { facturxOut: options.facturxOut } : {}),
      afterDeposit: {
        addAttachment: (creds, file) => followUpService.addAttachment(creds, file),
        complete: (creds, request) => followUpService.complete(creds, request),
        recycle: (creds, request) => followUpService.recycle(creds, request),
        reminder: (accountId, chorusInvoiceId) =>
          reminderLines(
            { followUps: store.followUps, clock: () => clock.now(), rates: config.followUp.rates },
            accountId,
            chorusInvoiceId,
          ),
      },
      credentials,
    });
    cleanup.push(async () => {
      // Events still waiting on Chorus Pro are saved as they go; a restart resumes them.
      if (!(await settlesWithin(conversations.stop(), CONVERSATIONS_STOP_GRACE_MS)))
        logger.warn(
          { graceMs: CONVERSATIONS_STOP_GRACE_MS },
          'conversation events still in hand at stop; they resume at the next start',
        );
    });

    const instanceId = await loadInstanceId(config.dataDir);
    const channels =
      options.withChannels === false
        ? []
        : await createChannels({
            config,
            conversations,
            logger,
            channelState: store.channelState,
            onFailure: options.onChannelFailure,
            metrics,
            instanceId,
            telegram: options.telegram,
          });

    async function health(): Promise<HealthReport> {
      const components: HealthReport['components'] = {};
      for (const channel of channels) {
        components[channel.name] = channel.health?.() ?? { state: 'up', since: startedAt };
      }
      components.store = await storeHealth(store);
      components['chorus-pro'] = chorusWatch.health();
      return healthReport(components);
    }
    const followUp = createFollowUpEngine({
      store,
      service: followUpService,
      credentials,
      logger,
      clock,
      owner: instanceId,
      ...(config.followUp.intervalMs ? { fixedIntervalMs: config.followUp.intervalMs } : {}),
      rates: config.followUp.rates,
      // Each status change goes out on the channel where its draft started, when it runs here.
      deliverers: () => {
        const out: Partial<Record<ChannelKind, Deliver>> = {};
        for (const channel of channels)
          if (channel.deliver) out[channel.name as ChannelKind] = channel.deliver.bind(channel);
        return out;
      },
      onPending: (count) => metrics.setPendingFollowUps(count),
    });

    let opsServer: OpsServer | undefined;
    const startedAt = clock.now().toISOString();

    let started = false;
    let stopping: Promise<void> | undefined;
    return {
      config,
      logger,
      store,
      recognizer,
      deposit,
      followUpService,
      followUp,
      conversations,
      simulator,
      channels,
      metrics,
      chorusWatch,
      health,
      get opsServer() {
        return opsServer;
      },
      async start() {
        if (started) return;
        started = true;
        // A stop may come while this start waits on a dependency: each step checks before going on.
        const abandoned = () => stopping !== undefined;
        // The ops endpoint comes first: a supervisor sees « starting » while the rest comes up.
        if (config.http) {
          const server = await startOpsServer({
            ...config.http,
            health,
            metrics: prometheus ?? { render: async () => '', contentType: 'text/plain' },
            logger,
          });
          if (abandoned()) return server.close();
          opsServer = server;
          cleanup.push(() => server.close());
          logger.info({ url: `${server.url}/healthz` }, 'health and metrics endpoint listening');
        }
        chorusWatch.start();
        await conversations.start();
        if (abandoned()) return;
        // Registered before they start: a stop during a slow start still stops them. Started side
        // by side: a mailbox slow to answer does not hold Telegram back.
        cleanup.push(async () => {
          await Promise.all(channels.map((channel) => channel.stop()));
        });
        await Promise.all(
          channels.map(async (channel) => {
            await channel.start();
            if (!abandoned()) logger.info({ channel: channel.name }, 'channel started');
          }),
        );
        if (abandoned()) return;
        if (options.withFollowUp !== false) {
          // Registered last, so stopped first: no notification is claimed once the channels stop.
          followUp.start();
          cleanup.push(() => followUp.stop());
        }
        logger.info(
          { chorus: chorus.env, store: store.kind, channels: channels.map((c) => c.name) },
          'facteur started',
        );
      },
      stop() {
        stopping ??= closeAll().then(() => logger.info('facteur stopped'));
        return stopping;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
