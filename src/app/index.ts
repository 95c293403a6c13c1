/** The composition root and the channel contracts. */
export {
  createApp,
  TERMINAL_IDENTITY,
  DEMO_ACCOUNT_NAME,
  NoChorusAccountError,
  type App,
  type CreateAppOptions,
} from './create-app.js';
export { createChannels, type ChannelDeps } from './channels.js';
export type { Channel, ChannelStateStore } from './channel.js';
