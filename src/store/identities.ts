import { toAccount } from './accounts.js';
import { type StoreContext, isoTime, nowMs } from './context.js';
import { AccountNotFoundError, IdentityLinkedElsewhereError } from './errors.js';
import { identityLookupKey, normalizeIdentity } from './normalize.js';
import type { SqlExecutor } from './sql/driver.js';
import type { IdentityKey, IdentityStore, LinkedIdentity } from './types.js';

/**
 * Links an identity inside the caller's transaction (shared with invite redemption).
 * Idempotent for the same account.
 */
export async function linkIdentity(
  tx: SqlExecutor,
  ctx: StoreContext,
  accountId: string,
  identity: IdentityKey,
): Promise<LinkedIdentity> {
  const key = normalizeIdentity(identity);
  const account = await tx.one('SELECT id FROM accounts WHERE id = ?', [accountId]);
  if (!account) throw new AccountNotFoundError(accountId);
  await tx.run(
    'INSERT INTO identities (channel, user_id, account_id, linked_at) VALUES (?, ?, ?, ?) ON CONFLICT (channel, user_id) DO NOTHING',
    [key.channel, key.userId, accountId, nowMs(ctx)],
  );
  const row = await tx.one<{ account_id: string; linked_at: unknown; name: string }>(
    'SELECT i.account_id, i.linked_at, a.name FROM identities i JOIN accounts a ON a.id = i.account_id WHERE i.channel = ? AND i.user_id = ?',
    [key.channel, key.userId],
  );
  if (!row) throw new AccountNotFoundError(accountId);
  if (row.account_id !== accountId) throw new IdentityLinkedElsewhereError(key.channel, key.userId, row.name);
  return { ...key, accountId, linkedAt: isoTime(row.linked_at) };
}

export function createIdentityStore(ctx: StoreContext): IdentityStore {
  const { db } = ctx;
  return {
    link: (accountId, identity) => db.transaction((tx) => linkIdentity(tx, ctx, accountId, identity)),
    async unlink(identity) {
      const key = identityLookupKey(identity);
      return db.transaction(async (tx) => {
        await tx.run('DELETE FROM current_drafts WHERE channel = ? AND user_id = ?', [
          key.channel,
          key.userId,
        ]);
        const n = await tx.run('DELETE FROM identities WHERE channel = ? AND user_id = ?', [
          key.channel,
          key.userId,
        ]);
        return n > 0;
      });
    },
    async findAccount(identity) {
      const key = identityLookupKey(identity);
      const row = await db.one(
        `SELECT a.id, a.name, a.chorus_login, a.chorus_secret, a.created_at
           FROM identities i JOIN accounts a ON a.id = i.account_id
          WHERE i.channel = ? AND i.user_id = ?`,
        [key.channel, key.userId],
      );
      return row ? toAccount(row) : undefined;
    },
    async listByAccount(accountId) {
      const rows = await db.all<{ channel: string; user_id: string; linked_at: unknown }>(
        'SELECT channel, user_id, linked_at FROM identities WHERE account_id = ? ORDER BY channel, user_id',
        [accountId],
      );
      return rows.map((r) => ({
        channel: r.channel as IdentityKey['channel'],
        userId: r.user_id,
        accountId,
        linkedAt: isoTime(r.linked_at),
      }));
    },
  };
}
