import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBotApi, type FakeBotApi } from '../bot/fake-bot-api/index.js';
import {
  buttonsOf,
  cleanInvoice,
  depositWithButtons,
  startTelegramApp,
  type TelegramApp,
} from '../bot/helpers/telegram-app.js';

/**
 * A status change reaches the Telegram chat where the draft started: the real app (createApp, as
 * `facteur start`), its follow-up poller on a fixed 1 s interval, the fake Bot API on loopback.
 */
let api: FakeBotApi;
let tg: TelegramApp;

beforeAll(async () => {
  api = await startFakeBotApi();
  tg = await startTelegramApp(api, { env: { FACTEUR_FOLLOW_UP_INTERVAL: '1s' } });
});
afterAll(async () => {
  await tg?.stop();
  await api?.close();
});

describe('follow-up notifications on Telegram', { timeout: 180_000 }, () => {
  it('a suspended invoice is announced once, with the buyer’s comment and « Compléter »', async () => {
    const user = api.users.user(8_100_001, 'Camille');
    await tg.link(user);
    await depositWithButtons(api, user, await cleanInvoice('TG-FU-1'), 'tg-fu-1.pdf');
    const sim = tg.app.simulator!;
    const invoice = sim.listInvoices().find((i) => i.number === 'TG-FU-1')!;
    await sim.setInvoiceStatus(invoice.id, 'SUSPENDUE', 'Merci de joindre le PV de réception');
    const notified = await api.waitFor(
      () => api.messagesIn(user.id).find((m) => (m.text ?? '').includes('Facture TG-FU-1 suspendue')),
      'the suspension notification',
      60_000,
    );
    expect(notified.text).toContain('Merci de joindre le PV de réception');
    const buttons = buttonsOf(notified);
    expect(buttons.map((b) => b.text)).toContain('Compléter');
    expect(buttons.map((b) => b.data)).toContain(
      `${buttons[0]!.data.split(':')[0]}::fu:complete:${invoice.id}`,
    );
    // Several more cycles: still one message for this change.
    const cycles = tg.app.store.followUps;
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await cycles.countActive()).toBeGreaterThan(0);
    expect(api.messagesIn(user.id).filter((m) => (m.text ?? '').includes('TG-FU-1 suspendue'))).toHaveLength(
      1,
    );
  });
});
