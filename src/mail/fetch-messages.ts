/**
 * Fetches a batch of messages by UID for the watcher: the sizes first, then the small messages
 * whole in one round trip, the larger ones one by one, and only the headers of those above
 * `maxMessageBytes` (they are answered « too large » without being downloaded).
 */
import type { FetchMessageObject, ImapFlow } from 'imapflow';

const SMALL_MESSAGE = 1024 * 1024;

/** By UID; a message expunged meanwhile is absent. */
export async function fetchMessages(
  client: ImapFlow,
  uids: number[],
  maxMessageBytes: number,
): Promise<Map<number, FetchMessageObject>> {
  const byUid = new Map<number, FetchMessageObject>();
  const metas = await client.fetchAll(uids.join(','), { uid: true, size: true }, { uid: true });
  const small = metas
    .filter((m) => (m.size ?? 0) <= Math.min(SMALL_MESSAGE, maxMessageBytes))
    .map((m) => m.uid);
  if (small.length > 0) {
    for (const m of await client.fetchAll(
      small.join(','),
      { uid: true, size: true, source: true },
      { uid: true },
    ))
      byUid.set(m.uid, m);
  }
  for (const meta of metas.filter((m) => (m.size ?? 0) > Math.min(SMALL_MESSAGE, maxMessageBytes))) {
    const query =
      (meta.size ?? 0) > maxMessageBytes
        ? { uid: true, size: true, headers: true }
        : { uid: true, size: true, source: true };
    const m = await client.fetchOne(String(meta.uid), query, { uid: true });
    if (m) byUid.set(m.uid, m);
  }
  return byUid;
}
