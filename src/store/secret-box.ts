import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../shared/logger.js';
import { SecretKeyInvalidError, SecretKeyMismatchError, SecretTamperedError } from './errors.js';

/**
 * Encryption of account secrets at rest: AES-256-GCM, a random 96-bit nonce per value, and the
 * value's purpose (account id + field) as additional authenticated data, so a ciphertext copied
 * to another account or field fails. Sealed form: `v1.<key id>.<base64url(nonce|ciphertext|tag)>`;
 * the key id (an HMAC of the key, not the key) tells "another key" apart from "altered".
 */
export interface SecretBox {
  /** 16 hex chars identifying the key. */
  readonly keyId: string;
  seal(plaintext: string, context: string): string;
  /** Rejects with `SecretKeyMismatchError` or `SecretTamperedError`. */
  open(sealed: string, context: string): string;
}

export const KEY_FILE_NAME = 'secret.key';

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new SecretKeyInvalidError(`la clé fait ${key.length} octets au lieu de 32`);
  const keyId = createHmac('sha256', key).update('facteur:key-id').digest('hex').slice(0, 16);
  return {
    keyId,
    seal(plaintext, context) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const payload = Buffer.concat([nonce, body, cipher.getAuthTag()]);
      return `v1.${keyId}.${payload.toString('base64url')}`;
    },
    open(sealed, context) {
      const parts = sealed.split('.');
      if (parts.length !== 3 || parts[0] !== 'v1') throw new SecretTamperedError();
      if (parts[1] !== keyId) throw new SecretKeyMismatchError();
      const payload = Buffer.from(parts[2] ?? '', 'base64url');
      if (payload.length < 12 + 16) throw new SecretTamperedError();
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, payload.subarray(0, 12));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(payload.subarray(payload.length - 16));
        return Buffer.concat([
          decipher.update(payload.subarray(12, payload.length - 16)),
          decipher.final(),
        ]).toString('utf8');
      } catch (error) {
        throw new SecretTamperedError({ cause: error });
      }
    },
  };
}

/** Parses a 32-byte key given as 64 hex chars or base64 / base64url. */
export function parseSecretKey(text: string): Buffer {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    throw new SecretKeyInvalidError('ce n’est ni du base64 ni de l’hexadécimal');
  }
  const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32)
    throw new SecretKeyInvalidError(`la clé décodée fait ${key.length} octets au lieu de 32`);
  return key;
}

/**
 * The key: `secretKey` (FACTEUR_SECRET_KEY) when given, else `dataDir/secret.key`, generated
 * once (mode 0600, written to a temp file then hard-linked into place, so two processes starting
 * together end up with the same key and nobody reads a half-written file).
 */
export async function loadSecretKey(deps: {
  secretKey?: string;
  dataDir: string;
  logger?: Logger;
}): Promise<Buffer> {
  if (deps.secretKey !== undefined && deps.secretKey.trim() !== '') return parseSecretKey(deps.secretKey);
  const file = path.join(deps.dataDir, KEY_FILE_NAME);
  try {
    return await readKeyFile(file, deps.logger);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(deps.dataDir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    await handle.writeFile(`${randomBytes(32).toString('base64')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(tmp, file);
    deps.logger?.info({ file }, 'generated a local secret key (set FACTEUR_SECRET_KEY to use your own)');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  return readKeyFile(file, deps.logger);
}

async function readKeyFile(file: string, logger?: Logger): Promise<Buffer> {
  const text = await readFile(file, 'utf8');
  const info = await stat(file);
  if ((info.mode & 0o077) !== 0) {
    logger?.warn({ file }, 'secret key file readable by others: restricting it to mode 0600');
    await chmod(file, 0o600);
  }
  try {
    return parseSecretKey(text);
  } catch (error) {
    if (error instanceof SecretKeyInvalidError) {
      throw new SecretKeyInvalidError('contenu illisible', `Le fichier de clé ${file}`);
    }
    throw error;
  }
}
