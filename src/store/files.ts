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
/**
 * SQLite back-end: files up to this size live in their row, larger ones in `files/` beside the
 * database. An invoice PDF (tens to hundreds of kB) is then one INSERT instead of eight file-system
 * calls (temporary file, write, fsync, close, rename, directory fsync), and it is as durable as
 * the row that names it: the WAL fsync of the next durable transaction (a deposit) covers both,
 * where a file on disk needed its own fsyncs to be there when that row is. Rows written before
 * (data NULL) are read from disk as they were.
 */
export const INLINE_MAX_BYTES = 1024 * 1024;

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

/** Directories known to exist (a `mkdir` less per file; one removed behind our back is made again). */
const madeDirs = new Set<string>();

async function openNew(dir: string, tmp: string) {
  if (!madeDirs.has(dir)) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if (madeDirs.size > 10_000) madeDirs.clear();
    madeDirs.add(dir);
  }
  try {
    return await open(tmp, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    madeDirs.delete(dir);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    madeDirs.add(dir);
    return open(tmp, 'wx', 0o600);
  }
}

/** Writes bytes durably: temp file in the same directory, fsync, rename, fsync of the directory. */
async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await openNew(dir, tmp);
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

/** Deletes the bytes of removed files kept on disk (SQLite, over INLINE_MAX_BYTES; other rows carry theirs). */
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

/**
 * The bytes of the files stored last, in memory until their first read: a new draft's PDF is read
 * back by its analysis right after it was stored, and that needs no disk read nor SHA-256 check
 * (the bytes never left memory). Later reads go to the disk (and check it). Small and bounded
 * (count and bytes); a removed file leaves it at once.
 */
class RecentBytes {
  private readonly entries = new Map<string, Uint8Array>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = 16,
    private readonly maxBytes = 16 * 1024 * 1024,
  ) {}

  add(id: string, bytes: Uint8Array): void {
    if (bytes.byteLength > this.maxBytes / 4) return;
    this.entries.set(id, new Uint8Array(bytes));
    this.bytes += bytes.byteLength;
    for (const [old, held] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.drop(old, held);
    }
  }

  /** The bytes, handed over once (a copy was kept: the caller may change them). */
  take(id: string): Uint8Array | undefined {
    const held = this.entries.get(id);
    if (held) this.drop(id, held);
    return held;
  }

  remove(id: string): void {
    const held = this.entries.get(id);
    if (held) this.drop(id, held);
  }

  private drop(id: string, held: Uint8Array): void {
    this.entries.delete(id);
    this.bytes -= held.byteLength;
  }
}

export function createFileStore(ctx: StoreContext): FileStore {
  const { db } = ctx;
  const recent = new RecentBytes();
  return {
    async put(input) {
      const id = newFileId();
      const bytes = input.bytes;
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const diskDir = bytes.byteLength > INLINE_MAX_BYTES ? ctx.filesDir : undefined;
      if (diskDir) await writeAtomically(blobPath(diskDir, id), bytes);
      const data = diskDir ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
        recent.add(id, bytes);
        return toFile(row);
      } catch (error) {
        if (diskDir) await removeBlobs(ctx, [id]);
        throw error;
      }
    },
    async stat(id) {
      const row = await db.one(`SELECT ${COLUMNS} FROM files WHERE id = ?`, [id]);
      return row ? toFile(row) : undefined;
    },
    async get(id) {
      const held = recent.take(id);
      // The bytes are read only when not in hand: an inline row's blob is left out of the query then.
      const row = await db.one(`SELECT ${COLUMNS}${held ? '' : ', data'} FROM files WHERE id = ?`, [id]);
      if (!row) return undefined;
      const file = toFile(row);
      if (held) return { file, bytes: held };
      let bytes: Uint8Array;
      if (row.data instanceof Uint8Array) {
        bytes = new Uint8Array(row.data);
      } else if (ctx.filesDir) {
        try {
          bytes = new Uint8Array(await readFile(blobPath(ctx.filesDir, id)));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT')
            throw new FileCorruptedError(id, 'bytes missing');
          throw error;
        }
      } else {
        throw new FileCorruptedError(id, 'bytes missing');
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
      recent.remove(id);
      const n = await db.run('DELETE FROM files WHERE id = ?', [id]);
      if (n > 0) await removeBlobs(ctx, [id]);
      return n > 0;
    },
  };
}
