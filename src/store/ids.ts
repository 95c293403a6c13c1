import { createHash, randomBytes } from 'node:crypto';

/** Random URL-safe id of `bytes` random bytes (base64url: 4 chars per 3 bytes, no padding). */
export function randomId(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** Conversation ids: 64 random bits, 11 chars — short enough for Telegram callback data. */
export const newConversationId = (): string => randomId(8);
export const newAccountId = (): string => randomId(8);
/** File ids: 96 random bits, 16 chars. */
export const newFileId = (): string => randomId(12);
/** Invite codes: 96 random bits, 16 URL-safe chars (valid in `t.me/<bot>?start=`). */
export const newInviteCode = (): string => randomId(12);

export const INVITE_CODE_PATTERN = /^[A-Za-z0-9_-]{16}$/;

/** Invite codes are stored hashed: a copy of the database does not reveal usable codes. */
export function hashInviteCode(code: string): string {
  return createHash('sha256').update(`facteur-invite:${code}`).digest('hex');
}
