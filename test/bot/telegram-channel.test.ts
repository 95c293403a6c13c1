import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createTelegramChannel,
  TelegramTokenError,
  TelegramWebhookError,
  type TelegramChannel,
  type TelegramChannelOptions,
} from '../../src/bot/index.js';
import { createConfig } from '../../src/config/schema.js';
import { startFakeBotApi, type FakeBotApi, type FakeMessage } from './fake-bot-api/index.js';
import { eventually, freePort, lastWithButtons as lastInChat } from './helpers/chat.js';
import { captureLogs } from './helpers/log-capture.js';
import { MemoryChannelState } from './helpers/memory-state.js';
import { ScriptedConversations } from './helpers/scripted-conversations.js';
import { FAST_LIMITS } from './helpers/telegram-app.js';

/**
 * The channel's own mechanics against the fake Bot API, with a scripted conversation: polling,
 * edit in place, stale buttons, file checks, access, rate limits, 429, journal replay, webhook,
 * clean stop. The real conversation runs in telegram-scenarios.test.ts.
 */

const pdf = (size = 2_000) => {
  const bytes = new Uint8Array(size).fill(32);
  bytes.set(new TextEncoder().encode('%PDF-1.4\n'));
  return bytes;
};

let api: FakeBotApi;
const logs = captureLogs();
const running: TelegramChannel[] = [];
let nextUser = 1000;

beforeAll(async () => {
  api = await startFakeBotApi();
});
afterEach(async () => {
  while (running.length > 0) await running.pop()!.stop();
});
afterAll(async () => {
  await api.close();
  // Whatever happened above, the token never reached a log line.
  expect(logs.text()).not.toContain(api.token);
  expect(logs.text()).not.toContain(api.token.split(':')[1]);
});

async function startChannel(
  setup: {
    conversations?: ScriptedConversations;
    state?: MemoryChannelState;
    env?: Record<string, string>;
    options?: TelegramChannelOptions;
  } = {},
) {
  const conversations = setup.conversations ?? new ScriptedConversations();
  const state = setup.state ?? new MemoryChannelState();
  const config = createConfig({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.url, ...setup.env });
  const channel = createTelegramChannel({
    config,
    conversations,
    logger: logs.logger,
    channelState: state,
    options: { pollingTimeoutSeconds: 1, throttle: FAST_LIMITS, ...setup.options },
  });
  await channel.start();
  running.push(channel);
  return { channel, conversations, state };
}

function linkedUser(conversations: ScriptedConversations) {
  const user = api.users.user(nextUser++, 'Camille');
  conversations.linked.add(String(user.id));
  return user;
}

const lastWithButtons = (chatId: number) => lastInChat(api, chatId);

