import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DepositReceipt } from '../../src/deposit/port.js';
import {
  ConversationNotFoundError,
  FileCorruptedError,
  type Account,
  type Store,
} from '../../src/store/index.js';
import { INLINE_MAX_BYTES } from '../../src/store/files.js';
import { BACKENDS, type Backend, closeBackend, manualClock, openWithCamille } from './helpers.js';

const receipt: DepositReceipt = {
  chorusInvoiceId: 70001,
  invoiceNumber: 'F-2026-014',
  depositedAt: '2026-03-15T10:05:00.000Z',
  status: 'DEPOSEE',
  recipientSiret: '21330063500017',
  recipientName: 'Commune de Saint-Aubin-sur-Garonne',
  supplierSiret: '91234567500017',
  cadre: 'A1',
  totalExclTaxCents: 125000,
  totalTaxCents: 25000,
  totalInclTaxCents: 150000,
  currency: 'EUR',
};

describe.each(BACKENDS)('files, deposits, audit and channel state on %s', (name) => {
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

  it('stores and reads back PDF bytes with their metadata', async () => {
    const conv = await draft();
    const bytes = new Uint8Array(200_000).map((_, i) => (i * 31) % 256);
    const file = await store.files.put({
      kind: 'invoice-pdf',
      fileName: 'Facture F-2026-014 (mars).pdf',
      mimeType: 'application/pdf',
      bytes,
      accountId: account.id,
      conversationId: conv.id,
    });
    expect(file).toMatchObject({
      kind: 'invoice-pdf',
      size: 200_000,
      conversationId: conv.id,
      accountId: account.id,
    });
    expect(file.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    const read = await store.files.get(file.id);
    expect(read?.file).toEqual(file);
    expect(Buffer.from(read?.bytes ?? []).equals(Buffer.from(bytes))).toBe(true);
    expect(await store.files.stat(file.id)).toEqual(file);
    expect((await store.files.listByConversation(conv.id)).map((f) => f.id)).toEqual([file.id]);
    expect(await store.files.get('AAAAAAAAAAAAAAAA')).toBeUndefined();
    expect(await store.files.get('../../etc/passwd')).toBeUndefined();
    // Read again, from the store this time (the first read had the bytes still in memory).
    const again = await store.files.get(file.id);
    expect(Buffer.from(again?.bytes ?? []).equals(Buffer.from(bytes))).toBe(true);
    // An invoice-sized file lives in its row: nothing beside the database.
    if (name === 'sqlite')
      expect(existsSync(path.join(backend.dataDir, 'files', file.id.slice(0, 2)))).toBe(false);
    expect(await store.files.remove(file.id)).toBe(true);
    expect(await store.files.remove(file.id)).toBe(false);
    expect(await store.files.stat(file.id)).toBeUndefined();
  });

  it('keeps a file over INLINE_MAX_BYTES beside the SQLite database, checked on read', async () => {
    const conv = await draft();
    const bytes = new Uint8Array(INLINE_MAX_BYTES + 1).map((_, i) => (i * 7) % 251);
    const file = await store.files.put({
      kind: 'invoice-pdf',
      fileName: 'gros.pdf',
      mimeType: 'application/pdf',
      bytes,
      conversationId: conv.id,
    });
    const blob = path.join(backend.dataDir, 'files', file.id.slice(0, 2), file.id);
    expect(existsSync(blob)).toBe(name === 'sqlite');
    await store.files.get(file.id); // the bytes still in memory
    const read = await store.files.get(file.id);
    expect(Buffer.from(read?.bytes ?? []).equals(Buffer.from(bytes))).toBe(true);
    if (name === 'sqlite') {
      // No temp file left behind by the atomic write.
      expect(readdirSync(path.dirname(blob)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      writeFileSync(blob, 'truncated');
      await expect(store.files.get(file.id)).rejects.toBeInstanceOf(FileCorruptedError);
    }
    await store.conversations.remove(conv.id);
    expect(await store.files.stat(file.id)).toBeUndefined();
    expect(existsSync(blob)).toBe(false);
  });

  it('deletes the files of a removed draft', async () => {
    const conv = await draft();
    const file = await store.files.put({
      kind: 'receipt-pdf',
      fileName: 'r.pdf',
      mimeType: 'application/pdf',
      bytes: new Uint8Array([1]),
      conversationId: conv.id,
    });
    await store.conversations.remove(conv.id);
    expect(await store.files.stat(file.id)).toBeUndefined();
    if (name === 'sqlite')
      expect(existsSync(path.join(backend.dataDir, 'files', file.id.slice(0, 2), file.id))).toBe(false);
  });

  it('marks a submit in flight before Chorus, then records the receipt; never back once deposited', async () => {
    const conv = await draft();
    const input = {
      conversationId: conv.id,
      accountId: account.id,
      invoiceNumber: 'F-2026-014',
      invoiceDate: '2026-03-14',
    };
    expect(await store.deposits.markInFlight(input)).toBe(true);
    expect(await store.deposits.listInFlight()).toEqual([
      expect.objectContaining({ conversationId: conv.id, attempts: 1, state: 'in-flight' }),
    ]);
    // A restart retries: attempts counted.
    expect(await store.deposits.markInFlight(input)).toBe(true);
    expect((await store.deposits.get(conv.id))?.attempts).toBe(2);
    const pdf = await store.files.put({
      kind: 'receipt-pdf',
      fileName: 'recu.pdf',
      mimeType: 'application/pdf',
      bytes: new Uint8Array([9]),
      conversationId: conv.id,
    });
    clock.advance(5_000);
    const done = await store.deposits.complete(conv.id, receipt, pdf.id);
    expect(done).toMatchObject({
      state: 'deposited',
      receipt,
      receiptFileId: pdf.id,
      invoiceDate: '2026-03-14',
      completedAt: clock.now().toISOString(),
    });
    expect(await store.deposits.listInFlight()).toEqual([]);
    expect(await store.deposits.markInFlight(input)).toBe(false);
    expect(await store.deposits.fail(conv.id, 'late failure')).toMatchObject({ state: 'deposited', receipt });
    expect((await store.deposits.complete(conv.id, receipt)).receiptFileId).toBe(pdf.id);
    expect(await store.deposits.count(account.id, { state: 'deposited' })).toBe(1);
    expect(await store.deposits.count(account.id, { state: 'in-flight' })).toBe(0);
    expect(await store.deposits.listByAccount(account.id, { state: 'deposited' })).toEqual([
      expect.objectContaining({ conversationId: conv.id }),
    ]);
  });

  it('records a failure and allows a new attempt', async () => {
    const conv = await draft();
    const input = {
      conversationId: conv.id,
      accountId: account.id,
      invoiceNumber: 'F-2',
      invoiceDate: '2026-03-14',
    };
    await store.deposits.markInFlight(input);
    expect(await store.deposits.fail(conv.id, 'invoice-number-used: Numéro déjà utilisé')).toMatchObject({
      state: 'failed',
      error: 'invoice-number-used: Numéro déjà utilisé',
    });
    expect(await store.deposits.markInFlight({ ...input, invoiceNumber: 'F-3' })).toBe(true);
    expect(await store.deposits.get(conv.id)).toMatchObject({
      state: 'in-flight',
      invoiceNumber: 'F-3',
      attempts: 2,
    });
    expect((await store.deposits.get(conv.id))?.error).toBeUndefined();
    await expect(store.deposits.complete('missing', receipt)).rejects.toBeInstanceOf(
      ConversationNotFoundError,
    );
  });

  it('keeps an audit trail without secrets or bytes', async () => {
    const conv = await draft();
    await store.audit.record({
      actor: me,
      action: 'draft.created',
      accountId: account.id,
      conversationId: conv.id,
      details: { fileName: 'f.pdf', size: 1234 },
    });
    clock.advance(1);
    await store.audit.record({
      actor: { channel: 'telegram', userId: '42' },
      action: 'deposit.submitted',
      accountId: account.id,
      conversationId: conv.id,
      details: {
        chorusInvoiceId: 7,
        password: 'hunter2',
        nested: { token: 'abc', bytes: new Uint8Array([1]), ok: 'x'.repeat(800) },
        pdf: 'raw',
      },
    });
    await store.audit.record({ action: 'account.created', accountId: account.id });
    const entries = await store.audit.list({ conversationId: conv.id });
    expect(entries.map((e) => e.action)).toEqual(['deposit.submitted', 'draft.created']);
    const [submitted] = entries;
    expect(submitted?.actor).toEqual({ channel: 'telegram', userId: '42' });
    expect(JSON.stringify(submitted)).not.toMatch(/hunter2|abc|raw/);
    expect(submitted?.details).toMatchObject({
      chorusInvoiceId: 7,
      nested: { ok: expect.stringMatching(/^x{500}…$/) },
    });
    const all = await store.audit.list({ accountId: account.id, limit: 2 });
    expect(all).toHaveLength(2);
    expect(all[0]).toMatchObject({ action: 'account.created' });
    expect(all[0]?.actor).toBeUndefined();
  });

  it('channel state: get/set/delete, atomic claim, prune', async () => {
    const cs = store.channelState;
    expect(await cs.get('telegram', 'msg:1')).toBeUndefined();
    await cs.set('telegram', 'msg:1', { chatId: 5, messageId: 77 });
    expect(await cs.get('telegram', 'msg:1')).toEqual({ chatId: 5, messageId: 77 });
    await cs.set('telegram', 'msg:1', { chatId: 5, messageId: 78 });
    expect(await cs.get<{ messageId: number }>('telegram', 'msg:1')).toEqual({ chatId: 5, messageId: 78 });
    expect(await cs.get('email', 'msg:1')).toBeUndefined();
    await cs.delete('telegram', 'msg:1');
    expect(await cs.get('telegram', 'msg:1')).toBeUndefined();

    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => cs.claim('imap', 'uid:1', { by: i })),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await cs.claim('imap', 'uid:2')).toBe(true);
    expect(await cs.get('imap', 'uid:2')).toBeNull();

    clock.advance(60_000);
    await cs.claim('imap', 'uid:3');
    expect(await cs.prune('imap', new Date(clock.now().getTime() - 1_000))).toBe(2);
    expect(await cs.get('imap', 'uid:1')).toBeUndefined();
    expect(await cs.get('imap', 'uid:3')).toBeNull();
  });

  it('channel state: lists a namespace by key', async () => {
    const cs = store.channelState;
    await cs.set('journal:list', 'p:2', { update_id: 2 });
    await cs.set('journal:list', 'p:1', { update_id: 1 });
    await cs.set('journal:list', 'd:0', null);
    await cs.set('journal:other', 'p:9', { update_id: 9 });
    expect(await cs.list('journal:list')).toEqual([
      { key: 'd:0', value: null },
      { key: 'p:1', value: { update_id: 1 } },
      { key: 'p:2', value: { update_id: 2 } },
    ]);
    expect(await cs.list('journal:none')).toEqual([]);
  });

  it('channel state: a batch of writes applies in order, in one go', async () => {
    const cs = store.channelState;
    await cs.set('journal:batch', 'p:1', { update_id: 1 });
    await cs.batch?.('journal:batch', [
      { key: 'p:2', value: { update_id: 2 } },
      { key: 'd:1', value: null },
      { key: 'p:1', delete: true },
      { key: 'p:2', value: { update_id: 22 } },
    ]);
    expect(await cs.list('journal:batch')).toEqual([
      { key: 'd:1', value: null },
      { key: 'p:2', value: { update_id: 22 } },
    ]);
    await cs.batch?.('journal:batch', []);
  });
});
