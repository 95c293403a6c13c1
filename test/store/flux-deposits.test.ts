import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationNotFoundError, type Account, type Store } from '../../src/store/index.js';
import { BACKENDS, type Backend, closeBackend, manualClock, openWithCamille } from './helpers.js';

describe.each(BACKENDS)('flux deposits on %s', (name) => {
  let backend: Backend;
  let store: Store;
  let account: Account;
  const clock = manualClock();
  const me = { channel: 'terminal', userId: 'local' } as const;

  beforeAll(async () => {
    ({ backend, store, account } = await openWithCamille(name, clock));
  });
  afterAll(() => closeBackend(store, backend));

  const draft = () =>
    store.conversations.create({ accountId: account.id, startedBy: me, snapshot: {}, machineVersion: 1 });
  const begin = (conversationId: string) =>
    store.fluxDeposits.begin({
      conversationId,
      accountId: account.id,
      invoiceNumber: 'F-2026-0042',
      invoiceDate: '2026-03-15',
      fileName: 'facture.pdf',
    });

  it('marks a flow before sending, records its number, follows it to its end', async () => {
    const conv = await draft();
    expect(await begin(conv.id)).toBe(true);
    expect(await store.fluxDeposits.get(conv.id)).toMatchObject({
      state: 'sending',
      attempts: 1,
      reasons: [],
    });
    // Sending or pending: no second flow for this draft.
    expect(await begin(conv.id)).toBe(false);
    await store.fluxDeposits.accepted(conv.id, 'CPP0011110000000000001557', '2026-03-15T10:00:00.000Z');
    expect(await begin(conv.id)).toBe(false);
    const open = await store.fluxDeposits.listOpen();
    expect(open.find((r) => r.conversationId === conv.id)).toMatchObject({
      state: 'pending',
      fluxNumber: 'CPP0011110000000000001557',
      depositedAt: '2026-03-15T10:00:00.000Z',
    });
    await store.fluxDeposits.update(conv.id, 'pending', { chorusState: 'IN_EN_COURS_TRAITEMENT_CPP' });
    await store.fluxDeposits.update(conv.id, 'integrated', { chorusState: 'IN_INTEGRE' });
    // An integrated flow stays integrated.
    await store.fluxDeposits.update(conv.id, 'rejected', { chorusState: 'IN_REJETE' });
    expect(await store.fluxDeposits.get(conv.id)).toMatchObject({
      state: 'integrated',
      chorusState: 'IN_INTEGRE',
    });
    expect(await begin(conv.id)).toBe(false);
    expect((await store.fluxDeposits.listOpen()).some((r) => r.conversationId === conv.id)).toBe(false);
  });

  it('keeps the reasons of a rejection and allows a new flow afterwards', async () => {
    const conv = await draft();
    await begin(conv.id);
    await store.fluxDeposits.accepted(conv.id, 'CPP0011110000000000001558', '2026-03-15T10:00:00.000Z');
    await store.fluxDeposits.update(conv.id, 'rejected', {
      chorusState: 'IN_REJETE',
      reasons: ['Ce destinataire exige un code service.'],
    });
    expect(await store.fluxDeposits.get(conv.id)).toMatchObject({
      state: 'rejected',
      reasons: ['Ce destinataire exige un code service.'],
    });
    expect(await begin(conv.id)).toBe(true);
    expect(await store.fluxDeposits.get(conv.id)).toMatchObject({
      state: 'sending',
      attempts: 2,
      reasons: [],
    });
    expect((await store.fluxDeposits.get(conv.id))?.fluxNumber).toBeUndefined();
  });

  it('refuses a flow for an unknown conversation', async () => {
    await expect(begin('nope')).rejects.toBeInstanceOf(ConversationNotFoundError);
  });
});
