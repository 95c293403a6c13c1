import type { Config } from '../config/schema.js';
import type { FollowUpService } from '../deposit/follow-up-port.js';
import type { ChorusCredentials } from '../deposit/port.js';
import type { Deliver } from '../followup/dispatcher.js';
import { createFollowUpEngine, type FollowUpEngine } from '../followup/engine.js';
import type { ChannelKind } from '../machine/conversation-port.js';
import type { Clock } from '../machine/service.js';
import type { Logger } from '../shared/logger.js';
import type { Metrics } from '../shared/metrics.js';
import type { Store } from '../store/types.js';
import type { Channel } from './channel.js';

/**
 * The app's follow-up after deposit: polls Chorus Pro on the configured schedule in the name of
 * this instance, and sends each status change on the channel where its draft started, when that
 * channel runs here.
 */
export function createAppFollowUp(deps: {
  config: Config;
  store: Store;
  service: FollowUpService;
  credentials: (accountId: string) => Promise<ChorusCredentials>;
  logger: Logger;
  clock: Clock;
  instanceId: string;
  channels: Channel[];
  metrics: Metrics;
}): FollowUpEngine {
  const { config, channels } = deps;
  return createFollowUpEngine({
    store: deps.store,
    service: deps.service,
    credentials: deps.credentials,
    logger: deps.logger,
    clock: deps.clock,
    owner: deps.instanceId,
    ...(config.followUp.intervalMs ? { fixedIntervalMs: config.followUp.intervalMs } : {}),
    rates: config.followUp.rates,
    deliverers: () => {
      const out: Partial<Record<ChannelKind, Deliver>> = {};
      for (const channel of channels)
        if (channel.deliver) out[channel.name as ChannelKind] = channel.deliver.bind(channel);
      return out;
    },
    onPending: (count) => deps.metrics.setPendingFollowUps(count),
  });
}
