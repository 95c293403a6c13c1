import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  KEY_FILE_NAME,
  SQLITE_FILE_NAME,
  SecretKeyInvalidError,
  SecretKeyMismatchError,
  SecretTamperedError,
  createStore,
} from '../../src/store/index.js';
import { createSecretBox, loadSecretKey, parseSecretKey } from '../../src/store/secret-box.js';
import { BACKENDS, type Backend, createBackend } from './helpers.js';

describe('secret key and AES-256-GCM box', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'facteur-key-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('parses 32-byte keys in hex, base64 and base64url, and explains bad ones in French', () => {
    const key = randomBytes(32);
    expect(parseSecretKey(key.toString('hex')).equals(key)).toBe(true);
    expect(parseSecretKey(` ${key.toString('base64')}\n`).equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64url')).equals(key)).toBe(true);
    expect(() => parseSecretKey(randomBytes(16).toString('base64'))).toThrow(/16 octets au lieu de 32/);
    const err = (() => {
      try {
        parseSecretKey('not a key!');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SecretKeyInvalidError);
    expect((err as SecretKeyInvalidError).userMessage).toMatch(/^FACTEUR_SECRET_KEY invalide/);
    expect((err as SecretKeyInvalidError).userMessage).not.toContain('not a key');
  });

  it('generates the key file once, mode 0600, the same for concurrent callers', async () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    const keys = await Promise.all(Array.from({ length: 5 }, () => loadSecretKey({ dataDir })));
    const file = path.join(dataDir, KEY_FILE_NAME);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(new Set(keys.map((k) => k.toString('hex'))).size).toBe(1);
    expect(keys[0]?.length).toBe(32);
    expect(parseSecretKey(readFileSync(file, 'utf8')).equals(keys[0] ?? Buffer.alloc(0))).toBe(true);
    expect((await loadSecretKey({ dataDir })).equals(keys[0] ?? Buffer.alloc(0))).toBe(true);
    // A key given explicitly wins over the file.
    const explicit = randomBytes(32);
    expect((await loadSecretKey({ dataDir, secretKey: explicit.toString('hex') })).equals(explicit)).toBe(
      true,
    );
  });

  it('tightens a key file readable by others and refuses a garbled one', async () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, KEY_FILE_NAME);
    writeFileSync(file, randomBytes(32).toString('base64'));
    chmodSync(file, 0o644);
    await loadSecretKey({ dataDir });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, 'garbage');
    await expect(loadSecretKey({ dataDir })).rejects.toMatchObject({
      code: 'secret-key-invalid',
      userMessage: expect.stringMatching(/^Le fichier de clé .* invalide/),
    });
  });

  it('seals with a fresh nonce, detects tampering, another key and another context', () => {
    const box = createSecretBox(randomBytes(32));
    const a = box.seal('mot de passe', 'account:1:chorus-password');
    const b = box.seal('mot de passe', 'account:1:chorus-password');
    expect(a).not.toBe(b);
    expect(a).not.toContain('mot de passe');
    expect(box.open(a, 'account:1:chorus-password')).toBe('mot de passe');
    const [v, kid, payload = ''] = a.split('.');
    const bytes = Buffer.from(payload, 'base64url');
    bytes[14] = (bytes[14] ?? 0) ^ 1;
    expect(() => box.open(`${v}.${kid}.${bytes.toString('base64url')}`, 'account:1:chorus-password')).toThrow(
      SecretTamperedError,
    );
    expect(() => box.open(a, 'account:2:chorus-password')).toThrow(SecretTamperedError);
    expect(() => box.open('v1.abc', 'x')).toThrow(SecretTamperedError);
    expect(() => createSecretBox(randomBytes(32)).open(a, 'account:1:chorus-password')).toThrow(
      SecretKeyMismatchError,
    );
  });
});

