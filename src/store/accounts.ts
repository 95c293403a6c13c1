import type { ChorusCredentials } from '../deposit/port.js';
import { type StoreContext, isoTime, nowMs, optionalString } from './context.js';
import { AccountNameTakenError, AccountNotFoundError } from './errors.js';
import { removeBlobs } from './files.js';
import { newAccountId } from './ids.js';
import { createSecretBox, parseSecretKey } from './secret-box.js';
import { linkIdentity } from './identities.js';
import { accountNameKey, normalizeAccountName, normalizeIdentity } from './normalize.js';
import { isUniqueViolation } from './sql/driver.js';
import type { Row } from './sql/driver.js';
import type { Account, AccountStore, NewAccount } from './types.js';

const frenchOrder = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

const COLUMNS = 'id, name, chorus_login, chorus_secret, created_at';

export function toAccount(row: Row): Account {
  const login = optionalString(row.chorus_login);
  return {
    id: String(row.id),
    name: String(row.name),
    ...(login !== undefined ? { chorusLogin: login } : {}),
    hasChorusPassword: row.chorus_secret !== null && row.chorus_secret !== undefined,
    createdAt: isoTime(row.created_at),
  };
}

/** The AAD of an account's sealed Chorus password. */
const passwordContext = (accountId: string) => `account:${accountId}:chorus-password`;

export function createAccountStore(ctx: StoreContext): AccountStore {
  const { db } = ctx;

  const getByName = async (name: string): Promise<Account | undefined> => {
    const row = await db.one(`SELECT ${COLUMNS} FROM accounts WHERE name_key = ?`, [accountNameKey(name)]);
    return row ? toAccount(row) : undefined;
  };

  const insert = async (input: NewAccount, onConflict: 'fail' | 'ignore'): Promise<Account | undefined> => {
    const name = normalizeAccountName(input.name);
    const identities = (input.identities ?? []).map((i) => normalizeIdentity(i));
    const id = newAccountId();
    const sealed = input.chorus ? ctx.box.seal(input.chorus.password, passwordContext(id)) : null;
    const sql =
      `INSERT INTO accounts (id, name, name_key, chorus_login, chorus_secret, created_at) VALUES (?, ?, ?, ?, ?, ?)` +
      (onConflict === 'ignore' ? ' ON CONFLICT (name_key) DO NOTHING' : '') +
      ` RETURNING ${COLUMNS}`;
    try {
      return await db.transaction(async (tx) => {
        const row = await tx.one(sql, [
          id,
          name,
          accountNameKey(name),
          input.chorus?.login ?? null,
          sealed,
          nowMs(ctx),
        ]);
        if (!row) return undefined;
        for (const identity of identities) await linkIdentity(tx, ctx, id, identity);
        return toAccount(row);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AccountNameTakenError(name);
      throw error;
    }
  };

  return {
    async create(input) {
      const account = await insert(input, 'fail');
      if (!account) throw new AccountNameTakenError(input.name);
      return account;
    },
    async ensure(input) {
      const existing = await getByName(input.name);
      if (existing) return existing;
      const created = await insert(input, 'ignore');
      if (created) return created;
      const raced = await getByName(input.name);
      if (!raced) throw new AccountNotFoundError(input.name);
      return raced;
    },
    async get(id) {
      const row = await db.one(`SELECT ${COLUMNS} FROM accounts WHERE id = ?`, [id]);
      return row ? toAccount(row) : undefined;
    },
    getByName,
    async list() {
      const rows = await db.all(`SELECT ${COLUMNS} FROM accounts`);
      // French order (« Élodie » between « Camille » and « Xavier »), whatever the database collation.
      return rows.map(toAccount).sort((a, b) => frenchOrder.compare(a.name, b.name));
    },
    async setChorusCredentials(accountId, chorus: ChorusCredentials | null) {
      const sealed = chorus ? ctx.box.seal(chorus.password, passwordContext(accountId)) : null;
      const changed = await db.run('UPDATE accounts SET chorus_login = ?, chorus_secret = ? WHERE id = ?', [
        chorus?.login ?? null,
        sealed,
        accountId,
      ]);
      if (changed === 0) throw new AccountNotFoundError(accountId);
    },
    async facturxAuto(accountId) {
      const row = await db.one<{ facturx_auto: number | string }>(
        'SELECT facturx_auto FROM account_settings WHERE account_id = ?',
        [accountId],
      );
      return row !== undefined && Number(row.facturx_auto) === 1;
    },
    async setFacturxAuto(accountId, on) {
      const at = nowMs(ctx);
      await db.run(
        `INSERT INTO account_settings (account_id, facturx_auto, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (account_id) DO UPDATE SET facturx_auto = excluded.facturx_auto, updated_at = excluded.updated_at`,
        [accountId, on ? 1 : 0, at],
      );
    },
    async credentials(accountId) {
      const row = await db.one('SELECT chorus_login, chorus_secret FROM accounts WHERE id = ?', [accountId]);
      if (!row) throw new AccountNotFoundError(accountId);
      if (row.chorus_login === null || row.chorus_secret === null) return undefined;
      return {
        login: String(row.chorus_login),
        password: ctx.box.open(String(row.chorus_secret), passwordContext(accountId)),
      };
    },
    async rotateKey(previousKey) {
      const previous = createSecretBox(parseSecretKey(previousKey));
      return db.transaction(async (tx) => {
        const rows = await tx.all<{ id: string; chorus_secret: string }>(
          'SELECT id, chorus_secret FROM accounts WHERE chorus_secret IS NOT NULL',
        );
        const outcome = { reencrypted: 0, current: 0, unreadable: 0 };
        for (const row of rows) {
          const keyId = row.chorus_secret.split('.')[1];
          if (keyId === ctx.box.keyId) {
            outcome.current++;
            continue;
          }
          let password: string;
          try {
            password = previous.open(row.chorus_secret, passwordContext(row.id));
          } catch {
            outcome.unreadable++;
            continue;
          }
          await tx.run('UPDATE accounts SET chorus_secret = ? WHERE id = ?', [
            ctx.box.seal(password, passwordContext(row.id)),
            row.id,
          ]);
          outcome.reencrypted++;
        }
        return outcome;
      });
    },
    async remove(accountId) {
      const { removed, fileIds } = await db.transaction(async (tx) => {
        const files = await tx.all<{ id: string }>(
          // Only files kept on disk (data NULL) have bytes to delete after the rows.
          'SELECT id FROM files WHERE data IS NULL AND (account_id = ? OR conversation_id IN (SELECT id FROM conversations WHERE account_id = ?))',
          [accountId, accountId],
        );
        // Deposits and files reference conversations with ON DELETE CASCADE; the account row goes last.
        const n = await tx.run('DELETE FROM accounts WHERE id = ?', [accountId]);
        return { removed: n > 0, fileIds: files.map((f) => f.id) };
      });
      await removeBlobs(ctx, fileIds);
      return removed;
    },
  };
}
