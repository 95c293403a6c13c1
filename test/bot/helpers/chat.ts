import { createServer } from 'node:net';
import type { FakeBotApi, FakeMessage } from '../fake-bot-api/index.js';

/** Reading a chat of the fake Bot API, and small waits shared by the Telegram tests. */

export function buttonsOf(message: FakeMessage | undefined): Array<{ text: string; data: string }> {
  return (message?.replyMarkup?.inline_keyboard ?? [])
    .flat()
    .map((b) => ({ text: b.text, data: b.callback_data ?? '' }));
}

/** The user's most recent message from the bot that still shows buttons. */
export function lastWithButtons(api: FakeBotApi, chatId: number): FakeMessage | undefined {
  return api
    .messagesIn(chatId)
    .filter((m) => buttonsOf(m).length > 0)
    .at(-1);
}

/** The callback data of the button whose choice id (after `draft:revision:`) is `choiceId`. */
export function buttonFor(message: FakeMessage, choiceId: string): string | undefined {
  return buttonsOf(message).find((b) => b.data.split(':').slice(2).join(':') === choiceId)?.data;
}

/** Retries an assertion until it holds (for state written in the background), bounded in time. */
export async function eventually(check: () => Promise<void>, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** A port free on 127.0.0.1 right now (for a webhook URL that must name its port). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
