/**
 * Telegram, the whole of Facteur (createApp, real recognition and simulator): the report comes
 * before the preview. The « Analyse… » status becomes the report and the first step's buttons
 * arrive while the preview is still being drawn; the preview photo follows, in reply to the
 * report. A preview that cannot be drawn loses nothing: the deposit goes through without it.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRecognizer } from '../../src/recognition/index.js';
import { startFakeBotApi, type FakeBotApi, type FakeUser } from './fake-bot-api/index.js';
import {
  depositWithButtons,
  lastWithButtons,
  startTelegramApp,
  type TelegramApp,
} from './helpers/telegram-app.js';
import { gatedRecognizer } from '../machine/gated-recognizer.js';

const engine = createRecognizer({ poolSize: 1 });
const gated = gatedRecognizer(engine);
const pdf = readFileSync(new URL('../../examples/facture-exemple.pdf', import.meta.url));
let api: FakeBotApi;
let tg: TelegramApp;
let nextUserId = 7_500_001;

beforeAll(async () => {
  api = await startFakeBotApi();
  tg = await startTelegramApp(api, { recognizer: gated.recognizer });
});
afterAll(async () => {
  gated.releasePreviews();
  await tg?.stop();
  await api?.close();
  await engine.close();
});
beforeEach(() => gated.reset());

async function linkedUser(): Promise<FakeUser> {
  const user = api.users.user(nextUserId++, 'Camille');
  await tg.link(user);
  return user;
}

// Generous limits: CI runs every suite at once on two cores.
describe('Telegram: the report before the preview', { timeout: 120_000 }, () => {
  it('sends the report and the first step while the preview is drawn, then the photo in reply', async () => {
    const user = await linkedUser();
    api.users.sendDocument(user, { fileName: 'facture.pdf', mimeType: 'application/pdf', bytes: pdf });
    await api.waitFor(() => lastWithButtons(api, user.id), 'the first step', 60_000);
    const report = api.messagesIn(user.id)[0]!;
    expect(report.edits).toBeGreaterThanOrEqual(1);
    expect(report.text).toContain('facture.pdf');
    // The channel asked for the preview once the report was out; it is not drawn yet.
    for (let i = 0; i < 600 && gated.state.previewsAsked === 0; i += 1)
      await new Promise((r) => setTimeout(r, 50));
    expect(gated.state.previewsAsked).toBe(1);
    expect(gated.state.previewsDrawn).toBe(0);
    expect(api.messagesIn(user.id).some((m) => m.kind === 'photo')).toBe(false);
    gated.releasePreviews();
    const photo = await api.waitFor(
      () => api.messagesIn(user.id).find((m) => m.kind === 'photo'),
      'the preview photo',
      60_000,
    );
    expect(photo.replyTo).toBe(report.messageId);
    expect(photo.caption).toContain('Page 1');
    expect([...photo.file!.bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });

  it('a preview that cannot be drawn loses nothing: report, steps and receipt without a photo', async () => {
    const user = await linkedUser();
    gated.failPreviews();
    const receipt = await depositWithButtons(api, user, pdf, 'facture.pdf');
    expect(Buffer.from(receipt.file!.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    expect(gated.state.previewsAsked).toBe(1);
    expect(api.messagesIn(user.id)[0]!.text).toContain('facture.pdf');
    expect(api.messagesIn(user.id).filter((m) => m.kind === 'photo')).toEqual([]);
  });
});
