/**
 * Telegram as it really is: sends are spread to respect its rate limits (global and per chat,
 * src/bot/throttle.ts), proven against a fake Bot API that answers 429 beyond them;
 * and an edit that would change nothing is never sent (« message is not modified »).
 */
import { Bot } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDependencyWatch } from '../../src/app/dependency-watch.js';
import { MessageSlots } from '../../src/bot/message-slots.js';
import { configureTelegramApi } from '../../src/bot/telegram-api.js';
import { ViewSender } from '../../src/bot/view-sender.js';
import type { View } from '../../src/machine/view.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { noopMetrics } from '../../src/shared/metrics.js';
import { startFakeBotApi, type FakeBotApi } from './fake-bot-api/index.js';
import { MemoryChannelState } from './helpers/memory-state.js';

let api: FakeBotApi;
beforeAll(async () => {
  api = await startFakeBotApi();
});
afterAll(async () => {
  await api?.close();
});

function botWith(throttle: false | Record<string, never>): Bot {
  const bot = new Bot(api.token, { client: { apiRoot: api.url } });
  configureTelegramApi(bot.api, {
    pollingTimeoutSeconds: 1,
    throttle,
    record: async () => undefined,
    watch: createDependencyWatch({ name: 'telegram', logger: createSilentLogger() }),
    metrics: noopMetrics,
    stop: () => new AbortController().signal,
  });
  return bot;
}

/** One chat gets 9 messages at once, 36 other chats one each: more than Telegram takes at once. */
async function burst(bot: Bot, base: number): Promise<number[]> {
  const busy = base;
  const others = Array.from({ length: 36 }, (_, i) => base + 1 + i);
  for (const chat of [busy, ...others]) api.state.knownChats.add(chat);
  await Promise.all([
    ...Array.from({ length: 9 }, (_, i) => bot.api.sendMessage(busy, `message ${i + 1}`)),
    ...others.map((chat) => bot.api.sendMessage(chat, 'bonjour')),
  ]);
  return [busy, ...others];
}

/**
 * Telegram's side, a little more tolerant than the throttler's own limits (30/s spaced, 5 then 1/s
 * per chat): on a loaded machine, calls released on time may still arrive bunched together.
 */
const TELEGRAM_SIDE = { globalPerSecond: 40, perChatBurst: 8, perChatPerSecond: 1 };

const tooMany = () => api.calls.filter((c) => c.status === 429).length;

describe('outgoing rate limits', { timeout: 90_000 }, () => {
  it('the fake Bot API answers 429 to a burst sent without throttling (the test can fail)', async () => {
    api.enforceLimits(TELEGRAM_SIDE);
    const before = tooMany();
    const chats = await burst(botWith(false), 100_000); // auto-retry still delivers everything
    expect(tooMany()).toBeGreaterThan(before);
    expect(api.messagesIn(chats[0]!)).toHaveLength(9);
  });

  it('with the throttler every message goes out without a single 429, in order per chat', async () => {
    api.enforceLimits(TELEGRAM_SIDE);
    const before = tooMany();
    const chats = await burst(botWith({}), 200_000);
    expect(tooMany()).toBe(before);
    expect(api.messagesIn(chats[0]!).map((m) => m.text)).toEqual(
      Array.from({ length: 9 }, (_, i) => `message ${i + 1}`),
    );
    for (const chat of chats.slice(1)) expect(api.messagesIn(chat)).toHaveLength(1);
    api.enforceLimits(undefined);
  });
});

describe('edits that change nothing', () => {
  it('are not sent: a view shown again on its own message makes no editMessageText call', async () => {
    const bot = botWith(false);
    const chatId = 300_001;
    api.state.knownChats.add(chatId);
    const sender = new ViewSender(bot.api, new MessageSlots(new MemoryChannelState()), createSilentLogger());
    const view: View = {
      kind: 'summary',
      draftId: 'd1',
      revision: 3,
      title: 'Récapitulatif',
      lines: ['Montant : 1 200,00 €'],
      choices: [{ id: 'confirm', label: 'Confirmer' }],
    };
    await sender.send({ chatId }, [view]);
    const sent = api.messagesIn(chatId)[0]!;
    const edits = api.callsOf('editMessageText').length;
    // The same button pressed twice (a double tap): the same view for the same message.
    await sender.send({ chatId, pressedMessageId: sent.messageId, pressedDraftId: 'd1' }, [view]);
    expect(api.callsOf('editMessageText').length).toBe(edits);
    // A changed view on that message is edited.
    await sender.send({ chatId, pressedMessageId: sent.messageId, pressedDraftId: 'd1' }, [
      { ...view, lines: ['Montant : 1 300,00 €'] },
    ]);
    expect(api.callsOf('editMessageText').length).toBe(edits + 1);
    expect(api.calls.filter((c) => c.status === 400).length).toBe(0);
  });
});
