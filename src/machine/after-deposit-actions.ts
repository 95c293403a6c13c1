import type { DepositService, ChorusCredentials } from '../deposit/port.js';
import { compactIdentifier } from '../recognition/identifiers.js';
import { FacteurError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Account, IdentityKey, Store } from '../store/types.js';
import { isCancellation, isConfirmation } from './answers.js';
import { prefillFrom } from './after-deposit-draft.js';
import { depositedInvoices } from './after-deposit-invoices.js';
import { AFTER_CHOICES, AFTER_TEXT } from './after-deposit-messages.js';
import type { AfterDepositPorts, UploadedFile } from './after-deposit-port.js';
import {
  ACTION_CHOICE,
  actionView,
  doneView,
  recycleViews,
  type RecycleStep,
} from './after-deposit-action-views.js';
import type { HandleResult, UserInput } from './conversation-port.js';
import type { DraftSnapshot } from './draft-runner.js';
import { normalizeAnswer } from './format.js';
import { ERRORS } from './messages.js';
import { errorView, infoView } from './service-views.js';
import type { Prefill } from './types.js';
import type { View } from './view.js';

/**
 * The actions offered by status notifications (`fu:<action>:<chorusInvoiceId>`, ids of
 * src/followup/actions.ts), as short conversations kept per identity in the durable key-value
 * state: « Compléter » (a comment, optional PDFs, then `completer`), « Corriger le destinataire »
 * (directory search and service rules, then `recycler`) and « Préparer une nouvelle facture » (a
 * draft pre-filled from the rejected invoice, with a new number).
 */

const ACTION_NAMESPACE = 'after-deposit:action';
/** A forgotten action stops catching text after this long. */
export const ACTION_TTL_MS = 30 * 60_000;
const MAX_COMMENT = 1000;

interface Base {
  chorusInvoiceId: number;
  invoiceNumber: string;
  startedAt: number;
}
interface CompletePending extends Base {
  kind: 'complete';
  comment?: string;
  attachments: UploadedFile[];
}
interface RecyclePending extends Base, RecycleStep {
  kind: 'recycle';
}
type Pending = CompletePending | RecyclePending;

type FileInput = Extract<UserInput, { type: 'file' }>;

export interface ActionDeps {
  store: Store;
  logger: Logger;
  deposit: DepositService;
  ports: AfterDepositPorts;
  now(): Date;
  credentials(accountId: string): Promise<ChorusCredentials>;
  openDraft(
    identity: IdentityKey,
    account: Account,
    input: FileInput,
    key: string,
    prefill: Prefill,
  ): Promise<HandleResult>;
}

