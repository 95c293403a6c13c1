/** The Telegram channel (grammY): translation between Telegram and the conversation, nothing else. */
export {
  createTelegramChannel,
  type TelegramChannel,
  type TelegramChannelDeps,
  type TelegramChannelOptions,
} from './telegram-channel.js';
export { getBotUsername, type BotInfoOptions } from './bot-info.js';
export {
  TelegramApiError,
  TelegramDownloadError,
  TelegramFileTooBigError,
  TelegramTokenError,
  TelegramWebhookError,
} from './errors.js';
export { TELEGRAM_DOWNLOAD_LIMIT } from './download.js';
export {
  encodeCallbackData,
  decodeCallbackData,
  MAX_CALLBACK_BYTES,
  type ButtonPress,
} from './callback-data.js';
export { renderView, renderText, renderKeyboard, slotOf, type RenderedView } from './render.js';
export { redactToken, sanitizeError } from './redact.js';
