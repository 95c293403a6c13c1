/**
 * What the e-mail channel remembers, in the store's channel state (namespace `mail`): handled
 * IMAP messages, Message-ID dedup, and the thread of each draft (the Message-IDs we sent, so a
 * reply finds its draft through `In-Reply-To`/`References`).
 */
import type { ChannelStateStore } from '../app/channel.js';
import type { Choice } from '../machine/view.js';

const NS = 'mail';

export type Outcome = 'processed' | 'refused' | 'duplicate';

/** A message we sent: the draft and the choices it offered (a reply « confirmer » maps to them). */
export interface SentRecord {
  draftId?: string;
  revision?: number;
  choices: Pick<Choice, 'id' | 'label'>[];
}

/** The thread of a draft: where notifications (reminders, receipt) go. */
export interface DraftThread {
  to: string;
  subject: string;
  /** Most recent first, at most 10: the `References` of the next message. */
  messageIds: string[];
}

export interface MessageRef {
  /** `<imap user>/<mailbox path>`. */
  mailbox: string;
  uidValidity: string;
  uid: number;
}

interface Lease {
  holder: string;
  at: number;
}

export const refKey = (ref: MessageRef) => `imap:${ref.mailbox}:${ref.uidValidity}:${ref.uid}`;

export function createThreadState(store: ChannelStateStore) {
  return {
    async outcome(ref: MessageRef): Promise<Outcome | undefined> {
      return await store.get<Outcome>(NS, `done:${refKey(ref)}`);
    },
    async setOutcome(ref: MessageRef, outcome: Outcome): Promise<void> {
      await store.set(NS, `done:${refKey(ref)}`, outcome);
    },
    /** True when this Message-ID is new or already belongs to `key` (a retry of the same message). */
    async claimMessageId(messageId: string, key: string): Promise<boolean> {
      if (await store.claim(NS, `msgid:${messageId}`, key)) return true;
      return (await store.get<string>(NS, `msgid:${messageId}`)) === key;
    },
    async attempts(key: string): Promise<number> {
      return (await store.get<number>(NS, `attempts:${key}`)) ?? 0;
    },
    async setAttempts(key: string, n: number): Promise<void> {
      await store.set(NS, `attempts:${key}`, n);
    },
    async wasSent(messageId: string): Promise<boolean> {
      return (await store.get(NS, `out:${messageId}`)) !== undefined;
    },
    async recordSent(messageId: string, record: SentRecord): Promise<void> {
      await store.set(NS, `out:${messageId}`, record);
    },
    async sent(messageId: string): Promise<SentRecord | undefined> {
      return await store.get<SentRecord>(NS, `out:${messageId}`);
    },
    /** An incoming message that started a draft: replies to it also reach the draft. */
    async recordIncoming(messageId: string, draftId: string): Promise<void> {
      await store.set(NS, `in:${messageId}`, draftId);
    },
    async incoming(messageId: string): Promise<string | undefined> {
      return await store.get<string>(NS, `in:${messageId}`);
    },
    async thread(draftId: string): Promise<DraftThread | undefined> {
      return await store.get<DraftThread>(NS, `draft:${draftId}`);
    },
    async setThread(draftId: string, thread: DraftThread): Promise<void> {
      await store.set(NS, `draft:${draftId}`, thread);
    },
    /** When an unknown address was last told it has no access (ms since epoch). */
    async lastDenied(address: string): Promise<number | undefined> {
      return await store.get<number>(NS, `denied:${address}`);
    },
    async setDenied(address: string, at: number): Promise<void> {
      await store.set(NS, `denied:${address}`, at);
    },
    /**
     * Takes the right to handle a message, for `ttlMs` (renewed while handling): two instances
     * watching one mailbox never handle the same message at once. A lease of this holder (also
     * from before a restart: the holder id is kept in the data directory) is taken back at once;
     * another holder's lease that was not renewed within `ttlMs` (a crashed instance) is taken
     * over through the next generation key, which only one claimer can win.
     * Returns the lease key (to renew it), or undefined when another live instance holds it.
     */
    async lease(
      ref: MessageRef,
      holder: string,
      ttlMs: number,
      now = Date.now(),
    ): Promise<string | undefined> {
      for (let generation = 0; generation < 50; generation++) {
        const key = `lease:${refKey(ref)}:${generation}`;
        if (await store.claim(NS, key, { holder, at: now } satisfies Lease)) return key;
        const held = await store.get<Lease | null>(NS, key);
        if (held?.holder === holder) {
          await store.set(NS, key, { holder, at: now } satisfies Lease);
          return key;
        }
        if (held && now - held.at < ttlMs) return undefined;
      }
      return undefined;
    },
    async renewLease(key: string, holder: string, now = Date.now()): Promise<void> {
      await store.set(NS, key, { holder, at: now } satisfies Lease);
    },
    async draftByProvisional(number: string): Promise<string | undefined> {
      return await store.get<string>(NS, `prov:${number.toUpperCase()}`);
    },
    async setProvisional(number: string, draftId: string): Promise<void> {
      await store.set(NS, `prov:${number.toUpperCase()}`, draftId);
    },
  };
}

export type ThreadState = ReturnType<typeof createThreadState>;