describe('Telegram channel (scripted conversation)', { timeout: 60_000 }, () => {
  it('sets the command menu and polls', async () => {
    await startChannel();
    const commands = api.callsOf('setMyCommands').at(-1)!.params.commands as Array<{ command: string }>;
    expect(commands.map((c) => c.command)).toEqual([
      'start',
      'aide',
      'brouillons',
      'reprendre',
      'annuler',
      'statut',
    ]);
    expect(api.callsOf('deleteWebhook').length).toBeGreaterThan(0);
    await api.waitFor(() => api.callsOf('getUpdates').length > 0, 'a getUpdates call');
  });

  it('runs a deposit with buttons: status edited into the report, blocks edited in place, receipt and PDF', async () => {
    const { conversations } = await startChannel();
    const user = linkedUser(conversations);
    api.users.sendDocument(user, { fileName: 'facture.pdf', mimeType: 'application/pdf', bytes: pdf() });
    const block = await api.waitFor(() => lastWithButtons(user.id), 'the first block');
    const messages = api.messagesIn(user.id);
    // « Analyse… » was the first message, edited into the report (same id); then the preview photo.
    expect(messages[0]!.text).toContain('Rapport facture.pdf (2000 octets)');
    expect(messages[0]!.edits).toBe(1);
    expect(messages[1]).toMatchObject({ kind: 'photo', caption: expect.stringContaining('Page 1') });
    expect(api.state.chatActions.some((a) => a.chatId === user.id)).toBe(true);
    expect(block.text).toContain('Bloc 1/3');

    let pressed = block;
    for (const expected of ['Bloc 2/3', 'Bloc 3/3', 'Récapitulatif']) {
      const { callbackQueryId } = api.users.press(user, pressed, '✅ Confirmer');
      const next = await api.waitFor(() => {
        const last = lastWithButtons(user.id);
        return last?.text?.includes(expected) && pressed.text?.includes('→') && last;
      }, expected);
      expect(api.users.callbackAnswer(callbackQueryId)?.answered).toBe(true);
      // The confirmed block keeps its text, loses its buttons and shows the answer given.
      expect(pressed.replyMarkup?.inline_keyboard ?? []).toEqual([]);
      expect(pressed.text).toMatch(/<i>→ ✅ Confirmer<\/i>$/);
      pressed = next;
    }
    api.users.press(user, pressed, 'Confirmer et envoyer');
    const receipt = await api.waitFor(
      () => api.messagesIn(user.id).find((m) => m.kind === 'document'),
      'the receipt PDF',
    );
    await api.waitFor(
      () => (pressed.replyMarkup?.inline_keyboard ?? []).length === 0,
      'summary without buttons',
    );
    expect(receipt.file?.fileName).toBe('recapitulatif_depot.pdf');
    expect(Buffer.from(receipt.file!.bytes).toString()).toBe('%PDF-1.4 receipt');
    expect(api.messagesIn(user.id).some((m) => m.text?.includes('Facture déposée'))).toBe(true);
    // The summary lost its buttons: it cannot be sent twice.
    expect(
      api.messagesIn(user.id).find((m) => m.messageId === pressed.messageId)!.replyMarkup?.inline_keyboard ??
        [],
    ).toEqual([]);
  });

  it('takes typed corrections: the new block comes below, the old copy loses its buttons', async () => {
    const { conversations } = await startChannel();
    const user = linkedUser(conversations);
    api.users.sendDocument(user, { fileName: 'f.pdf', mimeType: 'application/pdf', bytes: pdf() });
    const block = await api.waitFor(() => lastWithButtons(user.id), 'block');
    api.users.press(user, block, '✏️ Corriger');
    await api.waitFor(() => block.text?.includes('Tapez le numéro'), 'edit prompt in place');
    api.users.sendText(user, 'F-2026-<042>');
    const updated = await api.waitFor(
      () =>
        api
          .messagesIn(user.id)
          .find((m) => m.messageId > block.messageId && m.text?.includes('F-2026-&lt;042&gt;')),
      'the corrected block as a new message',
    );
    expect(updated.replyMarkup?.inline_keyboard?.flat().map((b) => b.text)).toEqual([
      '✅ Confirmer',
      '✏️ Corriger',
    ]);
    expect(conversations.inputs.at(-1)!.input).toEqual({ type: 'text', text: 'F-2026-<042>' });
  });

  it('answers an old button with « Ce brouillon a changé » without calling the conversation', async () => {
    const { conversations } = await startChannel();
    const user = linkedUser(conversations);
    api.users.sendDocument(user, { fileName: 'f.pdf', mimeType: 'application/pdf', bytes: pdf() });
    const block = await api.waitFor(() => lastWithButtons(user.id), 'block');
    const old: FakeMessage = { ...block, replyMarkup: structuredClone(block.replyMarkup) };
    api.users.press(user, block, '✅ Confirmer');
    await api.waitFor(() => lastWithButtons(user.id)?.text?.includes('Bloc 2/3'), 'second block');
    const before = conversations.inputs.length;
    const { callbackQueryId } = api.users.press(user, old, '✅ Confirmer');
    const answer = await api.waitFor(() => {
      const a = api.users.callbackAnswer(callbackQueryId);
      return a?.answered ? a : undefined;
    }, 'the answer to the old button');
    expect(answer.text).toBe('Ce brouillon a changé');
    expect(conversations.inputs.length).toBe(before);
    // A forged button is answered too.
    const forged = api.users.pressData(user, block, 'not-ours');
    await api.waitFor(() => api.users.callbackAnswer(forged.callbackQueryId)?.answered, 'forged answered');
  });

  it('refuses photos and non-PDF files, and a 25 MB document before any download', async () => {
    const { conversations } = await startChannel();
    const user = linkedUser(conversations);
    const getFileBefore = api.callsOf('getFile').length;
    const downloadsBefore = api.downloads.length;
    api.users.sendPhoto(user, new Uint8Array(5000));
    api.users.sendDocument(user, { fileName: 'scan.jpg', mimeType: 'image/jpeg', bytes: new Uint8Array(10) });
    api.users.sendDocument(user, {
      fileName: 'gros.pdf',
      mimeType: 'application/pdf',
      size: 25 * 1024 * 1024,
    });
    api.users.sendDocument(user, {
      fileName: 'cache.pdf',
      mimeType: 'application/pdf',
      size: 21 * 1024 * 1024,
      hideSize: true,
    });
    await api.waitFor(() => api.messagesIn(user.id)[3]?.text?.includes('dépasse 20 Mo'), 'four answers');
    const texts = api.messagesIn(user.id).map((m) => m.text ?? '');
    expect(texts[0]).toContain(
      'Envoyez la facture en PDF, comme fichier : une photo ou un scan n’est pas lu par Chorus Pro',
    );
    expect(texts[1]).toContain('Envoyez la facture en PDF');
    expect(texts[2]).toContain('Ce fichier fait 25 Mo');
    expect(texts[2]).toContain('20 Mo');
    // Size unknown in the message: getFile refuses it, the user gets the same explanation.
    expect(texts[3]).toContain('Ce fichier dépasse 20 Mo');
    expect(api.callsOf('getFile')).toHaveLength(getFileBefore + 1);
    expect(api.downloads).toHaveLength(downloadsBefore);
    expect(conversations.inputs).toHaveLength(0);
  });

  it('tells a user whose PDF waits for an analysis slot where it stands in line', async () => {
    const { conversations } = await startChannel({ options: { maxConcurrentFiles: 1 } });
    const first = linkedUser(conversations);
    const second = linkedUser(conversations);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    conversations.gate = () => gate;
    api.users.sendDocument(first, { fileName: 'a.pdf', mimeType: 'application/pdf', bytes: pdf() });
    await api.waitFor(() => conversations.inputs.length === 1 || undefined, 'first analysis running');
    api.users.sendDocument(second, { fileName: 'b.pdf', mimeType: 'application/pdf', bytes: pdf() });
    const waiting = await api.waitFor(() => api.messagesIn(second.id)[0], 'second status');
    expect(waiting.text).toContain('« b.pdf » attend son tour : n° 1 dans la file d’analyse');
    release();
    conversations.gate = undefined;
    await api.waitFor(() => waiting.text?.includes('Rapport b.pdf'), 'second report in place of its status');
  });

  it('turns « Analyse… » into a clear message when the download fails', async () => {
    const { conversations } = await startChannel();
    const user = linkedUser(conversations);
    // Announced by Telegram but not downloadable (the file route answers 404).
    api.users.sendDocument(user, { fileName: 'perdu.pdf', mimeType: 'application/pdf', size: 1234 });
    await api.waitFor(
      () => api.messagesIn(user.id)[0]?.text?.includes('Je n’ai pas pu récupérer ce fichier'),
      'the download failure explained in place of the status',
    );
    expect(api.messagesIn(user.id)).toHaveLength(1);
    expect(conversations.inputs).toHaveLength(0);
  });

  it('never downloads the file of an unlinked user, and links with /start CODE', async () => {
    const { conversations } = await startChannel();
    const user = api.users.user(nextUser++, 'Inconnu');
    const downloadsBefore = api.downloads.length;
    api.users.sendDocument(user, { fileName: 'facture.pdf', mimeType: 'application/pdf', bytes: pdf() });
    await api.waitFor(() => api.messagesIn(user.id).at(-1)?.text?.includes('Accès réservé'), 'access denied');
    expect(api.downloads.length).toBe(downloadsBefore);
    expect(conversations.inputs.filter((i) => i.input.type === 'file')).toHaveLength(0);

    api.users.sendText(user, '/start GOODCODE');
    await api.waitFor(() => api.messagesIn(user.id).at(-1)?.text?.includes('Compte rattaché'), 'linked');
    expect(conversations.inputs.at(-1)!.input).toEqual({ type: 'link', code: 'GOODCODE' });
    api.users.sendText(user, '/aide');
    await api.waitFor(() => api.messagesIn(user.id).at(-1)?.text?.includes('Aide (aide)'), 'help');
  });

  it('limits a user who floods, once warned, without slowing others', async () => {
    const { conversations } = await startChannel({
      options: { rateLimits: { messages: { capacity: 3, perMinute: 1 } } },
    });
    const flooder = linkedUser(conversations);
    const other = linkedUser(conversations);
    for (let i = 0; i < 8; i += 1) api.users.sendText(flooder, `message ${i}`);
    api.users.sendText(other, 'bonjour');
    await api.waitFor(() => api.messagesIn(other.id).length === 1, 'the other user answered');
    await api.waitFor(() => api.messagesIn(flooder.id).length === 4, 'three answers and one warning');
    await new Promise((r) => setTimeout(r, 200));
    const texts = api.messagesIn(flooder.id).map((m) => m.text ?? '');
    expect(texts.filter((t) => t.startsWith('Doucement'))).toHaveLength(1);
    expect(texts.filter((t) => t.startsWith('Aide'))).toHaveLength(3);
  });

  it('rides out 429 answers with retry_after (auto-retry)', async () => {
    const { conversations } = await startChannel();
    const user = linkedUser(conversations);
    api.failNext(3, { methods: ['sendMessage', 'editMessageText', 'sendPhoto'], retryAfter: 1 });
    api.users.sendDocument(user, { fileName: 'f.pdf', mimeType: 'application/pdf', bytes: pdf() });
    await api.waitFor(() => lastWithButtons(user.id), 'the block despite 429s');
    expect(api.calls.filter((c) => c.status === 429)).toHaveLength(3);
    expect(api.messagesIn(user.id).filter((m) => m.text?.includes('Rapport'))).toHaveLength(1);
  });

  it('tells the user when the conversation fails, and logs without the token', async () => {
    const { conversations } = await startChannel();
    const user = linkedUser(conversations);
    conversations.failNext = true;
    api.users.sendText(user, 'bonjour');
    await api.waitFor(
      () => api.messagesIn(user.id).at(-1)?.text?.includes('Un problème technique'),
      'error message',
    );
    expect(logs.text()).toContain('update failed');
  });

  it('points to the private chat when written to in a group', async () => {
    const { conversations } = await startChannel();
    const user = linkedUser(conversations);
    api.users.sendTextInGroup(user, -100123, 'bonjour');
    await api.waitFor(() => api.messagesIn(-100123).length === 1, 'group answer');
    expect(api.messagesIn(-100123)[0]!.text).toContain('conversation privée');
    expect(conversations.inputs).toHaveLength(0);
  });

  it('sends notifications to the user’s chat', async () => {
    const { conversations } = await startChannel();
    const user = linkedUser(conversations);
    api.users.sendText(user, 'bonjour');
    await api.waitFor(() => api.messagesIn(user.id).length === 1, 'first answer');
    await conversations.notify(String(user.id), {
      kind: 'reminder',
      lines: ['Votre brouillon attend.'],
      choices: [],
    });
    await api.waitFor(
      () => api.messagesIn(user.id).at(-1)?.text?.includes('Votre brouillon attend.'),
      'the reminder',
    );
  });

  it('never blocks the conversation on a notification for a chat that is busy', async () => {
    const { conversations } = await startChannel();
    const user = linkedUser(conversations);
    let release!: () => void;
    conversations.gate = () => new Promise<void>((r) => (release = r));
    api.users.sendText(user, 'occupé');
    await api.waitFor(() => conversations.inputs.length === 1 || undefined, 'handle running');
    // Like the service expiring a draft under its lock while this chat's update waits for that lock:
    // the listener must return without waiting for the chat.
    await conversations.notify(String(user.id), {
      kind: 'expired',
      lines: ['Brouillon expiré.'],
      choices: [],
    });
    release();
    conversations.gate = undefined;
    await api.waitFor(() => api.messagesIn(user.id).length === 2, 'both messages');
    expect(api.messagesIn(user.id).map((m) => m.text)).toEqual(['Aide (occupé)', 'Brouillon expiré.']);
  });

  it('stop() finishes the update in hand before returning', async () => {
    const { channel, conversations } = await startChannel();
    running.pop();
    const user = linkedUser(conversations);
    let release!: () => void;
    conversations.gate = () => new Promise<void>((r) => (release = r));
    api.users.sendText(user, 'lent');
    await api.waitFor(() => conversations.inputs.length === 1 || undefined, 'handle called');
    const stopped = channel.stop();
    setTimeout(() => release(), 150);
    await stopped;
    expect(api.messagesIn(user.id).at(-1)?.text).toContain('Aide (lent)');
  });

  it('keeps message ids across a restart: a button pressed after it edits in place', async () => {
    const state = new MemoryChannelState();
    const conversations = new ScriptedConversations();
    const first = await startChannel({ conversations, state });
    const user = linkedUser(conversations);
    api.users.sendDocument(user, { fileName: 'f.pdf', mimeType: 'application/pdf', bytes: pdf() });
    const block = await api.waitFor(() => lastWithButtons(user.id), 'block');
    await first.channel.stop();
    running.splice(running.indexOf(first.channel), 1);
    await startChannel({ conversations, state });
    api.users.press(user, block, '✏️ Corriger');
    await api.waitFor(() => block.text?.includes('Tapez le numéro'), 'edited in place after restart');
  });

  it('does not show an answer twice when a crash made an update come back', async () => {
    const state = new MemoryChannelState();
    const conversations = new ScriptedConversations();
    const first = await startChannel({ conversations, state });
    const user = linkedUser(conversations);
    const { updateId } = api.users.sendDocument(user, {
      fileName: 'f.pdf',
      mimeType: 'application/pdf',
      bytes: pdf(),
    });
    const block = await api.waitFor(() => lastWithButtons(user.id), 'block');
    const { updateId: pressId } = api.users.press(user, block, '✏️ Corriger');
    await api.waitFor(() => block.text?.includes('Tapez le numéro'), 'edit prompt');
    await first.channel.stop();
    running.splice(running.indexOf(first.channel), 1);
    const shown = api.messagesIn(user.id).map((m) => `${m.messageId}:${m.text ?? m.caption}`);
    // As if the process (of an earlier version, whose journal was one value) had died after
    // answering, before the journal recorded it.
    const botId = api.token.split(':')[0];
    for (const e of await state.list(`telegram:journal:${botId}`))
      await state.delete(`telegram:journal:${botId}`, e.key);
    await state.set('telegram', `journal:${botId}`, {
      pending: [api.update(updateId), api.update(pressId)],
      done: [],
    });
    await startChannel({ conversations, state });
    await eventually(async () => {
      // The journal of an earlier version, taken over: nothing left pending.
      expect(await state.get('telegram', `journal:${botId}`)).toBeUndefined();
      const entries = await state.list(`telegram:journal:${botId}`);
      expect(entries.filter((e) => e.key.startsWith('p:'))).toEqual([]);
    });
    // The file came back to the conversation (which knows it: duplicate); the old press is stale.
    expect(conversations.inputs.at(-1)?.options?.idempotencyKey).toBe(`telegram:update:${updateId}`);
    expect(api.messagesIn(user.id).map((m) => `${m.messageId}:${m.text ?? m.caption}`)).toEqual(shown);
  });

  it('replays a journaled update that was never handled, and skips one already handled', async () => {
    const state = new MemoryChannelState();
    const conversations = new ScriptedConversations();
    const user = linkedUser(conversations);
    api.state.knownChats.add(user.id);
    const message = (id: number, text: string) => ({
      update_id: id,
      message: {
        message_id: 900 + id,
        date: 0,
        chat: { id: user.id, type: 'private' },
        from: { ...user, is_bot: false },
        text,
      },
    });
    const botId = api.token.split(':')[0];
    // A button press whose query Telegram no longer accepts (answered before the crash).
    const oldPress = {
      update_id: 7,
      callback_query: {
        id: 'expired-query',
        from: { ...user, is_bot: false },
        chat_instance: 'c',
        data: '::help',
        message: { message_id: 1, date: 0, chat: { id: user.id, type: 'private' } },
      },
    };
    await state.set('telegram', `journal:${botId}`, {
      pending: [message(5, 'rejoué'), message(6, 'déjà fait'), oldPress],
      done: [6],
    });
    await startChannel({ conversations, state });
    await api.waitFor(
      () => api.messagesIn(user.id).some((m) => m.text?.includes('Aide (rejoué)')),
      'replayed update',
    );
    await api.waitFor(() => api.messagesIn(user.id).length >= 2, 'the replayed press answered');
    expect(conversations.inputs.map((i) => i.options?.idempotencyKey)).toEqual([
      'telegram:update:5',
      'telegram:update:7',
    ]);
    expect(
      api
        .messagesIn(user.id)
        .map((m) => m.text)
        .join('\n'),
    ).not.toContain('Un problème technique');
    await eventually(async () => {
      const entries = await state.list(`telegram:journal:${botId}`);
      expect(entries.filter((e) => e.key.startsWith('p:'))).toEqual([]);
      const done = entries.filter((e) => e.key.startsWith('d:')).map((e) => Number(e.key.slice(2)));
      expect(done).toEqual(expect.arrayContaining([5, 6, 7]));
    });
  });
});

