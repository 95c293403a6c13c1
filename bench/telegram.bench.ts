/**
 * Telegram channel under load: simulated users each deposit one invoice at the same moment
 * against the fake Bot API and press ✅ on every step.
 *  1. the whole of Facteur (createApp: real conversation, recognition, store, Chorus simulator);
 *  2. the channel alone, with a scripted conversation, to see what the bot layer itself costs.
 * Prints updates handled per second and p50/p95 from the document update to the first report
 * message (the « Analyse… » status edited into the report). Nothing is asserted.
 */
import { createTelegramChannel } from '../src/bot/index.js';
import { createConfig } from '../src/config/schema.js';
import { createSilentLogger } from '../src/shared/logger.js';
import { startFakeBotApi } from '../test/bot/fake-bot-api/index.js';
import { percentile, runDepositLoad, type LoadResult } from '../test/bot/helpers/load.js';
import { MemoryChannelState } from '../test/bot/helpers/memory-state.js';
import { ScriptedConversations } from '../test/bot/helpers/scripted-conversations.js';
import { startTelegramApp } from '../test/bot/helpers/telegram-app.js';

const USERS = Number(process.env.TELEGRAM_BENCH_USERS ?? 200);
const median = (xs: number[]) => percentile(xs, 50);

function line(label: string, r: LoadResult): string {
  return (
    `${label}: ${r.receipts}/${r.users} receipts, ${r.duplicated} duplicated, ` +
    `${r.updates} updates in ${r.seconds.toFixed(1)} s = ${r.updatesPerSecond.toFixed(1)} updates/s; ` +
    `document → report p50 ${percentile(r.reportMs, 50)} ms, p95 ${percentile(r.reportMs, 95)} ms ` +
    `(→ « Analyse… » p50 ${percentile(r.ackMs, 50)} ms)`
  );
}

async function wholeApp(run: number): Promise<LoadResult> {
  const api = await startFakeBotApi();
  const tg = await startTelegramApp(api);
  try {
    return await runDepositLoad(api, {
      count: USERS,
      firstUserId: 50_000_000 + run * 10_000,
      numberPrefix: `F-BENCH${run}`,
      link: (user) => tg.link(user),
      timeoutMs: 600_000,
    });
  } finally {
    await tg.stop();
    await api.close();
  }
}

async function channelOnly(run: number): Promise<LoadResult> {
  const api = await startFakeBotApi();
  const conversations = new ScriptedConversations();
  const channel = createTelegramChannel({
    config: createConfig({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.url }),
    conversations,
    logger: createSilentLogger(),
    channelState: new MemoryChannelState(),
    options: { pollingTimeoutSeconds: 5 },
  });
  await channel.start();
  try {
    return await runDepositLoad(api, {
      count: USERS,
      firstUserId: 60_000_000 + run * 10_000,
      numberPrefix: `F-CH${run}`,
      link: async (user) => void conversations.linked.add(String(user.id)),
      timeoutMs: 120_000,
    });
  } finally {
    await channel.stop();
    await api.close();
  }
}

export default async function bench(): Promise<void> {
  console.log(`${USERS} users, one invoice each, all at once (TELEGRAM_BENCH_USERS to change)`);
  const whole = await wholeApp(0);
  console.log(line('whole Facteur (1 run)', whole));

  const runs: LoadResult[] = [];
  for (let run = 0; run < 3; run += 1) runs.push(await channelOnly(run));
  console.log(
    `channel alone (median of ${runs.length} runs): ${median(runs.map((r) => r.updatesPerSecond)).toFixed(1)} updates/s; ` +
      `document → report p50 ${median(runs.map((r) => percentile(r.reportMs, 50)))} ms, ` +
      `p95 ${median(runs.map((r) => percentile(r.reportMs, 95)))} ms; ` +
      `receipts ${runs.map((r) => `${r.receipts}/${r.users}`).join(', ')}, duplicated ${runs.map((r) => r.duplicated).join(', ')}`,
  );
}
