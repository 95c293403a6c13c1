import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBotApi, type FakeBotApi } from './fake-bot-api/index.js';
import { percentile, runDepositLoad } from './helpers/load.js';
import { startTelegramApp, type TelegramApp } from './helpers/telegram-app.js';

/**
 * Many users depositing at the same moment (bounded here; `npm run bench` runs 200): every one
 * gets exactly one receipt and the simulator holds exactly one invoice per user.
 */
const USERS = 24;
let api: FakeBotApi;
let tg: TelegramApp;

beforeAll(async () => {
  api = await startFakeBotApi();
  tg = await startTelegramApp(api);
});
afterAll(async () => {
  await tg?.stop();
  await api?.close();
});

describe('Telegram under load', () => {
  it(`${USERS} users deposit concurrently: all receipts, none duplicated`, { timeout: 240_000 }, async () => {
    const result = await runDepositLoad(api, {
      count: USERS,
      firstUserId: 9_100_000,
      numberPrefix: 'F-LOAD',
      link: (user) => tg.link(user),
      timeoutMs: 200_000,
    });
    expect(result.receipts).toBe(USERS);
    expect(result.duplicated).toBe(0);
    const invoices = tg.app.simulator!.listInvoices().map((i) => JSON.stringify(i));
    for (let i = 0; i < USERS; i += 1) {
      const number = `F-LOAD-${String(i).padStart(4, '0')}`;
      expect(
        invoices.filter((j) => j.includes(`"${number}"`)),
        number,
      ).toHaveLength(1);
    }
    console.log(
      `telegram load: ${USERS} users, ${result.updates} updates in ${result.seconds.toFixed(1)} s ` +
        `(${result.updatesPerSecond.toFixed(1)}/s); report p50 ${percentile(result.reportMs, 50)} ms, p95 ${percentile(result.reportMs, 95)} ms`,
    );
  });
});
