/** Accounts, the identities that act for them, and the invites that link identities (part of `Store`, src/store/types.ts). */
import type { ChorusCredentials } from '../deposit/port.js';
import type { ChannelKind } from '../machine/conversation-port.js';

/** A freelancer's Facteur account. The Chorus password never appears here (see `credentials`). */
export interface Account {
  /** Random URL-safe id (11 chars). */
  id: string;
  /** Unique, case-insensitive, 1–64 chars: letters, digits, spaces and `. _ - ' ’ ( ) & , + @`. */
  name: string;
  /** The Chorus Pro technical account login, when one is configured for this account. */
  chorusLogin?: string;
  /** True when an encrypted Chorus password is stored. */
  hasChorusPassword: boolean;
  createdAt: string;
}

export interface NewAccount {
  name: string;
  /** Stored encrypted (AES-256-GCM); decrypted only by `accounts.credentials(id)`. */
  chorus?: ChorusCredentials;
  /**
   * Identities linked in the same transaction (all or nothing): `create` rejects with
   * `IdentityLinkedElsewhereError` / `InvalidIdentityError` and creates nothing. `ensure` links
   * them only when it creates the account.
   */
  identities?: IdentityKey[];
}

export interface AccountStore {
  /** Rejects with `AccountNameTakenError` when the name exists (case-insensitive). */
  create(input: NewAccount): Promise<Account>;
  /**
   * The account with this name, created when absent (race-safe: two processes get the same one).
   * An existing account is returned unchanged (its credentials are not overwritten).
   */
  ensure(input: NewAccount): Promise<Account>;
  get(id: string): Promise<Account | undefined>;
  /** Case-insensitive. */
  getByName(name: string): Promise<Account | undefined>;
  /** Sorted by name in French order. */
  list(): Promise<Account[]>;
  /** Replaces (or with `null` removes) the stored Chorus technical account. */
  setChorusCredentials(accountId: string, chorus: ChorusCredentials | null): Promise<void>;
  /** « factur-x auto »: the Factur-X is made before the deposit and sent as a flux (default off). */
  facturxAuto(accountId: string): Promise<boolean>;
  setFacturxAuto(accountId: string, on: boolean): Promise<void>;
  /**
   * Decrypts the stored Chorus credentials; `undefined` when the account has none.
   * Rejects with `SecretKeyMismatchError` (another key encrypted them) or
   * `SecretTamperedError` (the ciphertext was altered), `AccountNotFoundError`.
   */
  credentials(accountId: string): Promise<ChorusCredentials | undefined>;
  /**
   * Re-encrypts under the current key every secret sealed with `previousKey` (base64 or hex), in
   * one transaction — to move from the generated key file to FACTEUR_SECRET_KEY, or to rotate it.
   * Secrets sealed with yet another key, or altered, are left as they are and counted.
   */
  rotateKey(previousKey: string): Promise<KeyRotation>;
  /**
   * Deletes the account with its identities, invites, conversations (and their files), current
   * drafts and deposit records. The audit trail is kept. Resolves false when it did not exist.
   */
  remove(accountId: string): Promise<boolean>;
}

export interface KeyRotation {
  reencrypted: number;
  /** Already sealed with the current key. */
  current: number;
  /** Sealed with an unknown key, or altered: still unreadable. */
  unreadable: number;
}

/** The channel and the user's id there, normalised (see `normalizeIdentity`). */
export interface IdentityKey {
  channel: ChannelKind;
  /** Telegram: the numeric user id; e-mail: the lower-cased address; terminal: `local`. */
  userId: string;
}

export interface LinkedIdentity extends IdentityKey {
  accountId: string;
  linkedAt: string;
}

export interface IdentityStore {
  /**
   * Allows this identity to act for the account. Idempotent for the same account; rejects with
   * `IdentityLinkedElsewhereError` when it is linked to another account, `InvalidIdentityError`
   * for a malformed id (not digits for Telegram, not an e-mail address), `AccountNotFoundError`.
   */
  link(accountId: string, identity: IdentityKey): Promise<LinkedIdentity>;
  /** Resolves false when the identity was not linked. Its current draft pointer is cleared. */
  unlink(identity: IdentityKey): Promise<boolean>;
  /** The account this identity acts for, if any. */
  findAccount(identity: IdentityKey): Promise<Account | undefined>;
  listByAccount(accountId: string): Promise<LinkedIdentity[]>;
}

export interface Invite {
  /** 16 URL-safe chars (96 random bits): fits Telegram's `/start` payload and an e-mail line. */
  code: string;
  accountId: string;
  createdAt: string;
  expiresAt: string;
}

export type InviteRedemption =
  | { status: 'linked'; account: Account; identity: LinkedIdentity }
  /** Unknown code (or malformed). */
  | { status: 'unknown' }
  | { status: 'expired' }
  | { status: 'used' };

export interface InviteStore {
  /** A one-time linking code for the account, valid `ttlMs` (default 24 h). */
  create(accountId: string, options?: { ttlMs?: number }): Promise<Invite>;
  /**
   * Consumes the code and links the identity to its account, in one transaction: exactly one
   * caller ever gets `linked` for a code, also across processes. An identity already linked to
   * another account rejects with `IdentityLinkedElsewhereError` (the code stays usable).
   */
  redeem(code: string, identity: IdentityKey): Promise<InviteRedemption>;
}
