/** Files: received invoice PDFs, generated receipt PDFs, previews (part of `Store`, src/store/types.ts). */
export type FileKind = 'invoice-pdf' | 'receipt-pdf' | 'preview-png' | 'other';

export interface StoredFile {
  /** Random URL-safe id (16 chars). */
  id: string;
  kind: FileKind;
  fileName: string;
  mimeType: string;
  size: number;
  /** Hex SHA-256 of the bytes (checked on read). */
  sha256: string;
  accountId?: string;
  conversationId?: string;
  createdAt: string;
}

export interface NewFile {
  kind: FileKind;
  fileName: string;
  mimeType: string;
  bytes: Uint8Array;
  accountId?: string;
  conversationId?: string;
}

/**
 * SQLite: bytes in `dataDir/files/<id>` (temp file + fsync + rename), metadata in the database.
 * PostgreSQL: bytes in a `bytea` column, so several hosts can share the database.
 */
export interface FileStore {
  put(input: NewFile): Promise<StoredFile>;
  /** The metadata without the bytes. */
  stat(id: string): Promise<StoredFile | undefined>;
  /** Rejects with `FileCorruptedError` when the bytes no longer match their SHA-256. */
  get(id: string): Promise<{ file: StoredFile; bytes: Uint8Array } | undefined>;
  listByConversation(conversationId: string): Promise<StoredFile[]>;
  remove(id: string): Promise<boolean>;
}
