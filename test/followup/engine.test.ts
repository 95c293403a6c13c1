import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationView, type NotificationPayload } from '../../src/followup/views.js';
import { BACKENDS } from '../store/helpers.js';
import { invoicePdf, type Harness } from '../deposit/helpers.js';
import { closeWorld, DEMO, followUpHarness, openWorld, type World, type WorldOnBackend } from './helpers.js';
import type { Store } from '../../src/store/index.js';

const DAY = 86_400_000;
let pdf: Uint8Array;
let harness: Harness;

beforeAll(async () => {
  pdf = await invoicePdf();
  harness = await followUpHarness();
});
afterAll(() => harness?.close());

describe.each(BACKENDS)('follow-up engine on %s', (backendName) => {
  let world: WorldOnBackend | undefined;
  let store: Store;
  let w: World;

  beforeAll(async () => {
    world = await openWorld(backendName, harness);
    ({ store, w } = world);
  });
  afterAll(() => closeWorld(world));

  /** A cycle in which no account failed (a failure is otherwise only logged and retried). */
  const cycleOk = async (engine: ReturnType<World['engine']>) => {
    const report = await engine.runOnce();
    expect(report.accounts.filter((a) => a.error)).toEqual([]);
    return report;
  };

  const outbox = async (id: number) =>
    (await store.outbox.list({ accountId: w.accountId })).filter((n) => n.chorusInvoiceId === id);

  it('suspended → completed → paid: each change recorded and notified once, with « Compléter »', async () => {
    const r = await w.deposit(pdf);
    const engine = w.engine();
    await w.advance(400_000); // routed, then available to the buyer
    await cycleOk(engine);
    await w.h.sim.setInvoiceStatus(r.chorusInvoiceId, 'SUSPENDUE', 'Bon de livraison manquant');
    const cycle = await cycleOk(engine);
    const mine = cycle.accounts.find((a) => a.accountId === w.accountId)!;
    expect(mine.changes).toEqual([
      expect.objectContaining({
        from: 'MISE_A_DISPOSITION',
        to: 'SUSPENDUE',
        comment: 'Bon de livraison manquant',
      }),
    ]);
    await cycleOk(engine); // nothing new: nothing notified again
    const suspended = (await outbox(r.chorusInvoiceId)).filter((n) => n.status === 'SUSPENDUE');
    expect(suspended).toHaveLength(1);
    const view = notificationView(suspended[0]!.payload as unknown as NotificationPayload);
    expect(view.lines.join('\n')).toContain('Bon de livraison manquant');
    expect(view.choices[0]).toEqual({
      id: `fu:complete:${r.chorusInvoiceId}`,
      label: 'Compléter',
      style: 'primary',
    });

    await w.service.complete(DEMO, { chorusInvoiceId: r.chorusInvoiceId, comment: 'Le voici.' });
    await w.advance(DAY);
    await w.h.sim.setInvoiceStatus(r.chorusInvoiceId, 'MISE_EN_PAIEMENT');
    await cycleOk(engine);
    const statuses = (await outbox(r.chorusInvoiceId)).map((n) => n.status);
    expect(statuses).toEqual(['MISE_A_DISPOSITION', 'SUSPENDUE', 'COMPLETEE', 'MISE_EN_PAIEMENT']);
    const followed = (await store.followUps.get(w.accountId, r.chorusInvoiceId))!;
    expect(followed).toMatchObject({ status: 'MISE_EN_PAIEMENT', active: false });
    const paid = notificationView(
      (await outbox(r.chorusInvoiceId)).at(-1)!.payload as unknown as NotificationPayload,
    );
    expect(paid.title).toContain('paiement en cours');
    expect(paid.lines.join(' ')).toContain('Payée dans le délai légal');
  });

  it('à recycler → recycled → available again, with « Corriger le destinataire »', async () => {
    const r = await w.deposit(pdf);
    const engine = w.engine();
    await w.advance(400_000);
    await w.h.sim.setInvoiceStatus(r.chorusInvoiceId, 'A_RECYCLER', 'Service inconnu chez nous');
    await cycleOk(engine);
    const toRecycle = (await outbox(r.chorusInvoiceId)).find((n) => n.status === 'A_RECYCLER')!;
    expect(notificationView(toRecycle.payload as unknown as NotificationPayload).choices[0]!.id).toBe(
      `fu:fix-recipient:${r.chorusInvoiceId}`,
    );
    await w.service.recycle(DEMO, {
      chorusInvoiceId: r.chorusInvoiceId,
      recipientSiret: '19330001900018',
      engagementNumber: 'EJ-2026-77',
    });
    await w.advance(400_000);
    await cycleOk(engine);
    const f = (await store.followUps.get(w.accountId, r.chorusInvoiceId))!;
    expect(f.status).toBe('MISE_A_DISPOSITION');
    expect(f.active).toBe(true);
    expect((await outbox(r.chorusInvoiceId)).map((n) => n.status)).toEqual([
      'MISE_A_DISPOSITION',
      'A_RECYCLER',
      'MISE_A_DISPOSITION',
    ]);
  });

  it('rejected: final, reason shown, « Préparer une nouvelle facture »', async () => {
    const r = await w.deposit(pdf);
    await w.h.sim.setInvoiceStatus(r.chorusInvoiceId, 'REJETEE', 'Mauvais cadre de facturation');
    await cycleOk(w.engine());
    const rejected = (await outbox(r.chorusInvoiceId)).find((n) => n.status === 'REJETEE')!;
    const view = notificationView(rejected.payload as unknown as NotificationPayload);
    expect(view.lines.join(' ')).toContain('Mauvais cadre de facturation');
    expect(view.lines.join(' ')).toContain('nouveau numéro');
    expect(view.choices[0]!.id).toBe(`fu:new-invoice:${r.chorusInvoiceId}`);
    expect((await store.followUps.get(w.accountId, r.chorusInvoiceId))!.active).toBe(false);
  });

  it('late: a deadline notification with interest, then the interest owed at payment', async () => {
    const r = await w.deposit(pdf);
    const engine = w.engine();
    await w.advance(400_000);
    await cycleOk(engine);
    const f0 = (await store.followUps.get(w.accountId, r.chorusInvoiceId))!;
    expect(f0.paymentDueBy).toBeDefined();
    await w.advance(40 * DAY); // 10 days past the 30-day deadline
    await cycleOk(engine);
    await cycleOk(engine);
    const deadline = (await outbox(r.chorusInvoiceId)).filter((n) => n.kind === 'deadline');
    expect(deadline).toHaveLength(1);
    const dv = notificationView(deadline[0]!.payload as unknown as NotificationPayload);
    expect(dv.title).toContain('paiement en retard');
    expect(dv.lines.join(' ')).toMatch(/intérêts moratoires .* 40,00 €/);
    expect(dv.choices[0]!.id).toBe(`fu:reminder:${r.chorusInvoiceId}`);
    await w.h.sim.setInvoiceStatus(r.chorusInvoiceId, 'MISE_EN_PAIEMENT');
    await cycleOk(engine);
    const paid = (await outbox(r.chorusInvoiceId)).find((n) => n.status === 'MISE_EN_PAIEMENT')!;
    const late = (paid.payload as unknown as NotificationPayload).late!;
    expect(late.daysLate).toBeGreaterThanOrEqual(9);
    // 1 500,00 € TTC at the semester's rate, integer cents, plus 40 €.
    expect(late.interestCents).toBe(Math.round((150_000 * late.rateBp * late.daysLate) / (10_000 * 365)));
    expect(late.totalCents).toBe(late.interestCents + 4_000);
  });

  it('polls per account: the calls follow the changes, not the invoices followed', async () => {
    const engine = w.engine();
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push((await w.deposit(pdf)).chorusInvoiceId);
    await cycleOk(engine); // first look at the new deposits
    const before = w.calls();
    await cycleOk(engine);
    expect(w.calls() - before).toBe(1); // one search, nothing changed
    await w.h.sim.setInvoiceStatus(ids[2]!, 'SERVICE_FAIT');
    const mid = w.calls();
    await cycleOk(engine);
    expect(w.calls() - mid).toBe(2); // the search + the history of the one that changed
  });

  it('one poller per account at a time (lease), and notifications can be turned off', async () => {
    expect(
      await store.followUps.acquireLease(w.accountId, 'other-instance', new Date(Date.now() + 60_000)),
    ).toBe(true);
    const skipped = await w.engine().poll(w.accountId);
    expect(skipped).toBeUndefined();
    await store.followUps.releaseLease(w.accountId, 'other-instance');

    await store.followUps.setNotifications(w.accountId, false);
    expect(await store.followUps.notificationsEnabled(w.accountId)).toBe(false);
    const r = await w.deposit(pdf);
    await w.h.sim.setInvoiceStatus(r.chorusInvoiceId, 'SUSPENDUE', 'PV manquant');
    await cycleOk(w.engine());
    const rows = await outbox(r.chorusInvoiceId);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((n) => n.skipped === 'notifications-off' && n.deliveredAt)).toBe(true);
    await store.followUps.setNotifications(w.accountId, true);
  });
});
