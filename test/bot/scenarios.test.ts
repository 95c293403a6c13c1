import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceLines, renderPdf } from '../fixtures/pdf-lib-invoice.js';
import { startFakeBotApi, type FakeBotApi, type FakeMessage, type FakeUser } from './fake-bot-api/index.js';
import { freePort } from './helpers/chat.js';
import { captureLogs } from './helpers/log-capture.js';
import {
  buttonFor,
  buttonsOf,
  cleanInvoice,
  depositWithButtons,
  lastWithButtons,
  press,
  startTelegramApp,
  type TelegramApp,
} from './helpers/telegram-app.js';

/**
 * The scenarios, end to end: the real bot built by createApp (as `facteur start` builds
 * it) talking HTTP to the fake Bot API, the real conversation, recognition, store and the
 * embedded Chorus Pro simulator. No Telegram, no mock of grammY.
 */

let api: FakeBotApi;
let tg: TelegramApp;
let nextUserId = 7_000_001;
const logs = captureLogs('info');

beforeAll(async () => {
  api = await startFakeBotApi();
  tg = await startTelegramApp(api, { logger: logs.logger });
});
afterAll(async () => {
  await tg?.stop();
  await api?.close();
  expect(logs.text()).not.toContain(api.token.split(':')[1]);
});

async function linkedUser(): Promise<FakeUser> {
  const user = api.users.user(nextUserId++, 'Camille');
  await tg.link(user);
  return user;
}

const texts = (user: FakeUser) => api.messagesIn(user.id).map((m) => m.text ?? m.caption ?? '');

/** Waits for the latest message offering `choicePrefix…` (e.g. `set:service:`, `ok`). */
function offering(user: FakeUser, choicePrefix: string, what = choicePrefix): Promise<FakeMessage> {
  return api.waitFor(
    () => {
      const m = lastWithButtons(api, user.id);
      return (
        m && buttonsOf(m).some((b) => b.data.split(':').slice(2).join(':').startsWith(choicePrefix)) && m
      );
    },
    what,
    30_000,
  );
}

const choiceStarting = (m: FakeMessage, prefix: string) =>
  buttonsOf(m)
    .map((b) => b.data.split(':').slice(2).join(':'))
    .find((c) => c.startsWith(prefix))!;

