import type { Config } from '../config/schema.js';
import { createChorusClientFactory, createDepositService, createFollowUpService } from '../deposit/index.js';
import { createRecognizer, withReportCache } from '../recognition/index.js';
import { createLogger } from '../shared/logger.js';
import { noopMetrics } from '../shared/metrics.js';
import { createStore } from '../store/index.js';
import { createAppConversations, stopConversations } from './app-conversations.js';
import { createAppFollowUp } from './app-follow-up.js';
import type { App, CreateAppOptions } from './app-port.js';
import { accountCredentials } from './chorus-account.js';
import { resolveChorusInstallation } from './chorus-installation.js';
import { createChannels } from './channels.js';
import { createChorusWatch, storeHealth } from './component-health.js';
import { ensureDemoAccount } from './demo-account.js';
import { healthReport, type HealthReport } from './health.js';
import { startOpsServer, type OpsServer } from './http-server.js';
import { loadInstanceId } from './instance-id.js';
import { instrumentDeposit } from './instrument.js';
import { createPrometheusMetrics, type PrometheusMetrics } from './prometheus-metrics.js';

/**
 * The one composition root: builds every part of Facteur from the configuration, in dependency
 * order, and tears them down in reverse. Nothing else reads the environment.
 */

export type { App, CreateAppOptions } from './app-port.js';

/** The terminal's identity: the one local user of `facteur chat`. */
export { DEMO_ACCOUNT_NAME, TERMINAL_IDENTITY } from './demo-account.js';

export { NoChorusAccountError } from './chorus-account.js';

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

    const credentials = accountCredentials(store, fallback);
    const conversations = createAppConversations({
      config,
      store,
      recognizer,
      deposit,
      followUpService,
      credentials,
      metrics,
      logger,
      clock,
      submitRetryDelayMs: options.submitRetryDelayMs,
      ...(options.facturxOut ? { facturxOut: options.facturxOut } : {}),
    });
    cleanup.push(() => stopConversations(conversations, logger));

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
    const followUp = createAppFollowUp({
      config,
      store,
      service: followUpService,
      credentials,
      logger,
      clock,
      instanceId,
      channels,
      metrics,
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
        // The recognition workers load and compile while the rest starts (in the background, at low
        // priority): the first documents after a start then cost what later ones do.
        void engine.warmUp?.();
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
