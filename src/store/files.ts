import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { type StoreContext, isoTime, nowMs, optionalString } from './context.js';
import { FileCorruptedError } from './errors.js';
import { newFileId } from './ids.js';
import type { Row } from './sql/driver.js';
import type { FileKind, FileStore, StoredFile } from './types.js';

const COLUMNS = 'id, kind, file_name, mime_type, size, sha256, account_id, conversation_id, created_at';
const FILE_ID = /^[A-Za-z0-9_-]{16}$/;

function toFile(row: Row): StoredFile {
  const accountId = optionalString(row.account_id);
  const conversationId = optionalString(row.conversation_id);
  return {
    id: String(row.id),
    kind: row.kind as FileKind,
    fileName: String(row.file_name),
    mimeType: String(row.mime_type),
    size: Number(row.size),
    sha256: String(row.sha256),
    ...(accountId !== undefined ? { accountId } : {}),
    ...(conversationId !== undefined ? { conversationId } : {}),
    createdAt: isoTime(row.created_at),
  };
}

function blobPath(dir: string, id: string): string {
  // Ids are checked before they reach the file system (no path traversal through an id).
  if (!FILE_ID.test(id)) throw new Error(`invalid file id ${JSON.stringify(id)}`);
  return path.join(dir, id.slice(0, 2), id);
}

/** Writes bytes durably: temp file in the same directory, fsync, rename, fsync of the directory. */
async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, file);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
  const dirHandle = await open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}

/** Deletes the bytes of removed files (SQLite back-end; PostgreSQL rows carry their bytes). */
export async function removeBlobs(ctx: StoreContext, ids: string[]): Promise<void> {
  const dir = ctx.filesDir;
  if (!dir) return;
  for (const id of ids) {
    try {
      await unlink(blobPath(dir, id));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        ctx.logger?.warn({ err: error, fileId: id }, 'could not delete a stored file');
      }
    }
  }
}

export function createFileStore(ctx: StoreContext): FileStore {
  const { db } = ctx;
  return {
    async put(input) {
      const id = newFileId();
      const bytes = input.bytes;
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (ctx.filesDir) await writeAtomically(blobPath(ctx.filesDir, id), bytes);
      const data = ctx.filesDir ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      try {
        const row = await db.one(
          `INSERT INTO files (id, kind, file_name, mime_type, size, sha256, account_id, conversation_id, created_at, data)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
          [
            id,
            input.kind,
            input.fileName,
            input.mimeType,
            bytes.byteLength,
            sha256,
            input.accountId ?? null,
            input.conversationId ?? null,
            nowMs(ctx),
            data,
          ],
        );
        if (!row) throw new Error('file insert returned no row');
        return toFile(row);
      } catch (error) {
        await removeBlobs(ctx, [id]);
        throw error;
      }
    },
    async stat(id) {
      const row = await db.one(`SELECT ${COLUMNS} FROM files WHERE id = ?`, [id]);
      return row ? toFile(row) : undefined;
    },
    async get(id) {
      const row = await db.one(`SELECT ${COLUMNS}${ctx.filesDir ? '' : ', data'} FROM files WHERE id = ?`, [
        id,
      ]);
      if (!row) return undefined;
      const file = toFile(row);
      let bytes: Uint8Array;
      if (ctx.filesDir) {
        try {
          bytes = new Uint8Array(await readFile(blobPath(ctx.filesDir, id)));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT')
            throw new FileCorruptedError(id, 'bytes missing');
          throw error;
        }
      } else {
        if (!(row.data instanceof Uint8Array)) throw new FileCorruptedError(id, 'bytes missing');
        bytes = new Uint8Array(row.data);
      }
      if (createHash('sha256').update(bytes).digest('hex') !== file.sha256) {
        throw new FileCorruptedError(id, 'SHA-256 mismatch');
      }
      return { file, bytes };
    },
    async listByConversation(conversationId) {
      const rows = await db.all(
        `SELECT ${COLUMNS} FROM files WHERE conversation_id = ? ORDER BY created_at, id`,
        [conversationId],
      );
      return rows.map(toFile);
    },
    async remove(id) {
      const n = await db.run('DELETE FROM files WHERE id = ?', [id]);
      if (n > 0) await removeBlobs(ctx, [id]);
      return n > 0;
    },
  };
}
