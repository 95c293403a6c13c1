/**
 * A Factur-X deposited through Telegram, end to end: the real bot built by createApp talking HTTP
 * to the fake Bot API, the real conversation, recognition and store, the embedded simulator's
 * flux channel. A flux on the embedded values; a flux Chorus Pro rejects, then the PDF alone.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fluxPdf } from '../fixtures/facturx/flux-fixtures.js';
import { startFakeBotApi, type FakeBotApi, type FakeMessage, type FakeUser } from './fake-bot-api/index.js';
import { buttonFor, press, startTelegramApp, type TelegramApp } from './helpers/telegram-app.js';

let api: FakeBotApi;
let tg: TelegramApp;
let nextUserId = 7_100_001;

beforeAll(async () => {
  api = await startFakeBotApi();
  tg = await startTelegramApp(api);
});
afterAll(async () => {
  await tg?.stop();
  await api?.close();
});

async function linkedUser(): Promise<FakeUser> {
  const user = api.users.user(nextUserId++, 'Camille');
  await tg.link(user);
  return user;
}

const texts = (user: FakeUser) => api.messagesIn(user.id).map((m) => m.text ?? m.caption ?? '');

/**
 * Sends the PDF and goes on with the first button offered among `prefer` (in that order) at every
 * step, until the receipt PDF arrives.
 */
async function depositWith(user: FakeUser, pdf: Uint8Array, fileName: string, prefer: string[]) {
  const before = api.messagesIn(user.id).length;
  api.users.sendDocument(user, { fileName, mimeType: 'application/pdf', bytes: pdf });
  const fresh = () => api.messagesIn(user.id).slice(before);
  const pressable = (m: FakeMessage) => prefer.find((p) => buttonFor(m, p));
  for (let step = 0; step < 16; step += 1) {
    const current = await api.waitFor(
      () => {
        const receipt = fresh().find((m) => m.kind === 'document');
        if (receipt) return { receipt };
        const m = fresh()
          .filter((x) => pressable(x))
          .at(-1);
        return m ? { m } : undefined;
      },
      `a step of ${fileName}`,
      90_000,
    );
    if ('receipt' in current && current.receipt) return current.receipt;
    if ('m' in current && current.m) await press(api, user, current.m, pressable(current.m)!);
  }
  throw new Error(`no receipt for ${fileName}`);
}

describe('Factur-X through Telegram', { timeout: 180_000 }, () => {
  it('deposits the example as a flux on its embedded values', async () => {
    const user = await linkedUser();
    const pdf = readFileSync(new URL('../../examples/facture-facturx.pdf', import.meta.url));
    const receipt = await depositWith(user, pdf, 'facture-facturx.pdf', ['ok']);
    expect(Buffer.from(receipt.file!.bytes).subarray(0, 5).toString()).toBe('%PDF-');
    const all = texts(user).join('\n');
    expect(all).toContain('Factur-X (profil EN 16931) : données exactes lues dans la facture');
    expect(all).toContain('lu dans le Factur-X');
    expect(all).toContain('La facture sera déposée comme flux Factur-X');
    expect(all).toMatch(/Facture déposée sur Chorus Pro[\s\S]*F-2026-0051/);
    const sim = tg.app.simulator!;
    const fluxes = await sim.listFluxes();
    expect(fluxes.filter((f) => f.state === 'IN_INTEGRE')).toHaveLength(1);
    const invoices = sim.listInvoices().filter((i) => i.number === 'F-2026-0051');
    expect(invoices).toHaveLength(1);
    expect(invoices[0]!.fluxNumber).toBe(fluxes[0]!.number);
  });

  it('explains a rejected flux and deposits the PDF alone on « Déposer en PDF simple »', async () => {
    const user = await linkedUser();
    const pdf = await fluxPdf({ number: 'F-2026-0078', mutate: (i) => (i.paymentMeans = []) });
    const receipt = await depositWith(user, pdf, 'sans-paiement.pdf', [
      'ok',
      'fx:pdf',
      'set:bankAccount:116050',
    ]);
    expect(receipt.file).toBeDefined();
    const all = texts(user).join('\n');
    expect(all).toContain('Flux Factur-X rejeté par Chorus Pro');
    expect(all).toContain('PaymentMeans.TypeCode.value est obligatoire');
    expect(all).toContain('Vous avez choisi le dépôt en PDF simple');
    const sim = tg.app.simulator!;
    const invoices = sim.listInvoices().filter((i) => i.number === 'F-2026-0078');
    expect(invoices).toHaveLength(1);
    expect(invoices[0]!.modeDepot).toBe('DEPOT_PDF_API');
    expect((await sim.listFluxes()).filter((f) => f.state === 'IN_REJETE')).toHaveLength(1);
  });
});
