import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.js';
import { startFakeBotApi, type FakeBotApi } from '../bot/fake-bot-api/index.js';
import { TEST_KEY, createBackend, type Backend } from '../store/helpers.js';
import { runFacteur, type CliResult } from './helpers/run-in-process.js';

function runner(env: Record<string, string | undefined>, cwd: string) {
  return (...argv: string[]): Promise<CliResult> => runFacteur(['accounts', ...argv], { env, cwd });
}

describe('facteur accounts (SQLite)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'facteur-cli-accounts-'));
  const env = { FACTEUR_DATA_DIR: 'data', FACTEUR_SECRET_KEY: TEST_KEY, CHORUS_PW: 'Chorus-Secret-1' };
  const facteur = runner(env, dir);
  const openStore = () => createStore({ dataDir: path.join(dir, 'data'), secretKey: TEST_KEY });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds an account with its Chorus technical account and identities (password from the environment)', async () => {
    const r = await facteur(
      'add',
      '--name',
      'Camille Martin',
      '--chorus-login',
      'cm-tech',
      '--chorus-password-env',
      'CHORUS_PW',
      '--telegram',
      '123456789',
      '--telegram',
      '987654321',
      '--email',
      'Camille@Example.FR',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Compte « Camille Martin » créé.');
    expect(r.stdout).toContain('cm-tech (mot de passe chiffré)');
    expect(r.stdout).toContain('Telegram 987654321');
    expect(r.stdout).toContain('e-mail camille@example.fr');
    expect(r.stdout).not.toContain('Chorus-Secret-1');
    const store = await openStore();
    try {
      const account = await store.accounts.getByName('camille martin');
      expect(account).toBeDefined();
      expect(await store.accounts.credentials(account?.id ?? '')).toEqual({
        login: 'cm-tech',
        password: 'Chorus-Secret-1',
      });
      expect(
        (await store.identities.findAccount({ channel: 'email', userId: 'camille@example.fr' }))?.id,
      ).toBe(account?.id);
      const audit = await store.audit.list({ accountId: account?.id ?? '' });
      expect(audit.map((e) => e.action)).toEqual(['account.created']);
      expect(JSON.stringify(audit)).not.toContain('Chorus-Secret-1');
    } finally {
      await store.close();
    }
  });

  it('refuses clearly: duplicate name, bad e-mail, taken identity, missing password variable, unknown option', async () => {
    const dup = await facteur('add', '--name', 'CAMILLE MARTIN');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/existe déjà.*\[account-name-taken\]/);

    const badMail = await facteur('add', '--name', 'Bob', '--email', 'bob-at-example');
    expect(badMail.code).toBe(1);
    expect(badMail.stderr).toContain('Adresse e-mail invalide « bob-at-example »');

    const badTelegram = await facteur('add', '--name', 'Bob', '--telegram', '@bob');
    expect(badTelegram.stderr).toContain('Identifiant Telegram invalide');

    const taken = await facteur('add', '--name', 'Bob', '--telegram', '555', '--telegram', '123456789');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('déjà rattaché au compte « Camille Martin »');
    // Nothing half-created.
    expect((await facteur('list', '--json')).stdout).not.toContain('"Bob"');

    const noVar = await facteur(
      'add',
      '--name',
      'Bob',
      '--chorus-login',
      'x',
      '--chorus-password-env',
      'UNSET_VAR',
    );
    expect(noVar.code).toBe(2);
    expect(noVar.stderr).toContain('UNSET_VAR');
    const loginOnly = await facteur('add', '--name', 'Bob', '--chorus-login', 'x');
    expect(loginOnly.stderr).toContain('--chorus-login et --chorus-password-env vont ensemble');

    const unknown = await facteur('add', '--name', 'Bob', '--chorus-password', 'oops');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('option inconnue « --chorus-password »');
    expect(unknown.stderr).not.toContain('oops');

    const missing = await facteur('link', 'Nobody', '--telegram', '1');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Aucun compte « Nobody »');

    expect((await facteur('frobnicate')).stderr).toContain('action inconnue « frobnicate »');
    expect((await facteur('add')).stderr).toContain('--name NOM');
  });

  it('links and unlinks identities, then lists accounts in text and JSON', async () => {
    expect((await facteur('add', '--name', 'Bob')).code).toBe(0);
    const link = await facteur('link', 'Bob', '--email', 'bob@example.fr', '--terminal', '--telegram', '42');
    expect(link.code).toBe(0);
    expect(link.stdout).toContain('E-mail bob@example.fr autorisé pour « Bob ».');
    const again = await facteur('link', 'Bob', '--telegram', '42');
    expect(again.code).toBe(0);
    const stolen = await facteur('link', 'Bob', '--telegram', '123456789');
    expect(stolen.code).toBe(1);
    const unlink = await facteur('unlink', 'Bob', '--telegram', '42', '--telegram', '43');
    expect(unlink.stdout).toContain('Telegram 42 retiré de « Bob ».');
    expect(unlink.stdout).toContain('Telegram 43 n’était pas rattaché à « Bob ».');

    const text = await facteur('list');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^Bob\n {2}Chorus Pro : aucun compte technique\n {2}Identités : e-mail bob@example\.fr, terminal\n/,
    );
    expect(text.stdout).toContain('Camille Martin\n  Chorus Pro : cm-tech\n');

    const json = JSON.parse((await facteur('list', '--json')).stdout) as Array<Record<string, unknown>>;
    expect(json.map((a) => a.name)).toEqual(['Bob', 'Camille Martin']);
    expect(json[1]).toMatchObject({
      chorusLogin: 'cm-tech',
      hasChorusPassword: true,
      openDrafts: 0,
      deposits: 0,
      identities: expect.arrayContaining([
        { channel: 'telegram', userId: '123456789', linkedAt: expect.any(String) },
      ]),
    });
    expect(JSON.stringify(json)).not.toContain('Chorus-Secret-1');
  });

  it('replaces and removes the Chorus technical account', async () => {
    const set = await facteur(
      'chorus',
      'Bob',
      '--chorus-login',
      'bob-tech',
      '--chorus-password-env',
      'CHORUS_PW',
    );
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('bob-tech (mot de passe chiffré)');
    const store = await openStore();
    const bob = await store.accounts.getByName('Bob');
    expect(await store.accounts.credentials(bob?.id ?? '')).toEqual({
      login: 'bob-tech',
      password: 'Chorus-Secret-1',
    });
    await store.close();
    expect((await facteur('chorus', 'Bob', '--remove')).stdout).toContain('retiré');
    expect((await facteur('chorus', 'Bob')).code).toBe(2);
  });

  it('prints a one-time invitation code that links an identity once', async () => {
    const r = await facteur('invite', 'Bob');
    expect(r.code).toBe(0);
    const code = /^ {2}([A-Za-z0-9_-]{16})$/m.exec(r.stdout)?.[1];
    expect(code).toBeDefined();
    expect(r.stdout).toContain(`/start ${code}`);
    expect(r.stdout).toMatch(/valable jusqu’au \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    const store = await openStore();
    try {
      expect(await store.invites.redeem(code ?? '', { channel: 'telegram', userId: '777' })).toMatchObject({
        status: 'linked',
        account: { name: 'Bob' },
      });
      expect(await store.invites.redeem(code ?? '', { channel: 'telegram', userId: '778' })).toEqual({
        status: 'used',
      });
    } finally {
      await store.close();
    }
    expect((await facteur('invite', 'Bob', '--ttl', '90d')).code).toBe(2);
    const json = JSON.parse((await facteur('invite', 'Bob', '--ttl', '30m', '--json')).stdout) as Record<
      string,
      string
    >;
    expect(json.code).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(new Date(json.expiresAt ?? '').getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
  });

  it('shows the account history, newest first, without secrets', async () => {
    const r = await facteur('history', 'Camille Martin');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Journal de « Camille Martin »/);
    expect(r.stdout).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2} {2}administration {2}account\.created/);
    expect(r.stdout).not.toContain('Chorus-Secret-1');
    const bob = JSON.parse((await facteur('history', 'Bob', '--json', '--limit', '2')).stdout) as Array<{
      action: string;
    }>;
    expect(bob.map((e) => e.action)).toEqual(['invite.created', 'invite.created']);
    expect((await facteur('history', 'Bob', '--limit', 'x')).code).toBe(2);
  });

  it('removes an account and its identities', async () => {
    const r = await facteur('remove', 'Bob');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /Compte « Bob » supprimé \(\d+ identités?, 0 brouillon ouvert, 0 dépôt enregistré ; /,
    );
    expect((await facteur('remove', 'Bob')).code).toBe(1);
    const store = await openStore();
    try {
      expect(
        await store.identities.findAccount({ channel: 'email', userId: 'bob@example.fr' }),
      ).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('refuses to remove an account with a submit in flight unless forced', async () => {
    const store = await openStore();
    const account = await store.accounts.create({ name: 'Busy' });
    const conv = await store.conversations.create({
      accountId: account.id,
      startedBy: { channel: 'terminal', userId: 'local' },
      snapshot: {},
      machineVersion: 1,
    });
    await store.deposits.markInFlight({
      conversationId: conv.id,
      accountId: account.id,
      invoiceNumber: 'F-9',
      invoiceDate: '2026-03-01',
    });
    await store.close();
    const refused = await facteur('remove', 'Busy');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('un dépôt est en cours');
    expect((await facteur('remove', 'Busy', '--force')).stdout).toContain('1 brouillon ouvert');
  });
});

describe('facteur accounts rekey', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'facteur-cli-rekey-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('moves the passwords from the generated key file to FACTEUR_SECRET_KEY', async () => {
    // Day 1: no FACTEUR_SECRET_KEY, the key file is generated.
    const before = runner({ PW: 'pw-before' }, dir);
    expect(
      (await before('add', '--name', 'A', '--chorus-login', 'a', '--chorus-password-env', 'PW')).code,
    ).toBe(0);
    expect(
      (await before('add', '--name', 'B', '--chorus-login', 'b', '--chorus-password-env', 'PW')).code,
    ).toBe(0);
    // Day 2: FACTEUR_SECRET_KEY is set; the old key file is given once to re-encrypt.
    const after = runner({ FACTEUR_SECRET_KEY: TEST_KEY }, dir);
    const r = await after('rekey', '--previous-key-file', 'data/secret.key');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 mots de passe rechiffrés avec la clé actuelle ; 0 déjà à jour.');
    const again = await after('rekey', '--previous-key-file', 'data/secret.key');
    expect(again.stdout).toContain('0 mot de passe rechiffré avec la clé actuelle ; 2 déjà à jour.');
    const store = await createStore({ dataDir: path.join(dir, 'data'), secretKey: TEST_KEY });
    try {
      const a = await store.accounts.getByName('A');
      expect(await store.accounts.credentials(a?.id ?? '')).toEqual({ login: 'a', password: 'pw-before' });
    } finally {
      await store.close();
    }
    expect((await after('rekey')).code).toBe(2);
    expect((await after('rekey', '--previous-key-file', 'nope.key')).stderr).toContain(
      'impossible de lire nope.key',
    );
  });
});

