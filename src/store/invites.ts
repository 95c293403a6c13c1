import { toAccount } from './accounts.js';
import { type StoreContext, isoTime, nowMs } from './context.js';
import { AccountNotFoundError } from './errors.js';
import { INVITE_CODE_PATTERN, hashInviteCode, newInviteCode } from './ids.js';
import { linkIdentity } from './identities.js';
import { normalizeIdentity } from './normalize.js';
import { forUpdate } from './sql/driver.js';
import type { InviteStore } from './types.js';

export const DEFAULT_INVITE_TTL_MS = 24 * 3_600_000;

export function createInviteStore(ctx: StoreContext): InviteStore {
  const { db } = ctx;
  return {
    async create(accountId, options = {}) {
      const ttl = Math.max(1, Math.floor(options.ttlMs ?? DEFAULT_INVITE_TTL_MS));
      const code = newInviteCode();
      const createdAt = nowMs(ctx);
      const expiresAt = createdAt + ttl;
      const account = await db.one('SELECT id FROM accounts WHERE id = ?', [accountId]);
      if (!account) throw new AccountNotFoundError(accountId);
      await db.run(
        'INSERT INTO invites (code_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
        [hashInviteCode(code), accountId, createdAt, expiresAt],
      );
      return { code, accountId, createdAt: isoTime(createdAt), expiresAt: isoTime(expiresAt) };
    },
    async redeem(code, identity) {
      const key = normalizeIdentity(identity);
      const trimmed = code.trim();
      if (!INVITE_CODE_PATTERN.test(trimmed)) return { status: 'unknown' };
      return db.transaction(async (tx) => {
        const hash = hashInviteCode(trimmed);
        const invite = await tx.one<{ account_id: string; expires_at: unknown; used_at: unknown }>(
          `SELECT account_id, expires_at, used_at FROM invites WHERE code_hash = ?${forUpdate(tx.dialect)}`,
          [hash],
        );
        if (!invite) return { status: 'unknown' } as const;
        if (invite.used_at !== null) return { status: 'used' } as const;
        const now = nowMs(ctx);
        if (Number(invite.expires_at) <= now) return { status: 'expired' } as const;
        const linked = await linkIdentity(tx, ctx, invite.account_id, key);
        const n = await tx.run(
          'UPDATE invites SET used_at = ?, used_by = ? WHERE code_hash = ? AND used_at IS NULL',
          [now, `${key.channel}:${key.userId}`, hash],
        );
        if (n === 0) throw new Error('invite consumed concurrently despite the row lock');
        const account = await tx.one(
          'SELECT id, name, chorus_login, chorus_secret, created_at FROM accounts WHERE id = ?',
          [invite.account_id],
        );
        if (!account) throw new AccountNotFoundError(invite.account_id);
        return { status: 'linked', account: toAccount(account), identity: linked } as const;
      });
    },
  };
}
