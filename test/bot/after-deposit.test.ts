import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followUpChoiceId } from '../../src/followup/actions.js';
import { startFakeBotApi, type FakeBotApi, type FakeUser } from './fake-bot-api/index.js';
import {
  buttonsOf,
  cleanInvoice,
  depositWithButtons,
  startTelegramApp,
  type TelegramApp,
} from './helpers/telegram-app.js';

/**
 * The conversation after a deposit on Telegram: the real bot (createApp) over HTTP to the fake
 * Bot API, the real conversation, store and embedded simulator.
 */

let api: FakeBotApi;
let tg: TelegramApp;
let nextUserId = 7_300_001;

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

const textsOf = (user: FakeUser) => api.messagesIn(user.id).map((m) => m.text ?? m.caption ?? '');
const count = (user: FakeUser, needle: string) => textsOf(user).filter((t) => t.includes(needle)).length;
const waitText = (user: FakeUser, needle: string, after = 0) =>
  api.waitFor(
    () =>
      api
        .messagesIn(user.id)
        .slice(after)
        .find((m) => (m.text ?? '').includes(needle)),
    needle,
    60_000,
  );

describe('Telegram after a deposit', { timeout: 180_000 }, () => {
  it('50 quick messages after the receipt send nothing twice (no receipt, no PDF again)', async () => {
    const user = await linkedUser();
    const pdf = readFileSync(new URL('../../examples/facture-exemple.pdf', import.meta.url));
    await depositWithButtons(api, user, pdf, 'facture-exemple.pdf');
    expect(count(user, 'Facture déposée sur Chorus Pro')).toBe(1);
    const words = ['merci', 'ok', 'merci !', 'super', 'Bonjour', 'et après ?', '👍', 'top merci'];
    for (let i = 0; i < 50; i++) api.users.sendText(user, words[i % words.length]!);
    // The bot's flood limit answers « doucement » once; the chat's updates are handled in order.
    await waitText(user, 'Doucement');
    // Then « mes factures » (again while the limit still drops it): answered after all 50.
    let listed;
    for (let attempt = 0; attempt < 20 && !listed; attempt++) {
      const mark = api.messagesIn(user.id).length;
      api.users.sendText(user, 'mes factures');
      listed = await api
        .waitFor(
          () =>
            api
              .messagesIn(user.id)
              .slice(mark)
              .find((m) => (m.text ?? '').includes('Vos factures déposées')),
          'the list',
          3_000,
        )
        .catch(() => undefined);
    }
    expect(listed).toBeDefined();
    expect(api.messagesIn(user.id).filter((m) => m.kind === 'document')).toHaveLength(1);
    expect(count(user, 'Facture déposée sur Chorus Pro')).toBe(1);
    expect(count(user, 'Avec plaisir !')).toBe(1);
    expect(count(user, 'Parfait.')).toBe(1);
    expect(count(user, 'Bonjour')).toBe(1);
    expect(count(user, 'est déposée : elle ne se modifie plus')).toBe(1);
    expect(count(user, 'brouillon est terminé')).toBe(0);
  });

  it('« mes factures » pages with « Suivantes », and « statut <numéro> » finds the invoice', async () => {
    const user = await linkedUser();
    // More than a page of invoices on the demo account (shared by this suite's users), recorded
    // as the deposit service records them.
    const store = tg.app.store;
    const account = (await store.accounts.getByName('demo'))!;
    for (let i = 0; i < 6; i++) {
      const n = `F-2026-07${String(i).padStart(2, '0')}`;
      const rec = await store.conversations.create({
        accountId: account.id,
        startedBy: { channel: 'telegram', userId: String(user.id) },
        snapshot: null,
        machineVersion: 1,
        status: 'submitted',
        makeCurrent: false,
      });
      await store.deposits.markInFlight({
        conversationId: rec.id,
        accountId: account.id,
        invoiceNumber: n,
        invoiceDate: '2026-03-01',
      });
      await store.deposits.complete(rec.id, {
        chorusInvoiceId: 990_000 + i,
        invoiceNumber: n,
        depositedAt: `2099-01-0${i + 1}T09:00:00.000Z`,
        status: 'MISE_A_DISPOSITION',
        recipientSiret: '21330063500017',
        recipientName: 'Commune de Saint-Aubin-sur-Garonne',
        cadre: 'A1',
        totalExclTaxCents: 100_000,
        totalTaxCents: 20_000,
        totalInclTaxCents: 120_000 + i,
        currency: 'EUR',
      });
    }
    const before = api.messagesIn(user.id).length;
    api.users.sendText(user, '/factures');
    const page1 = await waitText(user, 'Vos factures déposées', before);
    expect(page1.text).toMatch(/Factures 1 à 5 sur \d+/);
    expect(page1.text).toContain(
      'F-2026-0705 — Commune de Saint-Aubin-sur-Garonne — 1 200,05 € — Mise à disposition',
    );
    expect(page1.text).not.toContain('F-2026-0700');
    const labels = buttonsOf(page1).map((b) => b.text);
    expect(labels).toContain('Suivantes');
    expect(labels).toContain('Statut F-2026-0705');
    const next = buttonsOf(page1).find((b) => b.text === 'Suivantes')!;
    const mark = api.messagesIn(user.id).length;
    api.users.pressData(user, page1, next.data);
    const page2 = await waitText(user, 'Vos factures déposées', mark);
    expect(page2.text).toMatch(/Factures 6 à \d+ sur \d+/);
    expect(page2.text).toContain('F-2026-0700');
    expect(buttonsOf(page2).map((b) => b.text)).toContain('Précédentes');
    const mark2 = api.messagesIn(user.id).length;
    api.users.sendText(user, 'statut F-2026-0702');
    const status = await waitText(user, 'facture déposée sur Chorus Pro', mark2);
    expect(status.text).toContain('n° 990002');
  });

  it('a notification’s « Compléter » button asks a comment, then completer', async () => {
    const user = await linkedUser();
    const receipt = await depositWithButtons(api, user, await cleanInvoice('F-2026-0720'), 'f.pdf');
    const invoice = tg.app.simulator!.listInvoices().find((i) => i.number === 'F-2026-0720')!;
    await tg.app.simulator!.setInvoiceStatus(invoice.id, 'MISE_A_DISPOSITION');
    await tg.app.simulator!.setInvoiceStatus(invoice.id, 'SUSPENDUE', 'Il manque le PV de réception');
    // Notifications carry no draft nor revision: `::fu:complete:<id>`.
    let mark = api.messagesIn(user.id).length;
    api.users.pressData(user, receipt, `::${followUpChoiceId('complete', invoice.id)}`);
    await waitText(user, 'Compléter la facture F-2026-0720', mark);
    mark = api.messagesIn(user.id).length;
    api.users.sendText(user, 'PV de réception signé le 2 mars');
    const ask = await waitText(user, 'Commentaire noté', mark);
    const send = buttonsOf(ask).find((b) => b.text === 'Envoyer')!;
    mark = api.messagesIn(user.id).length;
    api.users.pressData(user, ask, send.data);
    await waitText(user, 'est complétée', mark);
    expect(tg.app.simulator!.listInvoices().find((i) => i.id === invoice.id)!.status).toBe('COMPLETEE');
  });
});