describe('facteur accounts invite with a Telegram bot', () => {
  let api: FakeBotApi;
  const dir = mkdtempSync(path.join(tmpdir(), 'facteur-cli-invite-'));
  beforeAll(async () => {
    api = await startFakeBotApi({ username: 'facteur_demo_bot' });
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the t.me start link with the bot username', async () => {
    const facteur = runner(
      { TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.url, FACTEUR_SECRET_KEY: TEST_KEY },
      dir,
    );
    expect((await facteur('add', '--name', 'Camille')).code).toBe(0);
    const r = await facteur('invite', 'Camille');
    expect(r.code).toBe(0);
    const code = /^ {2}([A-Za-z0-9_-]{16})$/m.exec(r.stdout)?.[1];
    expect(r.stdout).toContain(`Lien Telegram : https://t.me/facteur_demo_bot?start=${code}`);
    expect(r.stdout).not.toContain(api.token);
  });

  it('still prints the code when the bot cannot be reached', async () => {
    const facteur = runner(
      {
        TELEGRAM_BOT_TOKEN: api.token,
        TELEGRAM_API_ROOT: 'http://127.0.0.1:1',
        FACTEUR_SECRET_KEY: TEST_KEY,
      },
      dir,
    );
    const r = await facteur('invite', 'Camille');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}[A-Za-z0-9_-]{16}$/m);
    expect(r.stderr).toContain('lien Telegram indisponible');
    expect(r.stderr).not.toContain(api.token.split(':')[1]);
  });
});

