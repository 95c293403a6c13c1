/**
 * A message from a known user: its PDFs start drafts, or its reply lines go to the draft it
 * answers (found by its thread headers, else the provisional number of the subject, else the
 * plus-address it was sent to), with « confirmer » and « annuler » carried through.
 */
import type { Metrics } from '../shared/metrics.js';
import type { ChannelIdentity, ConversationService, UserInput } from '../machine/conversation-port.js';
import type { View } from '../machine/view.js';
import { mailMessages as M } from './messages.js';
import type { IncomingMail } from './parse-message.js';
import { courtesyLine } from './reply-text.js';
import { draftFromPlusAddress, provisionalToken, type ReplySender } from './reply-sender.js';
import type { SentRecord, ThreadState } from './thread-state.js';
import { matchChoice, nextAutoCancel, nextAutoConfirm, replyPerDraft } from './view-flow.js';

export interface DraftMailDeps {
  conversations: ConversationService;
  state: ThreadState;
  replies: ReplySender;
  /** Facteur's own bare address, lower-cased: its plus-addresses name a draft. */
  fromAddress: string;
  /** Receives the first-report latency (message handled → answer with the report sent). */
  metrics?: Pick<Metrics, 'firstReportSent'>;
}

/** At most the number of blocks of a draft. */
const MAX_AUTO_CONFIRM = 6;

export function createDraftMail(deps: DraftMailDeps) {
  const { conversations, state, replies } = deps;
  const sendGrouped = (mail: IncomingMail, key: string, views: View[], notes: string[]) =>
    replyPerDraft(replies, mail, key, views, notes);

  async function findDraft(mail: IncomingMail): Promise<{ draftId: string; sent?: SentRecord } | undefined> {
    const ids = [mail.inReplyTo, ...[...mail.references].reverse()].filter((x): x is string => Boolean(x));
    for (const id of ids) {
      const sent = await state.sent(id);
      if (sent?.draftId) return { draftId: sent.draftId, sent };
      const incoming = await state.incoming(id);
      if (incoming) return { draftId: incoming };
    }
    // Fallbacks (client dropped the thread headers, one-tap mailto answer): the draft's latest
    // message stands for the one answered.
    const latest = async (draftId: string) => {
      const thread = await state.thread(draftId);
      const last = thread?.messageIds[0];
      return thread ? { draftId, sent: last ? await state.sent(last) : undefined } : undefined;
    };
    const token = provisionalToken(mail.subject);
    const byToken = token ? await state.draftByProvisional(token) : undefined;
    if (byToken) return await latest(byToken);
    const byPlus = draftFromPlusAddress(deps.fromAddress, mail.recipients);
    return byPlus ? await latest(byPlus) : undefined;
  }

  async function handlePdfs(mail: IncomingMail, identity: ChannelIdentity, key: string, notes: string[]) {
    const started = performance.now();
    const views: View[] = [];
    for (const [i, pdf] of mail.pdfs.entries()) {
      const input: UserInput = {
        type: 'file',
        fileName: pdf.fileName,
        mimeType: 'application/pdf',
        bytes: pdf.bytes,
      };
      const result = await conversations.handle(identity, input, { idempotencyKey: `${key}:pdf:${i}` });
      views.push(...result.views);
    }
    const firstDraft = views.find((v) => v.draftId)?.draftId;
    if (mail.messageId && firstDraft) await state.recordIncoming(mail.messageId, firstDraft);
    await sendGrouped(mail, key, views, notes);
    if (views.some((v) => v.kind === 'report')) {
      deps.metrics?.firstReportSent('email', (performance.now() - started) / 1000);
    }
  }

  async function handleLines(
    mail: IncomingMail,
    identity: ChannelIdentity,
    key: string,
    lines: string[],
    notes: string[],
  ) {
    const target = await findDraft(mail);
    // « Merci ! » alone: the user's words go to the conversation, which answers them in one line.
    const courtesy = lines.length === 0 && target ? courtesyLine(mail.text) : undefined;
    if (courtesy) lines = [courtesy];
    if (lines.length === 0) {
      const title = target ? M.howToReplyTitle : M.noPdfTitle;
      const info: View = {
        kind: 'help',
        title,
        lines: [...(target ? M.emptyReply : M.noPdf)],
        choices: [],
        draftId: target?.draftId,
      };
      await sendGrouped(mail, key, [info], notes);
      return;
    }
    // A later message answering this one (or quoting it) reaches the same draft.
    if (target && mail.messageId) await state.recordIncoming(mail.messageId, target.draftId);
    let revision = target?.sent?.revision;
    let choices = target?.sent?.choices ?? [];
    const views: View[] = [];
    for (const [j, line] of lines.entries()) {
      const choice = matchChoice(line, choices);
      const input: UserInput = choice
        ? { type: 'choice', choiceId: choice.id, draftId: target?.draftId, revision }
        : { type: 'text', text: line };
      let result = await conversations.handle(identity, input, {
        draftId: target?.draftId,
        idempotencyKey: `${key}:line:${j}`,
      });
      views.push(...result.views);
      // « confirmer » by e-mail goes on through the blocks the report already showed; « annuler »
      // answers its own « are you sure? ».
      for (let step = 0; step < MAX_AUTO_CONFIRM; step++) {
        const next =
          nextAutoConfirm(line, result.views, target?.draftId) ??
          nextAutoCancel(line, result.views, target?.draftId);
        const draftId = target?.draftId ?? [...result.views].reverse().find((v) => v.draftId)?.draftId;
        if (!next || !draftId) break;
        result = await conversations.handle(
          identity,
          { type: 'choice', choiceId: next.choiceId, draftId, revision: next.revision },
          { draftId, idempotencyKey: `${key}:line:${j}:auto:${step}` },
        );
        views.push(...result.views);
      }
      const latest = [...views].reverse().find((v) => !target || v.draftId === target.draftId);
      if (latest?.revision !== undefined) revision = latest.revision;
      const offering = [...views].reverse().find((v) => v.choices.length > 0);
      if (offering) choices = offering.choices;
    }
    await sendGrouped(mail, key, views, notes);
  }

  return { handlePdfs, handleLines };
}
