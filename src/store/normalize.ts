import type { ChannelKind } from '../machine/conversation-port.js';
import { InvalidAccountNameError, InvalidIdentityError } from './errors.js';
import type { IdentityKey } from './types.js';

/** Business names as people write them (« L’Atelier d’Élodie (Lyon) », « Martin & Fils »). */
const ACCOUNT_NAME = /^[\p{L}\p{N}](?:[\p{L}\p{N} ._'’()&,+@-]{0,62}[\p{L}\p{N}._'’()&,+@-])?$/u;

/** Trims and checks an account name; rejects with `InvalidAccountNameError`. */
export function normalizeAccountName(name: string): string {
  const trimmed = name.normalize('NFC').trim();
  if (!ACCOUNT_NAME.test(trimmed)) throw new InvalidAccountNameError(name);
  return trimmed;
}

/** The unique key of a name: names differing only by case are the same account. */
export function accountNameKey(name: string): string {
  return normalizeAccountName(name).toLocaleLowerCase('fr-FR');
}

/** Pragmatic: one @, no spaces or reserved characters, a dotted domain; Unicode allowed (SMTPUTF8). */
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:".]+(?:\.[^\s@<>()[\]\\,;:".]+)+$/u;
const CHANNELS: readonly ChannelKind[] = ['terminal', 'telegram', 'email'];

/**
 * The canonical form of an identity: Telegram user ids are positive integers (digits),
 * e-mail addresses are trimmed and lower-cased, terminal users are short words (`local`).
 * Rejects with `InvalidIdentityError` (French reason) otherwise.
 */
export function normalizeIdentity(identity: { channel: string; userId: string }): IdentityKey {
  const channel = identity.channel as ChannelKind;
  const raw = String(identity.userId ?? '').trim();
  if (!CHANNELS.includes(channel)) {
    throw new InvalidIdentityError(identity.channel, raw, `Canal inconnu « ${identity.channel} ».`);
  }
  if (channel === 'telegram') {
    if (!/^[1-9]\d{0,19}$/.test(raw)) {
      throw new InvalidIdentityError(
        channel,
        raw,
        `Identifiant Telegram invalide « ${raw} » : c’est un nombre (ex. 123456789), visible avec @userinfobot.`,
      );
    }
    return { channel, userId: raw };
  }
  if (channel === 'email') {
    const lower = raw.toLowerCase();
    if (lower.length > 254 || !EMAIL.test(lower)) {
      throw new InvalidIdentityError(channel, raw, `Adresse e-mail invalide « ${raw} ».`);
    }
    return { channel, userId: lower };
  }
  if (!/^[\w.-]{1,64}$/.test(raw)) {
    throw new InvalidIdentityError(channel, raw, `Identifiant de terminal invalide « ${raw} ».`);
  }
  return { channel, userId: raw };
}

/**
 * The lookup form of an identity (trimmed, e-mail lower-cased), without validation: a lookup
 * with an odd id finds nothing instead of failing. Writes (`link`) use `normalizeIdentity`.
 */
export function identityLookupKey(identity: { channel: string; userId: string }): IdentityKey {
  const raw = String(identity.userId ?? '').trim();
  const channel = identity.channel as ChannelKind;
  return { channel, userId: channel === 'email' ? raw.toLowerCase() : raw };
}
