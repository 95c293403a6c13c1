import type { Account, IdentityKey, Store } from '../store/types.js';
import { afterChoiceToCommand, parseAfterCommand, smallTalkOf } from './after-deposit-commands.js';
import type { createAfterDeposit } from './after-deposit-service.js';
import type { createFacturxOut } from './facturx-out-service.js';
import { facturxOutChoice, parseFacturxOutText } from './facturx-out-commands.js';
import { finishedDraftAnswer } from './after-deposit-talk.js';
import { choiceToCommand, parseCommand, type GlobalCommand } from './commands.js';
import type { HandleOptions, HandleResult, UserInput } from './conversation-port.js';
import { isFinished, type AdvanceOptions, type DraftSnapshot } from './draft-runner.js';
import { choiceToEvent, textToEvent } from './interpret.js';
import { facturxChoiceToEvent } from './facturx-interpret.js';
import { SERVICE_TEXT } from './messages.js';
import { infoView, staleView } from './service-views.js';
import type { ConversationRecord } from '../store/types.js';
import type { View } from './view.js';

export interface DraftInputDeps {
  store: Store;
  today(): string;
  advance(record: ConversationRecord, options: AdvanceOptions, actor?: IdentityKey): Promise<HandleResult>;
  recordOnce(key: string | undefined, views: View[]): Promise<HandleResult>;
  runCommand(
    identity: IdentityKey,
    account: Account,
    command: GlobalCommand,
    draftId: string | undefined,
  ): Promise<View[]>;
  ownedDraft(account: Account, draftId: string | undefined): Promise<ConversationRecord | undefined>;
  currentViews(record: ConversationRecord): Promise<View[]>;
  after: ReturnType<typeof createAfterDeposit>;
  facturxOut: ReturnType<typeof createFacturxOut>;
}

/** A text or a choice from a user: a global command, or an event for the draft it targets. */
export function createDraftInput(deps: DraftInputDeps) {
  const { store, today, advance, recordOnce, runCommand, ownedDraft, currentViews, after, facturxOut } = deps;

  async function handleDraftInput(
    identity: IdentityKey,
    account: Account,
    input: UserInput,
    options: HandleOptions,
  ): Promise<HandleResult> {
    const key = options.idempotencyKey;
    if (input.type === 'choice') {
      const command = choiceToCommand(input.choiceId);
      if (command)
        return recordOnce(
          key,
          await runCommand(identity, account, command, input.draftId ?? options.draftId),
        );
      const afterCommand = afterChoiceToCommand(input.choiceId);
      if (afterCommand) return recordOnce(key, await after.command(identity, account, afterCommand));
      const fxo = facturxOutChoice(input.choiceId);
      if (fxo === 'cancel') return recordOnce(key, await facturxOut.cancel(identity));
      if (fxo) return recordOnce(key, await facturxOut.version(identity, account, fxo));
    }
    if (input.type === 'text') {
      const fxo = parseFacturxOutText(input.text);
      if (fxo) return recordOnce(key, await facturxOut.version(identity, account, fxo));
      const awaited = await facturxOut.pendingText(identity, account, input.text);
      if (awaited) return recordOnce(key, awaited);
      const command = parseCommand(input.text);
      if (command) return recordOnce(key, await runCommand(identity, account, command, options.draftId));
      const afterCommand = parseAfterCommand(input.text);
      if (afterCommand) {
        const inHand = options.draftId ?? (await store.conversations.getCurrent(identity));
        return recordOnce(key, await after.command(identity, account, afterCommand, inHand));
      }
    }
    // An action from a notification waiting for its answer (a comment, a SIRET…).
    const forAction = await after.actionInput(identity, account, input);
    if (forAction) return recordOnce(key, forAction);
    const targetId =
      (input.type === 'choice' ? input.draftId : undefined) ??
      options.draftId ??
      (await store.conversations.getCurrent(identity));
    const record = await ownedDraft(account, targetId);
    if (!record) {
      // « merci », « bonjour » with no draft at all get a friendly line; « ok » (the user thinks
      // something awaits confirmation) is told there is no draft.
      const typed = input.type === 'text' ? input.text : '';
      const talk = smallTalkOf(typed);
      return recordOnce(key, [
        talk !== undefined && talk !== 'okay'
          ? finishedDraftAnswer(undefined, typed)
          : infoView([SERVICE_TEXT.noCurrentDraft]),
      ]);
    }
    // A finished draft (deposited, cancelled, expired) no longer takes text or buttons: one short
    // line answers, never the receipt and its PDF again.
    if (isFinished(record.status)) return recordOnce(key, await after.finished(identity, record, input));
    if (input.type === 'choice' && input.revision !== undefined && input.revision !== record.revision) {
      return recordOnce(key, [staleView(), ...(await currentViews(record))]);
    }
    if (targetId !== (await store.conversations.getCurrent(identity)))
      await store.conversations.setCurrent(identity, record.id);
    const event =
      input.type === 'choice'
        ? (snap: DraftSnapshot) => {
            const e = facturxChoiceToEvent(input.choiceId, snap.context) ?? choiceToEvent(input.choiceId);
            if (!e) return { type: 'NOT_UNDERSTOOD' as const, text: input.choiceId };
            return e.type === 'SET' ? { ...e, today: today() } : e;
          }
        : (snap: DraftSnapshot) => textToEvent(snap, input.type === 'text' ? input.text : '', today());
    return advance(record, { event, idempotencyKey: key }, identity);
  }

  return { handleDraftInput };
}
