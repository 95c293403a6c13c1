import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccountNameTakenError,
  AccountNotFoundError,
  IdentityLinkedElsewhereError,
  InvalidAccountNameError,
  InvalidIdentityError,
  type Store,
} from '../../src/store/index.js';
import { BACKENDS, type Backend, closeBackend, createBackend, manualClock } from './helpers.js';

describe.each(BACKENDS)('accounts, identities and invites on %s', (name) => {
  let backend: Backend;
  let store: Store;
  const clock = manualClock();

  beforeAll(async () => {
    backend = await createBackend(name);
    store = await backend.open({ now: clock.now });
  });
  afterAll(() => closeBackend(store, backend));

  it('creates an account, finds it by id and by name whatever the case', async () => {
    const account = await store.accounts.create({
      name: '  Camille Martin ',
      chorus: { login: 'cm-tech', password: 'p4ss' },
    });
    expect(account).toMatchObject({
      name: 'Camille Martin',
      chorusLogin: 'cm-tech',
      hasChorusPassword: true,
    });
    expect(account.id).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(account.createdAt).toBe(clock.now().toISOString());
    expect(await store.accounts.get(account.id)).toEqual(account);
    expect(await store.accounts.getByName('camille MARTIN')).toEqual(account);
    expect(await store.accounts.getByName('nobody')).toBeUndefined();
    expect(JSON.stringify(account)).not.toContain('p4ss');
  });

  it('refuses a duplicate name (case-insensitive) and invalid names', async () => {
    await expect(store.accounts.create({ name: 'CAMILLE martin' })).rejects.toBeInstanceOf(
      AccountNameTakenError,
    );
    for (const bad of ['', '   ', '-x', 'a/b', 'x'.repeat(65), 'name;drop', 'a\nb', '"quoted"', '<b>']) {
      await expect(store.accounts.create({ name: bad })).rejects.toBeInstanceOf(InvalidAccountNameError);
    }
    for (const good of ['L’Atelier d’Élodie (Lyon)', 'Martin & Fils, SARL', 'x']) {
      await expect(store.accounts.create({ name: good })).resolves.toMatchObject({ name: good });
    }
    await expect(store.accounts.create({ name: 'Élodie Durand-Lefèvre' })).resolves.toMatchObject({
      name: 'Élodie Durand-Lefèvre',
      hasChorusPassword: false,
    });
  });

  it('decrypts the Chorus credentials on demand and replaces or removes them', async () => {
    const account = await store.accounts.create({
      name: 'creds',
      chorus: { login: 'tech@x', password: 'é€ secret ✓' },
    });
    expect(await store.accounts.credentials(account.id)).toEqual({
      login: 'tech@x',
      password: 'é€ secret ✓',
    });
    await store.accounts.setChorusCredentials(account.id, { login: 'other', password: 'pw2' });
    expect(await store.accounts.credentials(account.id)).toEqual({ login: 'other', password: 'pw2' });
    await store.accounts.setChorusCredentials(account.id, null);
    expect(await store.accounts.credentials(account.id)).toBeUndefined();
    expect(await store.accounts.get(account.id)).toMatchObject({ hasChorusPassword: false });
    await expect(store.accounts.credentials('missing')).rejects.toBeInstanceOf(AccountNotFoundError);
    await expect(store.accounts.setChorusCredentials('missing', null)).rejects.toBeInstanceOf(
      AccountNotFoundError,
    );
  });

  it('ensure is idempotent and race-safe, and never overwrites credentials', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        store.accounts.ensure({ name: 'Démo', chorus: { login: 'demo', password: 'demo' } }),
      ),
    );
    expect(new Set(results.map((a) => a.id)).size).toBe(1);
    const again = await store.accounts.ensure({
      name: 'démo',
      chorus: { login: 'changed', password: 'changed' },
    });
    expect(again.id).toBe(results[0]?.id);
    expect(await store.accounts.credentials(again.id)).toEqual({ login: 'demo', password: 'demo' });
  });

  it('lists accounts sorted by name', async () => {
    const names = (await store.accounts.list()).map((a) => a.name);
    expect(names.indexOf('Camille Martin')).toBeLessThan(names.indexOf('Élodie Durand-Lefèvre'));
    expect(names.indexOf('Élodie Durand-Lefèvre')).toBeLessThan(names.indexOf('L’Atelier d’Élodie (Lyon)'));
    expect(names.indexOf('Martin & Fils, SARL')).toBeLessThan(names.indexOf('x'));
    expect(names).toContain('Camille Martin');
  });

  it('links identities, normalises them and finds the account', async () => {
    const account = await store.accounts.create({ name: 'links' });
    await store.identities.link(account.id, { channel: 'telegram', userId: ' 123456789 ' });
    await store.identities.link(account.id, { channel: 'email', userId: 'Camille.Martin@Example.FR' });
    await store.identities.link(account.id, { channel: 'terminal', userId: 'local' });
    // Linking again to the same account is a no-op.
    await store.identities.link(account.id, { channel: 'email', userId: 'camille.martin@example.fr' });
    expect(
      (await store.identities.findAccount({ channel: 'email', userId: 'CAMILLE.MARTIN@example.fr' }))?.id,
    ).toBe(account.id);
    expect((await store.identities.findAccount({ channel: 'telegram', userId: '123456789' }))?.id).toBe(
      account.id,
    );
    expect(await store.identities.findAccount({ channel: 'telegram', userId: '42' })).toBeUndefined();
    const linked = await store.identities.listByAccount(account.id);
    expect(linked.map((i) => `${i.channel}:${i.userId}`)).toEqual([
      'email:camille.martin@example.fr',
      'telegram:123456789',
      'terminal:local',
    ]);
  });

  it('refuses an identity linked to another account, malformed ids and unknown accounts', async () => {
    const other = await store.accounts.create({ name: 'other' });
    const err = await store.identities
      .link(other.id, { channel: 'telegram', userId: '123456789' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdentityLinkedElsewhereError);
    expect((err as IdentityLinkedElsewhereError).userMessage).toContain('« links »');
    await expect(
      store.identities.link(other.id, { channel: 'telegram', userId: '@camille' }),
    ).rejects.toBeInstanceOf(InvalidIdentityError);
    await expect(
      store.identities.link(other.id, { channel: 'email', userId: 'not-an-address' }),
    ).rejects.toThrow(/Adresse e-mail invalide/);
    await expect(store.identities.link('nope', { channel: 'telegram', userId: '5' })).rejects.toBeInstanceOf(
      AccountNotFoundError,
    );
  });

  it('creates an account with its identities all or nothing', async () => {
    const created = await store.accounts.create({
      name: 'with-ids',
      identities: [
        { channel: 'telegram', userId: '60001' },
        { channel: 'email', userId: 'With@Ids.fr' },
      ],
    });
    expect((await store.identities.listByAccount(created.id)).map((i) => i.userId)).toEqual([
      'with@ids.fr',
      '60001',
    ]);
    await expect(
      store.accounts.create({
        name: 'clash',
        identities: [
          { channel: 'telegram', userId: '60002' },
          { channel: 'telegram', userId: '60001' },
        ],
      }),
    ).rejects.toBeInstanceOf(IdentityLinkedElsewhereError);
    expect(await store.accounts.getByName('clash')).toBeUndefined();
    expect(await store.identities.findAccount({ channel: 'telegram', userId: '60002' })).toBeUndefined();
    await expect(
      store.accounts.create({ name: 'bad-id', identities: [{ channel: 'email', userId: 'nope' }] }),
    ).rejects.toBeInstanceOf(InvalidIdentityError);
    expect(await store.accounts.getByName('bad-id')).toBeUndefined();
  });

  it('lookups never fail on odd ids (they find nothing); Unicode addresses are accepted', async () => {
    expect(
      await store.identities.findAccount({ channel: 'email', userId: 'not an address' }),
    ).toBeUndefined();
    expect(await store.identities.findAccount({ channel: 'telegram', userId: '@someone' })).toBeUndefined();
    expect(await store.conversations.getCurrent({ channel: 'email', userId: '' })).toBeUndefined();
    const account = await store.accounts.create({ name: 'unicode' });
    await store.identities.link(account.id, { channel: 'email', userId: 'Élodie@Exemple.fr' });
    expect((await store.identities.findAccount({ channel: 'email', userId: 'élodie@exemple.fr ' }))?.id).toBe(
      account.id,
    );
  });

  it('unlinks an identity', async () => {
    const account = await store.accounts.create({ name: 'unlink' });
    await store.identities.link(account.id, { channel: 'telegram', userId: '777' });
    expect(await store.identities.unlink({ channel: 'telegram', userId: '777' })).toBe(true);
    expect(await store.identities.unlink({ channel: 'telegram', userId: '777' })).toBe(false);
    expect(await store.identities.findAccount({ channel: 'telegram', userId: '777' })).toBeUndefined();
  });

  it('invites: a short URL-safe code, redeemed once, then used; expired and unknown codes', async () => {
    const account = await store.accounts.create({ name: 'invited' });
    const invite = await store.invites.create(account.id, { ttlMs: 60_000 });
    expect(invite.code).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(invite.expiresAt).toBe(new Date(clock.now().getTime() + 60_000).toISOString());
    const first = await store.invites.redeem(invite.code, { channel: 'telegram', userId: '9001' });
    expect(first).toMatchObject({
      status: 'linked',
      account: { id: account.id },
      identity: { userId: '9001' },
    });
    expect((await store.identities.findAccount({ channel: 'telegram', userId: '9001' }))?.id).toBe(
      account.id,
    );
    expect(await store.invites.redeem(invite.code, { channel: 'telegram', userId: '9002' })).toEqual({
      status: 'used',
    });

    const late = await store.invites.create(account.id, { ttlMs: 1_000 });
    clock.advance(1_000);
    expect(await store.invites.redeem(late.code, { channel: 'telegram', userId: '9003' })).toEqual({
      status: 'expired',
    });
    expect(await store.invites.redeem('AAAAAAAAAAAAAAAA', { channel: 'telegram', userId: '9003' })).toEqual({
      status: 'unknown',
    });
    expect(await store.invites.redeem('../../etc', { channel: 'telegram', userId: '9003' })).toEqual({
      status: 'unknown',
    });
    await expect(store.invites.create('missing')).rejects.toBeInstanceOf(AccountNotFoundError);
  });

  it('invites: concurrent redemptions of one code link exactly one identity', async () => {
    const account = await store.accounts.create({ name: 'race' });
    const invite = await store.invites.create(account.id);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        store.invites.redeem(invite.code, { channel: 'telegram', userId: `500${i}` }),
      ),
    );
    expect(results.filter((r) => r.status === 'linked')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'used')).toHaveLength(5);
    expect(await store.identities.listByAccount(account.id)).toHaveLength(1);
  });

  it('invites: a code is kept when the identity belongs to another account', async () => {
    const a = await store.accounts.create({ name: 'inv-a' });
    const b = await store.accounts.create({ name: 'inv-b' });
    await store.identities.link(a.id, { channel: 'email', userId: 'x@y.fr' });
    const invite = await store.invites.create(b.id);
    await expect(
      store.invites.redeem(invite.code, { channel: 'email', userId: 'X@Y.fr' }),
    ).rejects.toBeInstanceOf(IdentityLinkedElsewhereError);
    expect(await store.invites.redeem(invite.code, { channel: 'email', userId: 'z@y.fr' })).toMatchObject({
      status: 'linked',
    });
  });

  it('removes an account with its identities, invites and drafts', async () => {
    const account = await store.accounts.create({ name: 'to-remove' });
    await store.identities.link(account.id, { channel: 'telegram', userId: '31337' });
    const invite = await store.invites.create(account.id);
    const conv = await store.conversations.create({
      accountId: account.id,
      startedBy: { channel: 'telegram', userId: '31337' },
      snapshot: {},
      machineVersion: 1,
    });
    const file = await store.files.put({
      kind: 'invoice-pdf',
      fileName: 'f.pdf',
      mimeType: 'application/pdf',
      bytes: new Uint8Array([37, 80, 68, 70]),
      accountId: account.id,
      conversationId: conv.id,
    });
    expect(await store.accounts.remove(account.id)).toBe(true);
    expect(await store.accounts.remove(account.id)).toBe(false);
    expect(await store.accounts.get(account.id)).toBeUndefined();
    expect(await store.identities.findAccount({ channel: 'telegram', userId: '31337' })).toBeUndefined();
    expect(await store.conversations.get(conv.id)).toBeUndefined();
    expect(await store.conversations.getCurrent({ channel: 'telegram', userId: '31337' })).toBeUndefined();
    expect(await store.files.stat(file.id)).toBeUndefined();
    expect(await store.invites.redeem(invite.code, { channel: 'telegram', userId: '1' })).toEqual({
      status: 'unknown',
    });
  });
});
