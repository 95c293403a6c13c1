import type { Logger } from '../shared/logger.js';
import type { IdentityKey } from '../store/types.js';
import type { ChannelKind, Notification } from './conversation-port.js';
import type { View } from './view.js';

type Listener = (n: Notification) => Promise<void> | void;

/**
 * The channels listening for views nobody asked for (reminders, expiry, a submit settled after a
 * restart). A listener that fails is logged and the others still get the view.
 */
export function createNotificationHub(logger: Logger) {
  const listeners = new Map<ChannelKind, Set<Listener>>();

  return {
    /** Sends the view to every listener of the identity's channel; false when none listens. */
    async notify(identity: IdentityKey, view: View): Promise<boolean> {
      const set = listeners.get(identity.channel);
      if (!set || set.size === 0) return false;
      for (const listener of set) {
        try {
          await listener({ identity, view });
        } catch (error) {
          logger.error({ err: error, channel: identity.channel }, 'notification listener failed');
        }
      }
      return true;
    },

    hasListener: (channel: ChannelKind): boolean => (listeners.get(channel)?.size ?? 0) > 0,

    /** Adds a listener; the function returned removes it. */
    listen(channel: ChannelKind, listener: Listener): () => void {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