describe('facteur accounts on PostgreSQL, through bin/facteur.js', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await createBackend('postgres');
  });
  afterAll(async () => {
    await backend?.dispose();
  });

  it('adds and lists an account in the database of DATABASE_URL', async () => {
    const bin = path.resolve(import.meta.dirname, '../../bin/facteur.js');
    const env = {
      ...process.env,
      DATABASE_URL: backend.databaseUrl,
      FACTEUR_DATA_DIR: backend.dataDir,
      FACTEUR_SECRET_KEY: TEST_KEY,
      PW: 'pg-secret',
    };
    const exec = promisify(execFile);
    const add = await exec(
      process.execPath,
      [
        bin,
        'accounts',
        'add',
        '--name',
        'PG',
        '--chorus-login',
        'l',
        '--chorus-password-env',
        'PW',
        '--email',
        'pg@example.fr',
      ],
      { env },
    );
    expect(add.stdout).toContain('Compte « PG » créé.');
    const list = await exec(process.execPath, [bin, 'accounts', 'list', '--json'], { env });
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ name: 'PG', chorusLogin: 'l', hasChorusPassword: true }),
    ]);
    const store = await createStore(backend.deps());
    try {
      const pgAccount = await store.accounts.getByName('pg');
      expect(await store.accounts.credentials(pgAccount?.id ?? '')).toEqual({
        login: 'l',
        password: 'pg-secret',
      });
    } finally {
      await store.close();
    }
  });
});
