import type { ChorusCredentials, DepositService } from '../deposit/port.js';
import { createFollowUpActions } from './after-deposit-actions.js';
import type { Logger } from '../shared/logger.js';
import type { Account, ConversationRecord, IdentityKey, Store } from '../store/types.js';
import type { AfterCommand } from './after-deposit-commands.js';
import { AFTER_CHOICE } from './after-deposit-commands.js';
import { attachDraftPdf } from './after-deposit-attach.js';
import { findInvoiceConversation, invoicesPage } from './after-deposit-invoices.js';
import { AFTER_CHOICES, AFTER_TEXT } from './after-deposit-messages.js';
import type { AfterDepositPorts } from './after-deposit-port.js';
import { finishedDraftAnswer, once } from './after-deposit-talk.js';
import type { GlobalCommand } from './commands.js';
import type { HandleResult, UserInput } from './conversation-port.js';
import type { AdvanceOptions } from './draft-runner.js';
import { formatDate } from './format.js';
import { errorView, infoView } from './service-views.js';
import type { Prefill } from './types.js';
import type { View } from './view.js';

/**
 * The service's side of the conversation after a deposit: the commands of after-deposit-commands.ts,
 * the short answers of a finished draft, and « pièce jointe de … » for a second PDF
 * (after-deposit-attach.ts). The draft machine is only run through `advance`.
 */

export interface AfterDepositDeps {
  store: Store;
  logger: Logger;
  now(): Date;
  ports: AfterDepositPorts;
  deposit: DepositService;
  credentials(accountId: string): Promise<ChorusCredentials>;
  /** Opens a new draft with this PDF (pre-filled for « Préparer une nouvelle facture »). */
  openDraft(
    identity: IdentityKey,
    account: Account,
    input: Extract<UserInput, { type: 'file' }>,
    key: string,
    prefill: Prefill,
  ): Promise<HandleResult>;
  runCommand(
    identity: IdentityKey,
    account: Account,
    command: GlobalCommand,
    draftId: string | undefined,
  ): Promise<View[]>;
  advance(record: ConversationRecord, options: AdvanceOptions, actor?: IdentityKey): Promise<HandleResult>;
}

export function createAfterDeposit(deps: AfterDepositDeps) {
  const { store, logger, ports } = deps;
  const actions = createFollowUpActions(deps);

  async function statusOf(identity: IdentityKey, account: Account, reference: string): Promise<View[]> {
    const id = await findInvoiceConversation(store, account.id, reference);
    if (!id) return [errorView(AFTER_TEXT.invoiceNotFound(reference))];
    const views = await deps.runCommand(identity, account, { kind: 'status' }, id);
    const chorusId = (await store.deposits.get(id))?.receipt?.chorusInvoiceId;
    const follow = chorusId !== undefined ? await store.followUps.get(account.id, chorusId) : undefined;
    const status = views.find((v) => v.kind === 'status');
    if (status && follow) {
      if (follow.statusComment) status.lines.push(AFTER_TEXT.statusComment(follow.statusComment));
      if (
        follow.paymentDueBy &&
        !['MISE_EN_PAIEMENT', 'REJETEE', 'ABANDONNEE', 'SUPPRIMEE'].includes(follow.status)
      )
        status.lines.push(AFTER_TEXT.paymentDue(formatDate(follow.paymentDueBy)));
    }
    if (status)
      status.choices = [{ id: AFTER_CHOICE.invoices(1), label: AFTER_CHOICES.invoices }, ...status.choices];
    return views;
  }

  async function notifications(account: Account, on: boolean | null): Promise<View[]> {
    if (on === null) {
      const current = await store.followUps.notificationsEnabled(account.id);
      return [
        infoView([AFTER_TEXT.notificationsState(current)], {
          choices: [
            {
              id: AFTER_CHOICE.notifications(!current),
              label: current ? AFTER_CHOICES.notificationsOff : AFTER_CHOICES.notificationsOn,
            },
          ],
        }),
      ];
    }
    await store.followUps.setNotifications(account.id, on);
    await store.audit.record({
      action: on ? 'notifications.on' : 'notifications.off',
      accountId: account.id,
    });
    logger.info({ account: account.id, on }, 'notifications preference changed');
    return [
      infoView([on ? AFTER_TEXT.notificationsOn(account.name) : AFTER_TEXT.notificationsOff(account.name)], {
        choices: [
          {
            id: AFTER_CHOICE.notifications(!on),
            label: on ? AFTER_CHOICES.notificationsOff : AFTER_CHOICES.notificationsOn,
          },
        ],
      }),
    ];
  }

  /** « pièce jointe de PROV-… » typed in draft `inHand`: its PDF joins that (or the latest other) open draft. */
  async function attachTyped(
    identity: IdentityKey,
    account: Account,
    inHand: string | undefined,
    to: string | undefined,
  ): Promise<View[]> {
    const source = inHand ? await store.conversations.get(inHand) : undefined;
    if (!source || source.accountId !== account.id) return [errorView(AFTER_TEXT.actionUnknownDraft)];
    const target = to
      ? ((await store.conversations.findByProvisionalNumber(account.id, to)) ??
        (await store.conversations.get(to)))
      : (
          await store.conversations.list({
            accountId: account.id,
            startedBy: identity,
            statuses: ['open'],
            limit: 20,
          })
        ).find((r) => r.id !== source.id);
    if (!target || target.id === source.id || target.accountId !== account.id)
      return [errorView(AFTER_TEXT.invoiceNotFound(to ?? ''))];
    return attachDraftPdf(deps, identity, account, source.id, target.id);
  }

  async function command(
    identity: IdentityKey,
    account: Account,
    cmd: AfterCommand,
    inHand?: string,
  ): Promise<View[]> {
    switch (cmd.kind) {
      case 'invoices':
        return [await invoicesPage(store, account.id, cmd.page)];
      case 'status-of':
        return statusOf(identity, account, cmd.reference);
      case 'notifications':
        return notifications(account, cmd.on);
      case 'attach-draft':
        return attachDraftPdf(deps, identity, account, cmd.draftId, cmd.to);
      case 'attach-typed':
        return attachTyped(identity, account, inHand, cmd.to);
      case 'follow-up':
        switch (cmd.action) {
          case 'complete':
          case 'fix-recipient':
          case 'new-invoice':
            return actions.start(identity, account, cmd.action, cmd.chorusInvoiceId);
          case 'status':
            return statusOf(identity, account, String(cmd.chorusInvoiceId));
          case 'notif-off':
            return notifications(account, false);
          default:
            return ports.reminder
              ? [infoView(await ports.reminder(account.id, cmd.chorusInvoiceId))]
              : [errorView(AFTER_TEXT.actionUnavailable)];
        }
    }
  }

  /** Free text or an old button on a finished draft: one short line, at most once in a while. */
  async function finished(
    identity: IdentityKey,
    record: ConversationRecord,
    input: UserInput,
    name?: string,
  ): Promise<View[]> {
    const answer = finishedDraftAnswer(record, input.type === 'text' ? input.text : undefined, name);
    return once({ state: store.channelState, now: deps.now }, identity, record.id, [answer]);
  }

  return { command, finished, actionInput: actions.onInput };
}
