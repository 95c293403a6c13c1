import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account, Store } from '../../src/store/index.js';
import { type Backend, BACKENDS, closeBackend, createBackend } from './helpers.js';

/** « factur-x auto » (migration 40): per account, off by default, kept across reopenings. */
describe.each(BACKENDS)('account settings on %s', (name) => {
  let backend: Backend;
  let store: Store;
  let camille: Account;
  let xavier: Account;

  beforeAll(async () => {
    backend = await createBackend(name);
    store = await backend.open();
    camille = await store.accounts.create({ name: 'Camille' });
    xavier = await store.accounts.create({ name: 'Xavier' });
  });
  afterAll(() => closeBackend(store, backend));

  it('is off by default, turned on and off per account, and survives a reopening', async () => {
    expect(await store.accounts.facturxAuto(camille.id)).toBe(false);
    await store.accounts.setFacturxAuto(camille.id, true);
    await store.accounts.setFacturxAuto(camille.id, true);
    expect(await store.accounts.facturxAuto(camille.id)).toBe(true);
    expect(await store.accounts.facturxAuto(xavier.id)).toBe(false);
    await store.close();
    store = await backend.open();
    expect(await store.accounts.facturxAuto(camille.id)).toBe(true);
    await store.accounts.setFacturxAuto(camille.id, false);
    expect(await store.accounts.facturxAuto(camille.id)).toBe(false);
  });

  it('goes with its account', async () => {
    await store.accounts.setFacturxAuto(xavier.id, true);
    expect(await store.accounts.remove(xavier.id)).toBe(true);
    expect(await store.accounts.facturxAuto(xavier.id)).toBe(false);
  });
});
