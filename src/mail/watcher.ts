/**
 * Watches the mailbox: IDLE when the server has it, a periodic re-scan anyway (IDLE can stall
 * silently), reconnection with exponential backoff on any drop, a new ImapFlow client per
 * connection, the mailbox lock always released in `finally`.
 *
 * A scan handles every message still in the mailbox, in UID order, by batches. Once handled, the
 * outcome is stored first, then the message is moved to `Facteur/Traités` or `Facteur/Refusés`: a
 * crash between the two only leaves a message that the next scan moves without handling it again.
 * Dedup never relies on `\Seen` (another client may read the mailbox).
 */
import type { FetchMessageObject, ImapFlow } from 'imapflow';
import { settlesWithin, withTimeout } from '../shared/timeouts.js';
import { MailboxError } from './errors.js';
import { fetchMessages } from './fetch-messages.js';
import { createImapClient } from './imap-client.js';
import { MAIL_LIMITS } from './limits.js';
import { DEFAULT_MAIL_FOLDERS, ensureMailFolders, folderFor, type MailFolder } from './mail-folders.js';
import type { MessageRef } from './thread-state.js';
import type { WatcherEvent, WatcherOptions } from './watcher-options.js';

export interface MailboxWatcher {
  /** Connects once (rejects with `MailboxError` on bad credentials), then watches in the background. */
  start(): Promise<void>;
  /** Finishes the message in hand, moves what is done, releases the lock, logs out. */
  stop(): Promise<void>;
  /** Messages of the current scan not handled yet (the `mail` queue of the metrics). */
  backlog(): number;
}

