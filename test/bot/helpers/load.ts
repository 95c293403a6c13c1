import type { FakeBotApi, FakeUser, RecordedCall } from '../fake-bot-api/index.js';
import { cleanInvoice } from './telegram-app.js';

export interface LoadResult {
  users: number;
  receipts: number;
  /** Chats that got more than one receipt PDF. */
  duplicated: number;
  updates: number;
  seconds: number;
  updatesPerSecond: number;
  /** Document update → first message of the bot in that chat (« Analyse… »), ms. */
  ackMs: number[];
  /** Document update → the status message edited into the report, ms. */
  reportMs: number[];
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface UserRun {
  user: FakeUser;
  sentAt: number;
  statusId?: number;
  ackAt?: number;
  reportAt?: number;
  receipts: number;
  pressed: Set<string>;
}

/**
 * `count` users each deposit one invoice (own number) at the same moment and press ✅ on every
 * step as soon as the bot shows it, reacting to the bot's calls (no polling). Bounded by
 * `timeoutMs`; resolves with throughput and latencies once every receipt PDF arrived.
 */
export async function runDepositLoad(
  api: FakeBotApi,
  options: {
    count: number;
    firstUserId: number;
    numberPrefix: string;
    link: (user: FakeUser) => Promise<void>;
    timeoutMs: number;
  },
): Promise<LoadResult> {
  const runs = new Map<number, UserRun>();
  const pdfs: Uint8Array[] = [];
  for (let i = 0; i < options.count; i += 1) {
    const user = { id: options.firstUserId + i, first_name: `Charge ${i}` };
    await options.link(user);
    pdfs.push(await cleanInvoice(`${options.numberPrefix}-${String(i).padStart(4, '0')}`));
    runs.set(user.id, { user, sentAt: 0, receipts: 0, pressed: new Set() });
  }
  let updates = 0;
  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const pressOk = (run: UserRun, messageId: number) => {
    const message = api.message(run.user.id, messageId);
    const data = (message?.replyMarkup?.inline_keyboard ?? [])
      .flat()
      .find((b) => b.callback_data?.endsWith(':ok'))?.callback_data;
    if (!message || !data || run.pressed.has(data)) return;
    run.pressed.add(data);
    updates += 1;
    // Like a person: the press comes after the message is on screen, not within the same tick.
    setTimeout(() => api.users.pressData(run.user, message, data), 5);
  };

  const stop = api.onCall((call: RecordedCall, result: unknown) => {
    const run = runs.get(Number(call.params.chat_id));
    if (!run) return;
    const now = Date.now();
    const messageId =
      typeof result === 'object' && result !== null && 'message_id' in result
        ? Number(result.message_id)
        : undefined;
    if (call.method === 'sendMessage' && run.statusId === undefined) {
      run.statusId = messageId;
      run.ackAt = now;
    }
    if (
      call.method === 'editMessageText' &&
      Number(call.params.message_id) === run.statusId &&
      run.reportAt === undefined
    ) {
      run.reportAt = now;
    }
    if ((call.method === 'sendMessage' || call.method === 'editMessageText') && messageId !== undefined) {
      pressOk(run, messageId);
    }
    if (call.method === 'sendDocument') {
      run.receipts += 1;
      if (run.receipts === 1 && ++done === runs.size) finish();
    }
  });

  const started = Date.now();
  let i = 0;
  for (const run of runs.values()) {
    run.sentAt = Date.now();
    api.users.sendDocument(run.user, {
      fileName: 'facture.pdf',
      mimeType: 'application/pdf',
      bytes: pdfs[i++]!,
    });
    updates += 1;
  }
  const timer = setTimeout(finish, options.timeoutMs);
  await finished;
  clearTimeout(timer);
  const seconds = (Date.now() - started) / 1000;
  // A short grace period to catch a late duplicate.
  await new Promise((r) => setTimeout(r, 300));
  stop();
  const all = [...runs.values()];
  return {
    users: all.length,
    receipts: all.filter((r) => r.receipts > 0).length,
    duplicated: all.filter((r) => r.receipts > 1).length,
    updates,
    seconds,
    updatesPerSecond: updates / seconds,
    ackMs: all.filter((r) => r.ackAt).map((r) => r.ackAt! - r.sentAt),
    reportMs: all.filter((r) => r.reportAt).map((r) => r.reportAt! - r.sentAt),
  };
}
