import type { TelegramChannelOptions } from '../bot/telegram-channel.js';
import type { Config } from '../config/schema.js';
import type { RunningSimulator } from '../deposit/index.js';
import type { FollowUpService } from '../deposit/follow-up-port.js';
import type { DepositService } from '../deposit/port.js';
import type { FollowUpEngine } from '../followup/engine.js';
import type { FacturxOutPort } from '../machine/facturx-out-service.js';
import type { Clock, RunningConversationService } from '../machine/service.js';
import type { Recognizer } from '../recognition/types.js';
import type { Logger } from '../shared/logger.js';
import type { Metrics } from '../shared/metrics.js';
import type { Store } from '../store/types.js';
import type { Channel } from './channel.js';
import type { DependencyWatch } from './dependency-watch.js';
import type { HealthReport } from './health.js';
import type { OpsServer } from './http-server.js';

/** What `createApp` builds (what the CLI commands and the tests hold) and how it is tuned. */

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
