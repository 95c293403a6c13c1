import type { ChannelStateStore } from '../app/channel.js';
import type { ConversationRecord, IdentityKey } from '../store/types.js';
import { AFTER_CHOICE, smallTalkOf } from './after-deposit-commands.js';
import { AFTER_CHOICES, AFTER_TEXT } from './after-deposit-messages.js';
import type { DraftSnapshot } from './draft-runner.js';
import { CHOICE_LABELS, SERVICE_TEXT } from './messages.js';
import type { Choice, View } from './view.js';

/**
 * What a finished draft (deposited, cancelled, expired) answers to free text or an old button:
 * one short line — a friendly one for « merci », « ok », « bonjour », else what the user can do
 * now. Never the receipt or its PDF again, and the same line is not repeated within a quiet
 * window (50 quick « merci » get one answer).
 */

/** Same answer to the same identity within this window: sent once. */
export const QUIET_WINDOW_MS = 2 * 60_000;
const LAST_ANSWER_NAMESPACE = 'after-deposit:last-answer';

export interface TalkDeps {
  state: Pick<ChannelStateStore, 'get' | 'set'>;
  now(): Date;
}

function invoiceNumberOf(record: ConversationRecord): string | undefined {
  const snap = record.snapshot as DraftSnapshot | null;
  return snap?.context?.receipt?.invoiceNumber ?? undefined;
}

function choicesAfter(record: ConversationRecord): Choice[] {
  const choices: Choice[] = [{ id: AFTER_CHOICE.invoices(1), label: AFTER_CHOICES.invoices }];
  if (record.status === 'submitted') {
    const n = invoiceNumberOf(record);
    if (n) choices.push({ id: AFTER_CHOICE.statusOf(record.id), label: AFTER_CHOICES.statusOf(n) });
  } else {
    choices.push({ id: 'drafts', label: CHOICE_LABELS.drafts });
  }
  choices.push({ id: 'help', label: CHOICE_LABELS.help });
  return choices;
}

/** The one line answering `text` on a finished draft (no draft id: it is not the draft speaking). */
export function finishedDraftAnswer(
  record: ConversationRecord | undefined,
  text: string | undefined,
  name?: string,
): View {
  const talk = text === undefined ? undefined : smallTalkOf(text);
  if (talk) {
    const line = {
      thanks: AFTER_TEXT.thanks,
      okay: AFTER_TEXT.okay,
      hello: AFTER_TEXT.hello(name),
      bye: AFTER_TEXT.bye,
    }[talk];
    return { kind: 'info', lines: [line], choices: [] };
  }
  if (!record) return { kind: 'info', lines: [SERVICE_TEXT.noCurrentDraft], choices: [] };
  const invoice = record.status === 'submitted' ? invoiceNumberOf(record) : undefined;
  return {
    kind: 'info',
    lines: [
      invoice ? AFTER_TEXT.afterDepositHelp(invoice) : AFTER_TEXT.afterEndHelp(record.provisionalNumber),
    ],
    choices: choicesAfter(record),
  };
}

/**
 * `views` unless the very same answer (about the same `scope`, e.g. the draft) went to this
 * identity within the quiet window: then nothing, the user has it just above.
 */
export async function once(
  deps: TalkDeps,
  identity: IdentityKey,
  scope: string,
  views: View[],
): Promise<View[]> {
  const key = `${identity.channel}:${identity.userId}`;
  const signature = JSON.stringify([
    scope,
    ...views.map((v) => [v.kind, v.lines, v.choices.map((c) => c.id)]),
  ]);
  const now = deps.now().getTime();
  const last = await deps.state.get<{ sent: Record<string, number> }>(LAST_ANSWER_NAMESPACE, key);
  const recent = Object.entries(last?.sent ?? {}).filter(
    ([, at]) => now - at >= 0 && now - at < QUIET_WINDOW_MS,
  );
  if (recent.some(([sig]) => sig === signature)) return [];
  // Bounded: only the answers of the window are kept, at most a handful of kinds.
  const kept = recent.slice(-20);
  await deps.state.set(LAST_ANSWER_NAMESPACE, key, { sent: Object.fromEntries([...kept, [signature, now]]) });
  return views;
}