describe.each(BACKENDS)('account secrets at rest on %s', (name) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await createBackend(name);
  });
  afterAll(async () => {
    await backend?.dispose();
  });

  async function rawSecret(accountId: string, update?: (sealed: string) => string): Promise<string> {
    if (backend.databaseUrl) {
      const client = new pg.Client({ connectionString: backend.databaseUrl });
      await client.connect();
      try {
        const res = await client.query<{ chorus_secret: string }>(
          'SELECT chorus_secret FROM accounts WHERE id = $1',
          [accountId],
        );
        const sealed = res.rows[0]?.chorus_secret ?? '';
        if (update)
          await client.query('UPDATE accounts SET chorus_secret = $1 WHERE id = $2', [
            update(sealed),
            accountId,
          ]);
        return sealed;
      } finally {
        await client.end();
      }
    }
    const db = new Database(path.join(backend.dataDir, SQLITE_FILE_NAME));
    try {
      const row = db.prepare('SELECT chorus_secret FROM accounts WHERE id = ?').get(accountId) as {
        chorus_secret: string;
      };
      if (update)
        db.prepare('UPDATE accounts SET chorus_secret = ? WHERE id = ?').run(
          update(row.chorus_secret),
          accountId,
        );
      return row.chorus_secret;
    } finally {
      db.close();
    }
  }

  it('stores only ciphertext, decrypts with the key file after a restart, refuses another key or an altered value', async () => {
    // No FACTEUR_SECRET_KEY: the generated key file is used, and found again after a restart.
    const deps = { ...backend.deps(), secretKey: undefined };
    let store = await createStore(deps);
    const account = await store.accounts.create({
      name: 'Secret',
      chorus: { login: 'tech', password: 'S3cr3t-Chorus!' },
    });
    const other = await store.accounts.create({
      name: 'Other',
      chorus: { login: 'tech2', password: 'other-pw' },
    });
    await store.close();
    expect(statSync(path.join(backend.dataDir, KEY_FILE_NAME)).mode & 0o777).toBe(0o600);

    const sealed = await rawSecret(account.id);
    expect(sealed).toMatch(/^v1\.[0-9a-f]{16}\./);
    expect(sealed).not.toContain('S3cr3t');
    if (name === 'sqlite') {
      for (const file of [SQLITE_FILE_NAME, `${SQLITE_FILE_NAME}-wal`]) {
        try {
          expect(readFileSync(path.join(backend.dataDir, file)).includes('S3cr3t-Chorus!')).toBe(false);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
    }

    store = await createStore(deps);
    expect(await store.accounts.credentials(account.id)).toEqual({
      login: 'tech',
      password: 'S3cr3t-Chorus!',
    });
    await store.close();

    store = await createStore({ ...deps, secretKey: randomBytes(32).toString('base64') });
    const mismatch = await store.accounts.credentials(account.id).catch((e: unknown) => e);
    expect(mismatch).toBeInstanceOf(SecretKeyMismatchError);
    expect((mismatch as SecretKeyMismatchError).userMessage).toContain('FACTEUR_SECRET_KEY');
    await store.close();

    // Copying another account's ciphertext is detected (the account id is authenticated data).
    const otherSealed = await rawSecret(other.id);
    await rawSecret(account.id, () => otherSealed);
    store = await createStore(deps);
    await expect(store.accounts.credentials(account.id)).rejects.toBeInstanceOf(SecretTamperedError);
    await rawSecret(account.id, () => sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA'));
    await expect(store.accounts.credentials(account.id)).rejects.toBeInstanceOf(SecretTamperedError);
    expect(await store.accounts.credentials(other.id)).toEqual({ login: 'tech2', password: 'other-pw' });
    await store.close();
  });

  it('rotates the key: re-encrypts what the previous key sealed, counts what stays unreadable', async () => {
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('hex');
    const strangerKey = randomBytes(32).toString('hex');
    let store = await createStore({ ...backend.deps(), secretKey: oldKey });
    const a = await store.accounts.create({ name: 'Rot-A', chorus: { login: 'a', password: 'pa' } });
    await store.close();
    store = await createStore({ ...backend.deps(), secretKey: strangerKey });
    const b = await store.accounts.create({ name: 'Rot-B', chorus: { login: 'b', password: 'pb' } });
    await store.close();
    store = await createStore({ ...backend.deps(), secretKey: newKey });
    try {
      const c = await store.accounts.create({ name: 'Rot-C', chorus: { login: 'c', password: 'pc' } });
      const before = await store.accounts.rotateKey(oldKey);
      expect(before.reencrypted).toBe(1);
      expect(before.current).toBeGreaterThanOrEqual(1);
      expect(before.unreadable).toBeGreaterThanOrEqual(1);
      expect(await store.accounts.credentials(a.id)).toEqual({ login: 'a', password: 'pa' });
      expect(await store.accounts.credentials(c.id)).toEqual({ login: 'c', password: 'pc' });
      await expect(store.accounts.credentials(b.id)).rejects.toBeInstanceOf(SecretKeyMismatchError);
      expect((await store.accounts.rotateKey(oldKey)).reencrypted).toBe(0);
      await expect(store.accounts.rotateKey('short')).rejects.toBeInstanceOf(SecretKeyInvalidError);
    } finally {
      await store.close();
    }
  });

  it('refuses an invalid FACTEUR_SECRET_KEY before opening anything', async () => {
    await expect(createStore({ ...backend.deps(), secretKey: 'trop-courte' })).rejects.toBeInstanceOf(
      SecretKeyInvalidError,
    );
  });
});