describe('Telegram channel in webhook mode', () => {
  it('registers the webhook with its secret, answers at once and handles updates', async () => {
    const port = await freePort();
    const { channel, conversations } = await startChannel({
      env: {
        TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/hook`,
        TELEGRAM_WEBHOOK_SECRET: 'hook-secret-1',
        TELEGRAM_WEBHOOK_PORT: String(port),
      },
    });
    expect(channel.webhookPort).toBe(port);
    expect(api.callsOf('setWebhook').at(-1)!.params).toMatchObject({
      url: `http://127.0.0.1:${port}/telegram/hook`,
      secret_token: 'hook-secret-1',
    });
    const user = linkedUser(conversations);
    api.users.sendDocument(user, { fileName: 'f.pdf', mimeType: 'application/pdf', bytes: pdf() });
    const block = await api.waitFor(() => lastWithButtons(user.id), 'block through the webhook');
    api.users.press(user, block, '✏️ Corriger');
    await api.waitFor(() => block.text?.includes('Tapez le numéro'), 'edited in place');

    const wrong = await fetch(`http://127.0.0.1:${port}/telegram/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'nope' },
      body: JSON.stringify({ update_id: 1 }),
    });
    expect(wrong.status).toBe(401);
    const other = await fetch(`http://127.0.0.1:${port}/elsewhere`, { method: 'POST', body: '{}' });
    expect(other.status).toBe(404);
    await channel.stop();
    running.splice(running.indexOf(channel), 1);
    api.clearWebhook();
  });
});

describe('Telegram channel start failures', () => {
  it('refuses a revoked token with a clear error, and leaves nothing running', async () => {
    const channel = createTelegramChannel({
      config: createConfig({ TELEGRAM_BOT_TOKEN: '42:RevokedTokenRevoked', TELEGRAM_API_ROOT: api.url }),
      conversations: new ScriptedConversations(),
      logger: logs.logger,
      channelState: new MemoryChannelState(),
    });
    const error = (await channel.start().catch((e: unknown) => e)) as TelegramTokenError;
    expect(error).toBeInstanceOf(TelegramTokenError);
    expect(error.userMessage).toContain('TELEGRAM_BOT_TOKEN');
  });

  it('says in French when the webhook port is taken or Telegram refuses the URL', async () => {
    const port = await freePort();
    const squatter = createServer().listen(port, '127.0.0.1');
    await new Promise((r) => squatter.once('listening', r));
    const make = (url: string) =>
      createTelegramChannel({
        config: createConfig({
          TELEGRAM_BOT_TOKEN: api.token,
          TELEGRAM_API_ROOT: api.url,
          TELEGRAM_WEBHOOK_URL: url,
          TELEGRAM_WEBHOOK_PORT: String(port),
        }),
        conversations: new ScriptedConversations(),
        logger: logs.logger,
        channelState: new MemoryChannelState(),
      });
    const taken = (await make('https://facteur.example/tg')
      .start()
      .catch((e: unknown) => e)) as TelegramWebhookError;
    expect(taken).toBeInstanceOf(TelegramWebhookError);
    expect(taken.userMessage).toContain(`Le port ${port} est déjà utilisé`);
    await new Promise((r) => squatter.close(r));

    const refused = make('ftp://facteur.example/tg');
    const error = (await refused.start().catch((e: unknown) => e)) as TelegramWebhookError;
    expect(error).toBeInstanceOf(TelegramWebhookError);
    expect(error.userMessage).toContain('HTTPS');
    // The failed start closed its webhook server: the port is free again.
    const again = createServer().listen(port, '127.0.0.1');
    await new Promise((r, j) => again.once('listening', r).once('error', j));
    await new Promise((r) => again.close(r));
  });
});
