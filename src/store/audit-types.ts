/** The audit trail (part of `Store`, src/store/types.ts). */
import type { IdentityKey } from './account-types.js';

export interface AuditEntry {
  id: number;
  at: string;
  /** Who: an identity, or `cli`/`system` (channel omitted). */
  actor?: IdentityKey;
  /** What, dotted: `account.created`, `identity.linked`, `draft.created`, `deposit.submitted`… */
  action: string;
  accountId?: string;
  conversationId?: string;
  /** Small JSON details; keys that look secret and byte arrays are dropped, strings cut at 500. */
  details?: Record<string, unknown>;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

export interface AuditStore {
  record(entry: NewAuditEntry): Promise<void>;
  /** Newest first; default limit 100, at most 1000. */
  list(query: { accountId?: string; conversationId?: string; limit?: number }): Promise<AuditEntry[]>;
}
