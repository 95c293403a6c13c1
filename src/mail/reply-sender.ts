/**
 * Sends the channel's answers: threaded replies to an incoming message (`In-Reply-To`,
 * `References`, « Re: »), and notifications into the thread of their draft. Every sent message
 * is recorded so the user's reply finds its draft and its offered choices again.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { View } from '../machine/view.js';
import type { Mailer } from './mailer.js';
import { mailMessages as M } from './messages.js';
import type { IncomingMail } from './parse-message.js';
import { answeredView, renderViews } from './render.js';
import type { ThreadState } from './thread-state.js';

export interface ReplySenderDeps {
  mailer: Mailer;
  state: ThreadState;
  /** Facteur's own bare address (MAIL_FROM without display name), lower-cased. */
  fromAddress: string;
}

const MAX_REFERENCES = 10;
const PROVISIONAL_TOKEN = /\[(PROV-\d{4}-\d+)\]/i;

/** « Re: » once, whatever the client put before (Re:, RE :, Réf. :, TR:, Fwd:), plus the draft token. */
export function replySubject(original: string, provisionalNumber?: string): string {
  let base = original.replace(/\s+/g, ' ').trim();
  for (;;) {
    const stripped = base.replace(/^(re|ré|réf|ref|aw|sv|tr|fw|fwd|wg)\s*(\[\d+\])?\s*:\s*/i, '');
    if (stripped === base) break;
    base = stripped;
  }
  if (!base) base = M.defaultSubject;
  if (provisionalNumber && !base.toUpperCase().includes(`[${provisionalNumber.toUpperCase()}]`)) {
    base = `${base} [${provisionalNumber}]`;
  }
  return `Re: ${base}`;
}

export function provisionalToken(subject: string): string | undefined {
  return PROVISIONAL_TOKEN.exec(subject)?.[1];
}

export function splitAddress(address: string): { local: string; domain: string } {
  const at = address.lastIndexOf('@');
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}

/** `facteur+<draftId>@example.com`: replies reach the draft even when the client drops thread headers. */
export function plusAddress(fromAddress: string, draftId: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(draftId)) return undefined;
  const { local, domain } = splitAddress(fromAddress);
  return `${local.split('+')[0]}+${draftId}@${domain}`;
}

export function draftFromPlusAddress(fromAddress: string, recipients: string[]): string | undefined {
  const { local, domain } = splitAddress(fromAddress.toLowerCase());
  const base = local.split('+')[0];
  for (const r of recipients) {
    const { local: l, domain: d } = splitAddress(r);
    if (d !== domain) continue;
    const m = /^([^+]+)\+([A-Za-z0-9_-]{1,32})$/.exec(l);
    if (m && m[1] === base && m[2]) return m[2];
  }
  return undefined;
}

export function createReplySender(deps: ReplySenderDeps) {
  const { domain } = splitAddress(deps.fromAddress);
  const idFor = (seed: string) => `<facteur.${createHash('sha256').update(seed).digest('hex').slice(0, 32)}@${domain}>`;

  async function recordThread(messageId: string, to: string, subject: string, views: View[]): Promise<void> {
    const offering = answeredView(views);
    const draftId = views.find((v) => v.draftId)?.draftId;
    const revision = [...views].reverse().find((v) => v.draftId === draftId && v.revision !== undefined)?.revision;
    await deps.state.recordSent(messageId, {
      draftId,
      revision: offering?.revision ?? revision,
      choices: (offering?.choices ?? []).map((c) => ({ id: c.id, label: c.label })),
    });
    if (!draftId) return;
    const previous = await deps.state.thread(draftId);
    await deps.state.setThread(draftId, {
      to,
      subject,
      messageIds: [messageId, ...(previous?.messageIds ?? [])].slice(0, MAX_REFERENCES),
    });
    const provisional = views.find((v) => v.provisionalNumber)?.provisionalNumber;
    if (provisional) await deps.state.setProvisional(provisional, draftId);
  }

  return {
    /** The Message-ID an answer seeded with `seed` has (or will have). */
    idFor,

    /**
     * Replies to `incoming` with `views`. `seed` makes the Message-ID deterministic: after a crash
     * the same answer is not sent twice (and if the crash fell between sending and recording,
     * the copy has the same Message-ID, which mail clients merge).
     */
    async reply(incoming: IncomingMail, seed: string, views: View[], notes: string[] = []): Promise<string> {
      const messageId = idFor(seed);
      if (await deps.state.wasSent(messageId)) return messageId;
      const draftId = views.find((v) => v.draftId)?.draftId;
      const provisional = views.find((v) => v.provisionalNumber)?.provisionalNumber;
      const subject = replySubject(incoming.subject, provisional);
      const replyTo = draftId ? plusAddress(deps.fromAddress, draftId) : undefined;
      const rendered = renderViews(views, notes, { address: replyTo ?? deps.fromAddress, subject });
      const references = [...incoming.references, ...(incoming.messageId ? [incoming.messageId] : [])].slice(
        -MAX_REFERENCES,
      );
      await deps.mailer.send({
        to: incoming.from.address,
        subject,
        text: rendered.text,
        html: rendered.html,
        messageId,
        inReplyTo: incoming.messageId,
        references,
        replyTo,
        attachments: rendered.attachments,
      });
      await recordThread(messageId, incoming.from.address, subject, views);
      return messageId;
    },

    /** A view the conversation sends on its own (reminder, receipt, status): into its draft's thread. */
    async notify(to: string, view: View, seed?: string): Promise<string> {
      const thread = view.draftId ? await deps.state.thread(view.draftId) : undefined;
      // A seeded notification (follow-up) has a stable Message-ID: never sent twice.
      const messageId = idFor(seed ? `notification:${seed}` : `notification:${randomUUID()}`);
      if (seed && (await deps.state.wasSent(messageId))) return messageId;
      const subject = thread?.subject ?? replySubject(view.title ?? M.defaultSubject, view.provisionalNumber);
      const replyTo = view.draftId ? plusAddress(deps.fromAddress, view.draftId) : undefined;
      const rendered = renderViews([view], [], { address: replyTo ?? deps.fromAddress, subject });
      await deps.mailer.send({
        to,
        subject,
        text: rendered.text,
        html: rendered.html,
        messageId,
        inReplyTo: thread?.messageIds[0],
        references: thread ? [...thread.messageIds].reverse() : undefined,
        replyTo,
        attachments: rendered.attachments,
      });
      await recordThread(messageId, to, subject, [view]);
      return messageId;
    },
  };
}

export type ReplySender = ReturnType<typeof createReplySender>;