// Generous limits: CI runs every suite at once on two cores.
describe('Telegram scenarios (real conversation, fake Bot API)', { timeout: 120_000 }, () => {
  it('a linked user deposits a clean invoice with buttons and receives the receipt and its PDF', async () => {
    const user = await linkedUser();
    const pdf = readFileSync(new URL('../../examples/facture-exemple.pdf', import.meta.url));
    const receipt = await depositWithButtons(api, user, pdf, 'facture-exemple.pdf', { awaitPreview: true });
    expect(Buffer.from(receipt.file!.bytes).subarray(0, 5).toString()).toBe('%PDF-');
    const all = texts(user);
    // « Analyse… » first, edited into the report; the steps; the boxed preview of page 1 (a JPEG
    // drawn after the report) follows, in reply to the report.
    const report = api.messagesIn(user.id)[0]!;
    expect(report.edits).toBeGreaterThanOrEqual(1);
    expect(all[0]).toContain('facture-exemple.pdf');
    const photos = api.messagesIn(user.id).filter((m) => m.kind === 'photo');
    expect(photos).toHaveLength(1);
    expect([...photos[0]!.file!.bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(photos[0]!.messageId).toBeGreaterThan(report.messageId);
    expect(photos[0]!.replyTo).toBe(report.messageId);
    expect(all.some((t) => t.includes('Facture déposée sur Chorus Pro') && t.includes('F-2026-0042'))).toBe(
      true,
    );
    expect(api.state.chatActions.some((a) => a.chatId === user.id)).toBe(true);
    // Every callback was answered.
    for (const [, q] of api.state.callbackQueries) expect(q.answered).toBe(true);
    // The simulator holds the invoice.
    expect(
      tg.app.simulator!.listInvoices().filter((i) => JSON.stringify(i).includes('F-2026-0042')),
    ).toHaveLength(1);
  });

  it('takes typed corrections, and a SIRET prefix gives structures to pick from', async () => {
    const user = await linkedUser();
    api.users.sendDocument(user, {
      fileName: 'f.pdf',
      mimeType: 'application/pdf',
      bytes: await cleanInvoice('F-2026-0101'),
    });
    let m = await offering(user, 'ok', 'cadre block');
    await press(api, user, m, 'ok');
    m = await offering(user, 'edit:invoiceNumber', 'identification block');
    await press(api, user, m, 'edit:invoiceNumber');
    // « Corriger » edits the block in place into the prompt.
    expect(m.text).toContain('✍️');
    api.users.sendText(user, 'F-2026-0777');
    m = await api.waitFor(
      () => {
        const last = lastWithButtons(api, user.id);
        return last?.text?.includes('F-2026-0777') && buttonFor(last, 'ok') ? last : undefined;
      },
      'corrected identification block',
      30_000,
    );
    await press(api, user, m, 'ok');
    m = await offering(user, 'edit:recipient', 'destinataire block');
    await press(api, user, m, 'edit:recipient');
    api.users.sendText(user, '21330');
    m = await offering(user, 'set:recipient:', 'structures matching the prefix');
    expect(
      buttonsOf(m)
        .map((b) => b.text)
        .join('\n'),
    ).toContain('Commune de Saint-Aubin-sur-Garonne');
    await press(api, user, m, 'set:recipient:21330063500017');
    m = await api.waitFor(
      () => {
        const last = lastWithButtons(api, user.id);
        return last?.text?.includes('Saint-Aubin') && buttonFor(last, 'ok') ? last : undefined;
      },
      'destinataire with the picked structure',
      30_000,
    );
    // A typed answer that is not valid gets the conversation's French error.
    await press(api, user, m, 'edit:recipient');
    api.users.sendText(user, '12');
    await api.waitFor(() => texts(user).at(-1)?.includes('⚠'), 'an error on a too short prefix', 30_000);
  });

  it('a recipient requiring a service code and an engagement: pick the service, type the engagement', async () => {
    const user = await linkedUser();
    const pdf = await renderPdf(
      invoiceLines({
        number: 'F-2026-0102',
        recipientLines: ['Ministère de la Transition numérique', 'Secrétariat général', '75007 Paris'],
        recipientSiretLine: 'SIRET client : 110 000 015 00013',
        serviceCodeLine: null,
        engagementLine: null,
      }),
    );
    api.users.sendDocument(user, { fileName: 'ministere.pdf', mimeType: 'application/pdf', bytes: pdf });
    for (let i = 0; i < 2; i += 1) await press(api, user, await offering(user, 'ok', `block ${i + 1}`), 'ok');
    const services = await offering(user, 'set:service:', 'the services of the ministry');
    expect(services.text).toContain('exige un code service');
    await press(api, user, services, choiceStarting(services, 'set:service:'));
    for (let i = 0; i < 2; i += 1) await press(api, user, await offering(user, 'ok', `block ${i + 3}`), 'ok');
    await api.waitFor(
      () => texts(user).some((t) => t.includes('engagement') && t.includes('✍️')),
      'engagement asked',
      30_000,
    );
    api.users.sendText(user, '1300012345');
    m: for (let step = 0; step < 4; step += 1) {
      const next = await offering(user, 'ok', 'next confirmation');
      await press(api, user, next, 'ok');
      if (api.messagesIn(user.id).some((x) => x.kind === 'document')) break m;
    }
    await api.waitFor(
      () => api.messagesIn(user.id).find((x) => x.kind === 'document'),
      'receipt PDF',
      30_000,
    );
    const deposited = tg.app.simulator!.listInvoices().find((i) => JSON.stringify(i).includes('F-2026-0102'));
    expect(JSON.stringify(deposited)).toContain('1300012345');
  });

  it('answers a photo and a 25 MB document without downloading anything', async () => {
    const user = await linkedUser();
    const downloads = api.downloads.length;
    api.users.sendPhoto(user, new Uint8Array(2048).fill(7));
    api.users.sendDocument(user, {
      fileName: 'enorme.pdf',
      mimeType: 'application/pdf',
      size: 25 * 1024 * 1024,
    });
    api.users.sendDocument(user, {
      fileName: 'moyen.pdf',
      mimeType: 'application/pdf',
      size: 12 * 1024 * 1024,
    });
    await api.waitFor(() => api.messagesIn(user.id).length >= 3, 'three answers', 30_000);
    const [photo, huge, medium] = texts(user);
    expect(photo).toContain(
      'Envoyez la facture en PDF, comme fichier : une photo ou un scan n’est pas lu par Chorus Pro',
    );
    expect(huge).toContain('25 Mo');
    expect(medium).toContain('dépasse 10 Mo');
    expect(api.downloads.length).toBe(downloads);
  });

  it('an unlinked user gets how to get access and nothing of the file is fetched; /start CODE links', async () => {
    const user = api.users.user(nextUserId++, 'Inconnu');
    const downloads = api.downloads.length;
    const getFiles = api.callsOf('getFile').length;
    api.users.sendDocument(user, {
      fileName: 'facture.pdf',
      mimeType: 'application/pdf',
      bytes: await cleanInvoice('F-2026-0103'),
    });
    await api.waitFor(() => texts(user).at(-1)?.includes('Accès non autorisé'), 'access denied', 30_000);
    expect(api.downloads.length).toBe(downloads);
    expect(api.callsOf('getFile').length).toBe(getFiles);

    const account = await tg.app.store.accounts.getByName('demo');
    const invite = await tg.app.store.invites.create(account!.id);
    api.users.sendText(user, `/start ${invite.code}`);
    await api.waitFor(() => texts(user).at(-1)?.includes('demo'), 'linked to the demo account', 30_000);
    api.users.sendText(user, '/start');
    await api.waitFor(() => texts(user).at(-1)?.includes('Bonjour Inconnu'), 'welcome', 30_000);
    // The code is single-use: someone else trying it is refused.
    const other = api.users.user(nextUserId++, 'Autre');
    api.users.sendText(other, `/start ${invite.code}`);
    await api.waitFor(() => api.messagesIn(other.id).length > 0, 'answer to a reused code', 30_000);
    expect(texts(other).at(-1)).not.toContain('Bonjour');
    api.users.sendText(user, '/aide');
    await api.waitFor(() => texts(user).at(-1)?.includes('Aide'), 'help', 30_000);
  });

  it('an old button on a changed or finished draft gets « Ce brouillon a changé »', async () => {
    const user = await linkedUser();
    api.users.sendDocument(user, {
      fileName: 'f.pdf',
      mimeType: 'application/pdf',
      bytes: await cleanInvoice('F-2026-0104'),
    });
    const first = await offering(user, 'ok', 'cadre block');
    const oldCopy: FakeMessage = { ...first, replyMarkup: structuredClone(first.replyMarkup) };
    await press(api, user, first, 'ok');
    await offering(user, 'edit:invoiceNumber', 'identification block');
    const calls = api.callsOf('answerCallbackQuery').length;
    const { callbackQueryId } = api.users.pressData(user, oldCopy, buttonFor(oldCopy, 'ok')!);
    await api.waitFor(
      () => api.users.callbackAnswer(callbackQueryId)?.answered,
      'the old button answered',
      30_000,
    );
    expect(api.users.callbackAnswer(callbackQueryId)?.text).toBe('Ce brouillon a changé');
    expect(api.callsOf('answerCallbackQuery').length).toBe(calls + 1);
  });

  it('delivers every message through a storm of 429 answers', async () => {
    const users = [await linkedUser(), await linkedUser(), await linkedUser()];
    const pdfs = await Promise.all(users.map((_, k) => cleanInvoice(`F-2026-011${k}`)));
    const before = api.calls.filter((c) => c.status === 429).length;
    api.failNext(15, {
      methods: [
        'sendMessage',
        'editMessageText',
        'editMessageReplyMarkup',
        'sendPhoto',
        'sendDocument',
        'answerCallbackQuery',
        'sendChatAction',
        'getFile',
      ],
      retryAfter: 1,
    });
    const receipts = await Promise.all(
      users.map((user, k) => depositWithButtons(api, user, pdfs[k]!, 'f.pdf')),
    );
    expect(receipts.map((r) => r.kind)).toEqual(['document', 'document', 'document']);
    expect(api.calls.filter((c) => c.status === 429).length - before).toBe(15);
    for (const user of users) {
      // Nothing lost, nothing doubled by the retries.
      expect(texts(user).filter((t) => t.includes('Facture déposée sur Chorus Pro'))).toHaveLength(1);
      // The preview is drawn at low priority: a draft deposited before its turn gets none.
      expect(api.messagesIn(user.id).filter((m) => m.kind === 'photo').length).toBeLessThanOrEqual(1);
    }
  });

  it('several PDFs at once make several drafts', async () => {
    const user = await linkedUser();
    api.users.sendDocument(user, {
      fileName: 'a.pdf',
      mimeType: 'application/pdf',
      bytes: await cleanInvoice('F-2026-0106'),
    });
    api.users.sendDocument(user, {
      fileName: 'b.pdf',
      mimeType: 'application/pdf',
      bytes: await cleanInvoice('F-2026-0107'),
    });
    const numbers = await api.waitFor(
      () => {
        const found = new Set(
          api
            .messagesIn(user.id)
            .map((m) => /<code>(PROV-\d{4}-\d+)<\/code>/.exec(m.text ?? '')?.[1])
            .filter((n): n is string => n !== undefined),
        );
        return found.size === 2 ? [...found] : undefined;
      },
      'two provisional numbers',
      30_000,
    );
    // Each « Analyse… » status became its report; the note about the other draft came as its own message.
    await api.waitFor(
      () =>
        api.messagesIn(user.id).filter((m) => m.text?.includes('Voici ce que j’ai reconnu') && m.edits >= 1)
          .length === 2,
      'both reports in place of their status',
      30_000,
    );
    expect(api.messagesIn(user.id).find((m) => m.text?.includes('Nouveau brouillon'))?.edits).toBe(0);
    api.users.sendText(user, '/brouillons');
    // Every user here is linked to the demo account: its list holds these two among others.
    const list = await api.waitFor(
      () => api.messagesIn(user.id).find((m) => m.text?.includes('Vos brouillons')),
      'the drafts list',
      30_000,
    );
    for (const n of numbers) expect(list.text).toContain(n);
    expect(buttonsOf(list).filter((b) => b.data.includes(':resume:')).length).toBeGreaterThanOrEqual(2);
  });
});

describe('Telegram webhook mode (real conversation)', { timeout: 120_000 }, () => {
  it('deposits through the webhook', async () => {
    const port = await freePort();
    const hookApi = await startFakeBotApi({ username: 'facteur_hook_bot' });
    const hooked = await startTelegramApp(hookApi, {
      env: {
        TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/tg`,
        TELEGRAM_WEBHOOK_SECRET: 'webhook-secret',
        TELEGRAM_WEBHOOK_PORT: String(port),
      },
    });
    try {
      expect(hookApi.webhookUrl).toBe(`http://127.0.0.1:${port}/tg`);
      const user = hookApi.users.user(nextUserId++, 'Camille');
      await hooked.link(user);
      const receipt = await depositWithButtons(hookApi, user, await cleanInvoice('F-2026-0108'), 'f.pdf');
      expect(receipt.kind).toBe('document');
      expect(hookApi.callsOf('getUpdates')).toHaveLength(0);
      expect(hookApi.pendingUpdates).toBe(0);
    } finally {
      await hooked.stop();
      await hookApi.close();
    }
  });
});

describe('Telegram notifications (real conversation)', { timeout: 120_000 }, () => {
  it(
    'a draft left aside gets its reminder in the user’s chat, with a button to resume it',
    { timeout: 120_000 },
    async () => {
      const notifyApi = await startFakeBotApi({ username: 'facteur_notify_bot' });
      const app = await startTelegramApp(notifyApi, { env: { FACTEUR_DRAFT_REMINDER_AFTER: '1s' } });
      try {
        const user = notifyApi.users.user(nextUserId++, 'Camille');
        await app.link(user);
        notifyApi.users.sendDocument(user, {
          fileName: 'f.pdf',
          mimeType: 'application/pdf',
          bytes: await cleanInvoice('F-2026-0301'),
        });
        const reminder = await notifyApi.waitFor(
          () =>
            notifyApi.messagesIn(user.id).find((m) => buttonsOf(m).some((b) => b.data.includes(':resume:'))),
          'the reminder',
          45_000,
        );
        expect(reminder.text).toMatch(/PROV-\d{4}-\d+/);
        await press(notifyApi, user, reminder, choiceStarting(reminder, 'resume:'));
        await notifyApi.waitFor(
          () =>
            notifyApi
              .messagesIn(user.id)
              .filter((m) => m.messageId > reminder.messageId)
              .some((m) => buttonFor(m, 'ok')),
          'the draft shown again',
          30_000,
        );
      } finally {
        await app.stop();
        await notifyApi.close();
      }
    },
  );
});
