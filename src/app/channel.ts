/** A running channel (Telegram bot, mail watcher). `stop()` finishes the work in hand, then returns. */
export interface Channel {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