export function createMailboxWatcher(options: WatcherOptions): MailboxWatcher {
  const { imap, state, handler, logger } = options;
  const folders = options.folders ?? DEFAULT_MAIL_FOLDERS;
  const backoff = options.backoff ?? { initialMs: 1_000, maxMs: 60_000 };
  const batchSize = options.batchSize ?? 25;
  const maxMessageBytes = options.maxMessageBytes ?? MAIL_LIMITS.maxMessageBytes;
  let onFirstConnect: (() => void) | undefined;
  // The account is part of the key: UIDVALIDITY is often a creation timestamp, so two mailboxes
  // (a new account, a test) may share one, and the keys must never collide in the shared store.
  const mailboxKey = `${imap.user.toLowerCase()}/${imap.mailbox}`;
  const emit = (e: WatcherEvent) => {
    if (e.type === 'connected') onFirstConnect?.();
    options.onEvent?.(e);
  };

  let stopping = false;
  let dirty = false;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let delay = backoff.initialMs;
  /** The client of the current connection, and whether a message is being handled. */
  let current: ImapFlow | undefined;
  let handling = false;
  let backlog = 0;
  const leaseTtlMs = options.leaseTtlMs ?? 60_000;

  function wakeUp(): void {
    dirty = true;
    const w = wake;
    wake = undefined;
    w?.();
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function scan(client: ImapFlow, paths: Record<MailFolder, string>): Promise<void> {
    const lock = await client.getMailboxLock(imap.mailbox);
    try {
      const box = client.mailbox;
      if (!box) throw new MailboxError(`mailbox ${imap.mailbox} not selected`);
      const uidValidity = String(box.uidValidity);
      const uids = ((await client.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b);
      let remaining = uids.length;
      backlog = remaining;
      for (let i = 0; i < uids.length && !stopping && client.usable; i += batchSize) {
        const chunk = uids.slice(i, i + batchSize);
        const moves: Record<MailFolder, number[]> = { processed: [], refused: [] };
        const todo: number[] = [];
        for (const uid of chunk) {
          const done = await state.outcome({ mailbox: mailboxKey, uidValidity, uid });
          if (done) moves[folderFor(done)].push(uid);
          else todo.push(uid);
        }
        try {
          const fetched =
            todo.length > 0
              ? await fetchMessages(client, todo, maxMessageBytes)
              : new Map<number, FetchMessageObject>();
          for (const uid of todo) {
            // Connection cut: finish the message in hand only; the rest waits for the new connection
            // (another client may have moved or deleted them meanwhile).
            if (stopping || !client.usable) break;
            const msg = fetched.get(uid);
            if (!msg) continue; // expunged meanwhile
            const ref: MessageRef = { mailbox: mailboxKey, uidValidity, uid };
            const lease = options.holder ? await state.lease(ref, options.holder, leaseTtlMs) : 'unleased';
            if (!lease) {
              // Another instance is handling it; it moves it when done.
              logger.debug({ uid }, 'mail handled by another instance');
              continue;
            }
            const started = Date.now();
            handling = true;
            const holder = options.holder;
            const renew =
              holder && lease !== 'unleased'
                ? setInterval(() => {
                    state
                      .renewLease(lease, holder)
                      .catch((err: unknown) => logger.warn({ err }, 'mail lease not renewed'));
                  }, leaseTtlMs / 3)
                : undefined;
            const outcome = await (
              msg.source
                ? handler.handle(ref, msg.source)
                : handler.handleTooLarge(ref, msg.headers ?? Buffer.alloc(0), msg.size ?? 0)
            ).finally(() => {
              handling = false;
              clearInterval(renew);
              backlog = Math.max(0, backlog - 1);
            });
            logger.info(
              { uid, uidValidity, size: msg.size, outcome, ms: Date.now() - started },
              'mail handled',
            );
            emit({ type: 'handled', ref, outcome });
            if (outcome === 'retry') continue;
            await state.setOutcome(ref, outcome);
            moves[folderFor(outcome)].push(uid);
          }
        } finally {
          // Move what is done even when the batch was interrupted (a no-op if the connection is gone).
          for (const key of ['processed', 'refused'] as const) {
            if (moves[key].length > 0 && client.usable) {
              await client.messageMove(moves[key].join(','), paths[key], { uid: true });
            }
          }
        }
        remaining -= chunk.length;
      }
      backlog = 0;
      emit({ type: 'scanned', remaining });
    } finally {
      lock.release();
    }
  }

  async function connection(): Promise<void> {
    const client = createImapClient(imap, options.rescanIntervalMs);
    current = client;
    client.on('exists', wakeUp);
    client.on('close', wakeUp);
    client.on('error', (err: Error) => logger.warn({ err }, 'imap connection error'));
    try {
      await client.connect();
      const paths = await ensureMailFolders(client, folders);
      await client.mailboxOpen(imap.mailbox).catch((err: Error) => {
        throw new MailboxError(`cannot open mailbox ${imap.mailbox}: ${err.message}`, {
          cause: err,
          userMessage: `Le dossier « ${imap.mailbox} » de la boîte de Facteur n’existe pas ou ne peut pas être ouvert (vérifiez IMAP_MAILBOX ou le chemin de IMAP_URL).`,
        });
      });
      delay = backoff.initialMs;
      logger.info(
        { host: imap.host, mailbox: imap.mailbox, idle: client.capabilities.has('IDLE') },
        'mailbox connected',
      );
      emit({ type: 'connected' });
      while (!stopping && client.usable) {
        dirty = false;
        await scan(client, paths);
        if (stopping || !client.usable) break;
        if (!dirty) await sleep(options.rescanIntervalMs);
      }
    } finally {
      // A server that stopped answering must not hold the stop: logout is given 2 s.
      if (client.usable) await withTimeout(client.logout(), 2_000).catch(() => undefined);
      client.close();
    }
  }

  async function run(first: { resolve: () => void; reject: (e: Error) => void }): Promise<void> {
    let settled = false;
    while (!stopping) {
      let error: Error | undefined;
      try {
        await connection();
      } catch (err) {
        error = err as Error;
      }
      if (!settled) {
        settled = true;
        // Wrong credentials or mailbox at start: a configuration error, said at once. Anything else
        // (network, server down) is retried in the background.
        if (error && (error as { authenticationFailed?: boolean }).authenticationFailed) {
          first.reject(new MailboxError(`IMAP login refused for ${imap.user}`, { cause: error }));
          return;
        }
        if (error instanceof MailboxError) {
          first.reject(error);
          return;
        }
        first.resolve();
      }
      if (stopping) break;
      const wait = Math.round(delay * (0.8 + Math.random() * 0.4));
      emit({ type: 'disconnected', error, retryInMs: wait });
      logger.warn(
        { dependency: 'imap', host: imap.host, err: error, retryInMs: wait },
        'mailbox connection lost, reconnecting',
      );
      await sleep(wait);
      delay = Math.min(delay * 2, backoff.maxMs);
    }
  }

  return {
    start() {
      stopping = false;
      return new Promise<void>((resolve, reject) => {
        onFirstConnect = resolve;
        loop = run({ resolve, reject }).catch((err: Error) => logger.error({ err }, 'mail watcher crashed'));
      });
    },
    async stop() {
      stopping = true;
      wakeUp();
      // Not in the middle of a message: no need to wait for a connection attempt or an IDLE to end.
      if (!handling && current && !current.usable) current.close();
      const grace = handling ? (options.stopGraceMs ?? 4_000) : 1_000;
      if (await settlesWithin(loop, grace)) return;
      // The server stopped answering (or the message in hand hangs): cut the connection. A message
      // not recorded as handled is handled again at the next start (its replies keep their ids).
      logger.warn(
        { dependency: 'imap', handling, graceMs: grace },
        'mailbox did not let go in time; closing the connection',
      );
      current?.close();
      await settlesWithin(loop, 1_000);
    },
    backlog: () => backlog,
  };
}
