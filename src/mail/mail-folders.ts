/**
 * Facteur's folders in the mailbox, where handled messages are moved (`Facteur/Traités`,
 * `Facteur/Refusés` by default): found whatever the server's delimiter and namespace prefix,
 * created when absent.
 */
import type { ImapFlow } from 'imapflow';
import type { Outcome } from './thread-state.js';

/** Folder paths as parts, joined with the server's delimiter. */
export interface MailFolderParts {
  processed: string[];
  refused: string[];
}

export type MailFolder = keyof MailFolderParts;

export const DEFAULT_MAIL_FOLDERS: MailFolderParts = {
  processed: ['Facteur', 'Traités'],
  refused: ['Facteur', 'Refusés'],
};

/** The folder a handled message goes to. */
export const folderFor = (o: Outcome): MailFolder => (o === 'refused' ? 'refused' : 'processed');

/** The folders' full paths on this server, created (and subscribed) when missing. */
export async function ensureMailFolders(
  client: ImapFlow,
  folders: MailFolderParts,
): Promise<Record<MailFolder, string>> {
  const list = await client.list();
  const delimiter = client.namespace?.delimiter || list.find((m) => m.delimiter)?.delimiter || '/';
  // Servers with a personal namespace prefix (`INBOX.` on Courier/Cyrus) list `INBOX.Facteur.Traités`.
  const prefix = client.namespace?.prefix ?? '';
  const existing = new Set(list.map((m) => m.path));
  const ensure = async (parts: string[]) => {
    const path = parts.join(delimiter);
    if (existing.has(path)) return path;
    if (existing.has(prefix + path)) return prefix + path;
    const created = await client.mailboxCreate(parts);
    await client.mailboxSubscribe(created.path).catch(() => false);
    return created.path;
  };
  return { processed: await ensure(folders.processed), refused: await ensure(folders.refused) };
}
