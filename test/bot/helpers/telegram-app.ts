import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../../src/app/create-app.js';
import { createConfig } from '../../../src/config/schema.js';
import type { Recognizer } from '../../../src/recognition/types.js';
import type { Logger } from '../../../src/shared/logger.js';
import type { FakeBotApi, FakeMessage, FakeUser } from '../fake-bot-api/index.js';
import { invoiceLines, renderPdf, type InvoiceOptions } from '../../fixtures/pdf-lib-invoice.js';
import { buttonFor, buttonsOf } from './chat.js';

export { buttonFor, buttonsOf, lastWithButtons } from './chat.js';

/**
 * Facteur as `facteur start` builds it (createApp from the environment: TELEGRAM_BOT_TOKEN,
 * TELEGRAM_API_ROOT pointing at the fake Bot API, a temporary FACTEUR_DATA_DIR, the embedded
 * Chorus Pro simulator), plus helpers that play a Telegram user.
 */
export interface TelegramApp {
  app: App;
  dataDir: string;
  env: Record<string, string>;
  /** Links a Telegram user to the demo account (as `facteur accounts link` does). */
  link(user: FakeUser): Promise<void>;
  stop(): Promise<void>;
}

/** Limits high enough never to hold a scripted conversation. */
export const FAST_LIMITS = { globalPerSecond: 1000, perChatBurst: 100, perChatPerSecond: 100 };

export async function startTelegramApp(
  api: FakeBotApi,
  options: { env?: Record<string, string>; dataDir?: string; logger?: Logger; recognizer?: Recognizer } = {},
): Promise<TelegramApp> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'facteur-tg-'));
  const env = {
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.url,
    FACTEUR_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...options.env,
  };
  // Scripted users answer at once: Telegram's real rate limits (tested in throttle.test.ts) would
  // only make these functional tests slow.
  const app = await createApp(createConfig(env), {
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.recognizer ? { recognizer: options.recognizer } : {}),
    telegram: { throttle: FAST_LIMITS },
  });
  await app.start();
  return {
    app,
    dataDir,
    env,
    async link(user) {
      const account = await app.store.accounts.getByName('demo');
      if (!account) throw new Error('demo account missing');
      await app.store.identities.link(account.id, { channel: 'telegram', userId: String(user.id) });
    },
    async stop() {
      await app.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A clean invoice to the commune (nothing required), with its own number. */
export function cleanInvoice(number: string, extra: InvoiceOptions = {}): Promise<Uint8Array> {
  return renderPdf(invoiceLines({ number, ...extra }));
}

/**
 * Presses a button and waits until the bot is done with it: the pressed message either lost its
 * buttons (the conversation moved on) or was edited in place.
 */
export async function press(
  api: FakeBotApi,
  user: FakeUser,
  message: FakeMessage,
  choiceId: string,
): Promise<void> {
  const data = buttonFor(message, choiceId);
  if (!data)
    throw new Error(
      `no choice ${choiceId} on #${message.messageId}: ${buttonsOf(message)
        .map((b) => b.data)
        .join(' ')}`,
    );
  const edits = message.edits;
  const { callbackQueryId } = api.users.pressData(user, message, data);
  await api.waitFor(
    () => api.users.callbackAnswer(callbackQueryId)?.answered && message.edits > edits,
    `the answer to ${choiceId}`,
    30_000,
  );
}

/** Sends a PDF and confirms every step with ✅ until the receipt PDF arrives; returns it. */
export async function depositWithButtons(
  api: FakeBotApi,
  user: FakeUser,
  pdf: Uint8Array,
  fileName: string,
  /** Waits for the page-1 preview before the first press (drawn at low priority, it is skipped for a draft already deposited). */
  options: { awaitPreview?: boolean } = {},
): Promise<FakeMessage> {
  const before = api.messagesIn(user.id).length;
  api.users.sendDocument(user, { fileName, mimeType: 'application/pdf', bytes: pdf });
  const fresh = () => api.messagesIn(user.id).slice(before);
  if (options.awaitPreview)
    await api.waitFor(() => fresh().some((m) => m.kind === 'photo'), `the preview of ${fileName}`, 60_000);
  for (let step = 0; step < 12; step += 1) {
    const current = await api.waitFor(
      () => {
        const receipt = fresh().find((m) => m.kind === 'document');
        if (receipt) return { receipt };
        const m = fresh()
          .filter((x) => buttonFor(x, 'ok'))
          .at(-1);
        return m ? { m } : undefined;
      },
      `a step of ${fileName} for ${user.id}`,
      60_000,
    );
    if ('receipt' in current && current.receipt) return current.receipt;
    if ('m' in current && current.m) await press(api, user, current.m, 'ok');
  }
  throw new Error(`no receipt for ${fileName}`);
}
