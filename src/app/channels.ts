import type { Config } from '../config/schema.js';
import type { ConversationService } from '../machine/conversation-port.js';
import type { Logger } from '../shared/logger.js';
import type { Channel, ChannelStateStore } from './channel.js';

export interface ChannelDeps {
  config: Config;
  conversations: ConversationService;
  logger: Logger;
  /** Durable state of the channels (namespaced per channel). */
  channelState: ChannelStateStore;
}

/**
 * The channels `facteur start` runs, each enabled by its part of the configuration.
 * Telegram (src/bot/) and e-mail (src/mail/) add their line here.
 */
export async function createChannels(deps: ChannelDeps): Promise<Channel[]> {
  const channels: Channel[] = [];
  void deps;
  if (deps.config.telegram) {
    // Loaded only when configured: commands without Telegram do not pay for grammY.
    const { createTelegramChannel } = await import('../bot/index.js');
    channels.push(createTelegramChannel(deps));
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
      }),
    );
  }
  return channels;
}
