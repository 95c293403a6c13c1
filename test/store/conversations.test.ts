import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConversationNotFoundError,
  DuplicateEventError,
  RevisionConflictError,
  type Account,
  type Store,
} from '../../src/store/index.js';
import { BACKENDS, type Backend, closeBackend, manualClock, openWithCamille } from './helpers.js';

const camille = { channel: 'telegram', userId: '424242' } as const;

describe.each(BACKENDS)('conversations on %s', (name) => {
  let backend: Backend;
  let store: Store;
  let account: Account;
  const clock = manualClock('2026-03-15T10:00:00.000Z');

  beforeAll(async () => {
    ({ backend, store, account } = await openWithCamille(name, clock));
  });
  afterAll(() => closeBackend(store, backend));

  const newDraft = (snapshot: unknown = { value: 'start' }) =>
    store.conversations.create({ accountId: account.id, startedBy: camille, snapshot, machineVersion: 3 });

  it('creates a draft at revision 0 with a short id, a provisional number and the current pointer', async () => {
    const conv = await newDraft({ value: 'analysing', context: { amounts: [125000, 25000] } });
    expect(conv.id).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(conv).toMatchObject({
      accountId: account.id,
      startedBy: camille,
      status: 'open',
      revision: 0,
      machineVersion: 3,
      snapshot: { value: 'analysing', context: { amounts: [125000, 25000] } },
      createdAt: '2026-03-15T10:00:00.000Z',
      lastActivityAt: '2026-03-15T10:00:00.000Z',
    });
    expect(conv.provisionalNumber).toMatch(/^PROV-2026-\d{4}$/);
    expect(await store.conversations.getCurrent(camille)).toBe(conv.id);
    expect(await store.conversations.get(conv.id)).toEqual(conv);
    expect(await store.conversations.get('nope')).toBeUndefined();
  });

  it('numbers drafts per account and per (French) year, never reusing a number', async () => {
    const other = await store.accounts.create({ name: 'Seq' });
    const make = () =>
      store.conversations.create({
        accountId: other.id,
        startedBy: { channel: 'terminal', userId: 'local' },
        snapshot: {},
        machineVersion: 1,
      });
    const a = await make();
    const b = await make();
    expect([a.provisionalNumber, b.provisionalNumber]).toEqual(['PROV-2026-0001', 'PROV-2026-0002']);
    await store.conversations.remove(b.id);
    expect((await make()).provisionalNumber).toBe('PROV-2026-0003');
    // 31 December 23:30 UTC is already 1 January in Paris.
    clock.set('2026-12-31T23:30:00.000Z');
    expect((await make()).provisionalNumber).toBe('PROV-2027-0001');
    clock.set('2026-03-15T10:00:00.000Z');
    expect((await store.conversations.findByProvisionalNumber(other.id, 'PROV-2026-0001'))?.id).toBe(a.id);
    expect((await store.conversations.findByProvisionalNumber(other.id, '1'))?.id).toBe(a.id);
    expect((await store.conversations.findByProvisionalNumber(other.id, 'prov-2026-1'))?.id).toBe(a.id);
    expect(await store.conversations.findByProvisionalNumber(other.id, '2')).toBeUndefined();
    expect(await store.conversations.findByProvisionalNumber(account.id, '3')).toBeUndefined();
    expect(await store.conversations.findByProvisionalNumber(other.id, 'abc')).toBeUndefined();
  });

  it('hands out distinct provisional numbers to concurrent creations', async () => {
    const acc = await store.accounts.create({ name: 'Concurrent' });
    const drafts = await Promise.all(
      Array.from({ length: 20 }, () =>
        store.conversations.create({
          accountId: acc.id,
          startedBy: camille,
          snapshot: {},
          machineVersion: 1,
          makeCurrent: false,
        }),
      ),
    );
    const numbers = drafts.map((d) => d.provisionalNumber).sort();
    expect(numbers).toEqual(
      Array.from({ length: 20 }, (_, i) => `PROV-2026-${String(i + 1).padStart(4, '0')}`),
    );
  });

  it('applies events in revision order and refuses a stale revision', async () => {
    const conv = await newDraft();
    clock.advance(1_000);
    const first = await store.conversations.apply({
      conversationId: conv.id,
      expectedRevision: 0,
      snapshot: { value: 'block', n: 1 },
      status: 'open',
      idempotencyKey: `telegram:update:${conv.id}:1`,
      result: [{ kind: 'block', lines: ['Identification'] }],
    });
    expect(first.applied).toBe(true);
    if (!first.applied) return;
    expect(first.conversation).toMatchObject({
      revision: 1,
      snapshot: { value: 'block', n: 1 },
      updatedAt: '2026-03-15T10:00:01.000Z',
    });
    const stale = await store.conversations
      .apply({ conversationId: conv.id, expectedRevision: 0, snapshot: { lost: true }, status: 'open' })
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(RevisionConflictError);
    expect(stale).toMatchObject({ expectedRevision: 0, actualRevision: 1 });
    expect((await store.conversations.get(conv.id))?.snapshot).toEqual({ value: 'block', n: 1 });
    await expect(
      store.conversations.apply({
        conversationId: 'missing',
        expectedRevision: 0,
        snapshot: {},
        status: 'open',
      }),
    ).rejects.toBeInstanceOf(ConversationNotFoundError);
  });

  it('returns the stored views for an idempotency key applied before, whatever the revision', async () => {
    const conv = await newDraft();
    const receipt = new Uint8Array([37, 80, 68, 70, 45, 49, 46, 55, 0, 255]);
    const views = [{ kind: 'receipt', attachments: [{ kind: 'receipt-pdf', bytes: receipt }] }];
    const key = `imap:INBOX:1:${conv.id}`;
    const applied = await store.conversations.apply({
      conversationId: conv.id,
      expectedRevision: 0,
      snapshot: { value: 'submitted' },
      status: 'submitted',
      idempotencyKey: key,
      result: views,
    });
    expect(applied.applied).toBe(true);
    for (const expectedRevision of [0, 1, 7]) {
      const again = await store.conversations.apply({
        conversationId: conv.id,
        expectedRevision,
        snapshot: { value: 'should not be written' },
        status: 'open',
        idempotencyKey: key,
        result: [],
      });
      expect(again.applied).toBe(false);
      if (again.applied) return;
      expect(again.duplicate).toMatchObject({ key, conversationId: conv.id, revision: 1 });
      expect(again.duplicate.result).toEqual(views);
      const bytes = (again.duplicate.result as typeof views)[0]?.attachments[0]?.bytes;
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect([...(bytes ?? [])]).toEqual([...receipt]);
    }
    const stored = await store.conversations.get(conv.id);
    expect(stored).toMatchObject({ revision: 1, status: 'submitted', snapshot: { value: 'submitted' } });
    expect((await store.conversations.findApplied(key))?.revision).toBe(1);
  });

  it('creates a draft under an idempotency key once', async () => {
    const key = `telegram:update:create-${Date.now()}`;
    const conv = await store.conversations.create({
      accountId: account.id,
      startedBy: camille,
      snapshot: { value: 'report' },
      machineVersion: 1,
      idempotencyKey: key,
      result: [{ kind: 'report' }],
    });
    const err = await store.conversations
      .create({
        accountId: account.id,
        startedBy: camille,
        snapshot: {},
        machineVersion: 1,
        idempotencyKey: key,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DuplicateEventError);
    expect((err as DuplicateEventError).duplicate).toMatchObject({
      conversationId: conv.id,
      revision: 0,
      result: [{ kind: 'report' }],
    });
  });

  it('records the outcome of inputs outside any conversation once', async () => {
    expect(await store.conversations.recordApplied('telegram:update:99', [{ kind: 'help' }])).toEqual({
      recorded: true,
    });
    const again = await store.conversations.recordApplied('telegram:update:99', [{ kind: 'other' }]);
    expect(again).toMatchObject({ recorded: false, duplicate: { result: [{ kind: 'help' }] } });
    expect(await store.conversations.findApplied('never')).toBeUndefined();
    clock.advance(48 * 3_600_000);
    await store.conversations.recordApplied('telegram:update:100', []);
    const pruned = await store.conversations.pruneApplied(new Date(clock.now().getTime() - 24 * 3_600_000));
    expect(pruned).toBeGreaterThanOrEqual(1);
    expect(await store.conversations.findApplied('telegram:update:99')).toBeUndefined();
    expect(await store.conversations.findApplied('telegram:update:100')).toBeDefined();
  });

  it('lists by account, starter and status, newest first', async () => {
    const acc = await store.accounts.create({ name: 'Lister' });
    const me = { channel: 'email', userId: 'lister@example.fr' } as const;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(1_000);
      ids.push(
        (
          await store.conversations.create({
            accountId: acc.id,
            startedBy: me,
            snapshot: { i },
            machineVersion: 1,
          })
        ).id,
      );
    }
    await store.conversations.apply({
      conversationId: ids[1] ?? '',
      expectedRevision: 0,
      snapshot: {},
      status: 'cancelled',
    });
    expect((await store.conversations.list({ accountId: acc.id })).map((c) => c.id)).toEqual(
      [...ids].reverse(),
    );
    expect(
      (await store.conversations.list({ accountId: acc.id, statuses: ['open'] })).map((c) => c.id),
    ).toEqual([ids[2], ids[0]]);
    expect(
      (
        await store.conversations.list({
          startedBy: { channel: 'email', userId: 'LISTER@example.fr' },
          limit: 1,
        })
      ).map((c) => c.id),
    ).toEqual([ids[2]]);
    expect(await store.conversations.list({ accountId: acc.id, statuses: [] })).toEqual([]);
    expect(await store.conversations.count({ accountId: acc.id })).toBe(3);
    expect(await store.conversations.count({ accountId: acc.id, statuses: ['open'] })).toBe(2);
    expect(await store.conversations.count({ accountId: acc.id, statuses: ['cancelled', 'expired'] })).toBe(
      1,
    );
    expect(await store.conversations.count({ accountId: acc.id, statuses: [] })).toBe(0);
  });

  it('finds inactive drafts, reminds once per inactivity period, re-arms on activity', async () => {
    const acc = await store.accounts.create({ name: 'Sleepy' });
    clock.set('2026-04-01T08:00:00.000Z');
    const conv = await store.conversations.create({
      accountId: acc.id,
      startedBy: camille,
      snapshot: {},
      machineVersion: 1,
    });
    clock.advance(25 * 3_600_000);
    const cutoff = new Date(clock.now().getTime() - 24 * 3_600_000);
    const due = await store.conversations.listInactive({ before: cutoff, notReminded: true });
    expect(due.map((c) => c.id)).toContain(conv.id);
    expect(await store.conversations.markReminded(conv.id)).toBe(true);
    expect(await store.conversations.markReminded(conv.id)).toBe(false);
    expect(
      (await store.conversations.listInactive({ before: cutoff, notReminded: true })).map((c) => c.id),
    ).not.toContain(conv.id);
    // A system event (the reminder itself) does not count as activity.
    await store.conversations.apply({
      conversationId: conv.id,
      expectedRevision: 0,
      snapshot: {},
      status: 'open',
      activity: false,
    });
    expect((await store.conversations.get(conv.id))?.reminderSentAt).toBe(clock.now().toISOString());
    // The user answers: activity re-arms the reminder.
    await store.conversations.apply({
      conversationId: conv.id,
      expectedRevision: 1,
      snapshot: {},
      status: 'open',
    });
    const after = await store.conversations.get(conv.id);
    expect(after?.reminderSentAt).toBeUndefined();
    expect(after?.lastActivityAt).toBe(clock.now().toISOString());
    expect((await store.conversations.listInactive({ before: cutoff })).map((c) => c.id)).not.toContain(
      conv.id,
    );
    // Expired/submitted drafts are not listed by default.
    clock.advance(40 * 86_400_000);
    await store.conversations.apply({
      conversationId: conv.id,
      expectedRevision: 2,
      snapshot: {},
      status: 'expired',
      activity: false,
    });
    expect((await store.conversations.listInactive({ before: clock.now() })).map((c) => c.id)).not.toContain(
      conv.id,
    );
    expect(
      (await store.conversations.listInactive({ before: clock.now(), statuses: ['expired'] })).map(
        (c) => c.id,
      ),
    ).toContain(conv.id);
  });

  it('sets, moves and clears the current draft of an identity', async () => {
    const a = await newDraft();
    const b = await newDraft();
    expect(await store.conversations.getCurrent(camille)).toBe(b.id);
    await store.conversations.setCurrent(camille, a.id);
    expect(await store.conversations.getCurrent(camille)).toBe(a.id);
    await store.conversations.setCurrent(camille, null);
    expect(await store.conversations.getCurrent(camille)).toBeUndefined();
    await expect(store.conversations.setCurrent(camille, 'missing')).rejects.toBeInstanceOf(
      ConversationNotFoundError,
    );
    await store.conversations.setCurrent(camille, b.id);
    expect(await store.conversations.remove(b.id)).toBe(true);
    expect(await store.conversations.getCurrent(camille)).toBeUndefined();
    expect(await store.conversations.remove(b.id)).toBe(false);
  });

  it('serialises concurrent applies on one draft: each caller retries on conflict, nothing lost', async () => {
    const conv = await newDraft({ events: [] as string[] });
    const deliver = async (event: string) => {
      for (let attempt = 0; attempt < 200; attempt++) {
        const current = await store.conversations.get(conv.id);
        if (!current) throw new Error('gone');
        const events = [...(current.snapshot as { events: string[] }).events, event];
        try {
          return await store.conversations.apply({
            conversationId: conv.id,
            expectedRevision: current.revision,
            snapshot: { events },
            status: 'open',
            idempotencyKey: `k:${conv.id}:${event}`,
          });
        } catch (error) {
          if (!(error instanceof RevisionConflictError)) throw error;
        }
      }
      throw new Error('too many conflicts');
    };
    const events = Array.from({ length: 12 }, (_, i) => `e${i}`);
    // Every event delivered twice, concurrently.
    await Promise.all([...events, ...events].map(deliver));
    const final = await store.conversations.get(conv.id);
    expect(final?.revision).toBe(12);
    expect([...(final?.snapshot as { events: string[] }).events].sort()).toEqual([...events].sort());
  });
});
