import type { ChannelStateStore } from '../app/channel.js';
import type { Logger } from '../shared/logger.js';

const NAMESPACE = 'telegram-updates';
const RETENTION_MS = 7 * 86_400_000;

interface PrunableState extends ChannelStateStore {
  prune(namespace: string, before: Date): Promise<number>;
}

/**
 * Several instances behind one webhook (a load balancer, Telegram re-sending an update that timed
 * out to another instance): each update is claimed in the shared store before it is handled, so
 * only one instance handles it. The claim carries the instance id: the same instance handling it
 * again (after a restart, from its journal) keeps it. Claims older than 7 days are pruned
 * (Telegram keeps undelivered updates 24 h).
 */
export function createUpdateClaims(
  store: ChannelStateStore,
  botId: string,
  instanceId: string,
  logger: Logger,
) {
  let lastPrune = 0;
  async function prune(): Promise<void> {
    const prunable = store as Partial<PrunableState>;
    if (typeof prunable.prune !== 'function' || Date.now() - lastPrune < 3_600_000) return;
    lastPrune = Date.now();
    try {
      await prunable.prune.call(store, NAMESPACE, new Date(Date.now() - RETENTION_MS));
    } catch (err) {
      logger.warn({ err }, 'old telegram update claims not pruned');
    }
  }
  return {
    /** True when this instance is the one to handle the update. */
    async take(updateId: number): Promise<boolean> {
      void prune();
      const key = `${botId}:${updateId}`;
      if (await store.claim(NAMESPACE, key, instanceId)) return true;
      const owner = await store.get<string>(NAMESPACE, key);
      if (owner === instanceId) return true;
      logger.info({ updateId }, 'update handled by another instance');
      return false;
    },
  };
}
