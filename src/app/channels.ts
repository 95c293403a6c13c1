import type { Config } from '../config/schema.js';
import type { ConversationService } from '../machine/conversation-port.js';
import type { Logger } from '../shared/logger.js';
import type { Metrics } from '../shared/metrics.js';
import type { TelegramChannelOptions } from '../bot/telegram-channel.js';
import type { Channel, ChannelStateStore } from './channel.js';

export interface ChannelDeps {
  config: Config;
  conversations: ConversationService;
  logger: Logger;
  /** Durable state of the channels (namespaced per channel). */
  channelState: ChannelStateStore;
  /**
   * Called when a channel stops for good on its own (revoked bot token, another process polling
   * with the same token): `facteur start` then stops with exit code 1, so that a supervisor
   * restarts it or alerts, instead of running on silently without that channel.
   */
  onFailure?: (channel: string, error: unknown) => void;
  /** Where the channel reports errors, queue depths and first-report latencies (default: nowhere). */
  metrics?: Metrics;
  /** This instance's stable id (see `loadInstanceId`): leases work shared with other instances. */
  instanceId?: string;
  /** Telegram channel tuning (tests, benchmarks): see `TelegramChannelOptions`. */
  telegram?: TelegramChannelOptions;
}

/**
 * The channels `facteur start` runs, each enabled by its part of the configuration.
 * Telegram (src/bot/) and e-mail (src/mail/) add their line here.
 */
export async function createChannels(deps: ChannelDeps): Promise<Channel[]> {
  const channels: Channel[] = [];
  if (deps.config.telegram) {
    // Loaded only when configured: commands without Telegram do not pay for grammY.
    const { createTelegramChannel } = await import('../bot/index.js');
    channels.push(createTelegramChannel({ ...deps, options: deps.telegram }));
  }
  if (deps.config.mail) {
    // Loaded only when configured: commands without e-mail do not pay for imapflow and nodemailer.
    const { createMailChannel } = await import('../mail/index.js');
    channels.push(
      createMailChannel({
        mail: deps.config.mail,
        conversations: deps.conversations,
        channelState: deps.channelState,
        logger: deps.logger,
        metrics: deps.metrics,
        instanceId: deps.instanceId,
      }),
    );
  }
  return channels;
}