export function createFollowUpActions(deps: ActionDeps) {
  const { store, logger, ports } = deps;
  const keyOf = (identity: IdentityKey) => `${identity.channel}:${identity.userId}`;
  const save = (identity: IdentityKey, p: Pending) =>
    store.channelState.set(ACTION_NAMESPACE, keyOf(identity), p);
  const clear = (identity: IdentityKey) => store.channelState.delete(ACTION_NAMESPACE, keyOf(identity));

  async function pending(identity: IdentityKey): Promise<Pending | undefined> {
    const p = await store.channelState.get<Pending>(ACTION_NAMESPACE, keyOf(identity));
    return p && deps.now().getTime() - p.startedAt < ACTION_TTL_MS ? p : undefined;
  }

  async function guarded(task: () => Promise<View[]>): Promise<View[]> {
    try {
      return await task();
    } catch (error) {
      if (error instanceof FacteurError) return [errorView(error.userMessage)];
      throw error;
    }
  }

  /** A notification's button: complete, fix-recipient or new-invoice on invoice `chorusInvoiceId`. */
  async function start(
    identity: IdentityKey,
    account: Account,
    action: 'complete' | 'fix-recipient' | 'new-invoice',
    chorusInvoiceId: number,
  ): Promise<View[]> {
    const row = (await depositedInvoices(store, account.id)).find(
      (r) => r.chorusInvoiceId === chorusInvoiceId,
    );
    if (!row) return [errorView(AFTER_TEXT.actionUnknownInvoice)];
    const base = { chorusInvoiceId, invoiceNumber: row.invoiceNumber, startedAt: deps.now().getTime() };
    if (action === 'complete') {
      if (!ports.complete) return [errorView(AFTER_TEXT.actionUnavailable)];
      await save(identity, { ...base, kind: 'complete', attachments: [] });
      return [
        actionView(AFTER_TEXT.completeTitle(row.invoiceNumber), AFTER_TEXT.completeAsk(row.invoiceNumber), {
          expectsText: { field: 'comment', hint: AFTER_TEXT.actionExpectsText },
        }),
      ];
    }
    if (action === 'fix-recipient') {
      if (!ports.recycle) return [errorView(AFTER_TEXT.actionUnavailable)];
      const p: RecyclePending = { ...base, kind: 'recycle', step: 'recipient' };
      await save(identity, p);
      return recycleViews(p, row.invoiceNumber);
    }
    return redraft(identity, account, row.draftId, row.invoiceNumber, chorusInvoiceId);
  }

  async function redraft(
    identity: IdentityKey,
    account: Account,
    draftId: string,
    invoiceNumber: string,
    chorusInvoiceId: number,
  ): Promise<View[]> {
    const record = await store.conversations.get(draftId);
    const values = (record?.snapshot as DraftSnapshot | null)?.context?.values;
    const pdf = (await store.files.listByConversation(draftId)).find((f) => f.kind === 'invoice-pdf');
    const stored = pdf ? await store.files.get(pdf.id) : undefined;
    if (!values || !stored) return [errorView(AFTER_TEXT.actionUnknownInvoice)];
    // Chorus Pro keeps the number of a rejected invoice: the new one needs its own.
    const prefill = prefillFrom(values, invoiceNumber, true);
    const input: FileInput = {
      type: 'file',
      fileName: stored.file.fileName,
      mimeType: stored.file.mimeType,
      bytes: stored.bytes,
    };
    logger.info({ conversation: draftId, chorus: chorusInvoiceId }, 'new draft from a rejected invoice');
    return (await deps.openDraft(identity, account, input, `redraft:${chorusInvoiceId}`, prefill)).views;
  }

  /** Text, a choice or a file while an action waits for an answer; undefined when none waits. */
  async function onInput(
    identity: IdentityKey,
    account: Account,
    input: UserInput,
  ): Promise<View[] | undefined> {
    const p = await pending(identity);
    if (!p) return undefined;
    const choice = input.type === 'choice' ? input.choiceId : undefined;
    if (choice !== undefined && !choice.startsWith('act:')) return undefined;
    if (input.type === 'link' || (input.type === 'file' && p.kind !== 'complete')) return undefined;
    const text = input.type === 'text' ? input.text.trim() : undefined;
    if (choice === ACTION_CHOICE.cancel || (text !== undefined && isCancellation(text))) {
      await clear(identity);
      return [infoView([AFTER_TEXT.actionCancelled])];
    }
    return guarded(() =>
      p.kind === 'complete'
        ? completeInput(identity, account, p, input)
        : recycleInput(identity, account, p, input),
    );
  }

  async function completeInput(
    identity: IdentityKey,
    account: Account,
    p: CompletePending,
    input: UserInput,
  ): Promise<View[]> {
    const send =
      (input.type === 'choice' && input.choiceId === ACTION_CHOICE.send) ||
      (input.type === 'text' &&
        p.comment !== undefined &&
        (isConfirmation(input.text) || normalizeAnswer(input.text) === 'envoyer'));
    if (input.type === 'file') {
      const uploaded = await ports.addAttachment!(await deps.credentials(account.id), input);
      p.attachments.push(uploaded);
      await save(identity, p);
    } else if (input.type === 'text' && !send) {
      p.comment = input.text.trim().slice(0, MAX_COMMENT);
      await save(identity, p);
    } else if (send && (p.comment || p.attachments.length > 0)) {
      await ports.complete!(await deps.credentials(account.id), {
        chorusInvoiceId: p.chorusInvoiceId,
        ...(p.comment ? { comment: p.comment } : {}),
        attachments: p.attachments,
      });
      await clear(identity);
      logger.info({ chorus: p.chorusInvoiceId, attachments: p.attachments.length }, 'invoice completed');
      return [doneView(AFTER_TEXT.completeDone(p.invoiceNumber))];
    }
    const lines =
      p.comment === undefined && p.attachments.length === 0
        ? AFTER_TEXT.completeAsk(p.invoiceNumber)
        : [
            AFTER_TEXT.completeAttach(p.attachments.length),
            ...p.attachments.map((a) => AFTER_TEXT.attachmentLine(a.fileName)),
          ];
    const canSend = p.comment !== undefined || p.attachments.length > 0;
    return [
      actionView(AFTER_TEXT.completeTitle(p.invoiceNumber), lines, {
        choices: canSend ? [{ id: ACTION_CHOICE.send, label: AFTER_CHOICES.send, style: 'primary' }] : [],
        expectsText: { field: 'comment', hint: AFTER_TEXT.actionExpectsText },
      }),
    ];
  }

  async function recycleInput(
    identity: IdentityKey,
    account: Account,
    p: RecyclePending,
    input: UserInput,
  ): Promise<View[]> {
    const creds = await deps.credentials(account.id);
    const choice = input.type === 'choice' ? input.choiceId : '';
    const text = input.type === 'text' ? input.text.trim() : '';
    const picked = /^act:siret:(\d{14})$/.exec(choice)?.[1];
    const digits = compactIdentifier(text);
    if (picked || /^\d{14}$/.test(digits)) {
      const siret = picked ?? digits;
      const found = (await deps.deposit.searchStructures(creds, siret)).find((s) => s.siret === siret);
      if (!found || !found.active) {
        const line = found ? ERRORS.recipientInactive(found.name) : ERRORS.recipientUnknown(siret);
        return recycleViews({ ...p, step: 'recipient' }, p.invoiceNumber, line);
      }
      const rules = await deps.deposit.recipientRules(creds, found.idStructureCPP);
      const services = rules.services.filter((s) => s.active).map((s) => ({ code: s.code, label: s.label }));
      const next: RecyclePending = {
        ...p,
        siret,
        name: found.name,
        services,
        serviceRequired: rules.serviceCodeRequired,
        step: services.length > 0 ? 'service' : 'confirm',
      };
      delete next.serviceCode;
      await save(identity, next);
      return recycleViews(next, p.invoiceNumber);
    }
    if (p.step === 'recipient' && /^\d{3,13}$/.test(digits)) {
      const found = (await deps.deposit.searchStructures(creds, digits)).filter((s) => s.active).slice(0, 8);
      if (found.length === 0) return recycleViews(p, p.invoiceNumber, ERRORS.searchEmpty(digits));
      return recycleViews(p, p.invoiceNumber, undefined, found);
    }
    if (p.step === 'service' || p.step === 'confirm') {
      const index = /^act:svc:(\d{1,3}|-)$/.exec(choice)?.[1];
      const byText = p.services?.find((s) => s.code.toLowerCase() === text.toLowerCase());
      const service = index === undefined || index === '-' ? byText : p.services?.[Number(index)];
      if (service || (index === '-' && !p.serviceRequired)) {
        const next: RecyclePending = { ...p, step: 'confirm' };
        if (service) next.serviceCode = service.code;
        else delete next.serviceCode;
        await save(identity, next);
        return recycleViews(next, p.invoiceNumber);
      }
    }
    const send = choice === ACTION_CHOICE.send || (text !== '' && isConfirmation(text));
    if (p.step === 'confirm' && send && p.siret) {
      await ports.recycle!(creds, {
        chorusInvoiceId: p.chorusInvoiceId,
        recipientSiret: p.siret,
        ...(p.serviceCode ? { serviceCode: p.serviceCode } : {}),
      });
      await clear(identity);
      logger.info({ chorus: p.chorusInvoiceId }, 'invoice recycled');
      return [doneView(AFTER_TEXT.recycleDone(p.invoiceNumber, p.name ?? p.siret))];
    }
    return recycleViews(
      p,
      p.invoiceNumber,
      p.step === 'service' ? AFTER_TEXT.recycleNeedsService : undefined,
    );
  }

  return { start, onInput, pending };
}
