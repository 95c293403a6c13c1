import { assign, fromPromise, setup } from 'xstate';
import type { BankAccount, DepositReceipt, Refusal, StructureSummary, Submission } from '../deposit/port.js';
import { applyAnalysis, toFailure } from './analysis.js';
import { applyPrefill, attachmentPatch } from './after-deposit-draft.js';
import { ERRORS, TEXT } from './messages.js';
import { blockProblems, editableFields, nextStep } from './requirements.js';
import {
  BLOCK_FIELDS,
  blockOf,
  type Analysis,
  type DraftContext,
  type DraftEvent,
  type FieldKey,
  type MachineInput,
  type RecipientInfo,
} from './types.js';
import { parseField } from './validate.js';
import { assignFluxRejection, choosePlainPdf, correctionNotice } from './facturx-machine.js';
import type { BlockId } from './view.js';

/**
 * What the deposit conversation can do — its actors (placeholders, provided by the conversation
 * service), delays, guards and context updates — apart from the state chart that uses them
 * (machine.ts). No I/O here either.
 */

/**
 * Submits tried in a row on transient failures before the user is asked (the deposit service
 * already retries each one, searching Chorus Pro before any resubmission).
 */
export const MAX_SUBMIT_ATTEMPTS = 2;

function notProvided(name: string): never {
  throw new Error(`actor ${name} not provided`);
}

type SetEvent = Extract<DraftEvent, { type: 'SET' }>;
type EditEvent = Extract<DraftEvent, { type: 'EDIT' }>;

function setEvent(event: DraftEvent): SetEvent | undefined {
  return event.type === 'SET' ? event : undefined;
}

function parsedSet(context: DraftContext, event: DraftEvent) {
  const e = setEvent(event);
  return e ? parseField(e.field, e.value, context, e.today) : undefined;
}

export const draftSetup = setup({
  types: {
    context: {} as DraftContext,
    events: {} as DraftEvent,
    input: {} as MachineInput,
    tags: {} as 'busy',
  },
  actors: {
    analyseInvoice: fromPromise<Analysis, { draftId: string; fileName: string }>(async () =>
      notProvided('analyseInvoice'),
    ),
    lookupRecipient: fromPromise<RecipientInfo | null, { siret: string }>(async () =>
      notProvided('lookupRecipient'),
    ),
    searchStructures: fromPromise<StructureSummary[], { prefix: string }>(async () =>
      notProvided('searchStructures'),
    ),
    loadBankAccounts: fromPromise<BankAccount[], { supplierId: number }>(async () =>
      notProvided('loadBankAccounts'),
    ),
    precheck: fromPromise<Refusal[], { draftId: string; submission: Submission }>(async () =>
      notProvided('precheck'),
    ),
    submitInvoice: fromPromise<
      DepositReceipt,
      { draftId: string; submission: Submission; attempt: number; flux?: boolean }
    >(async () => notProvided('submitInvoice')),
  },
  delays: {
    submitRetryDelay: ({ context }) => 500 * 2 ** Math.max(0, context.submitAttempts - 1),
  },
  guards: {
    nextIs: ({ context }, params: { step: BlockId | 'summary' }) => nextStep(context) === params.step,
    blockComplete: ({ context }, params: { block: BlockId }) =>
      blockProblems(context, params.block).length === 0,
    blockHasProblems: ({ context }, params: { block: BlockId }) =>
      blockProblems(context, params.block).length > 0,
    setInBlock: ({ event }, params: { block: BlockId }) => {
      const e = setEvent(event);
      return e !== undefined && blockOf(e.field) === params.block;
    },
    setsPlainField: ({ event }) => {
      const e = setEvent(event);
      return e !== undefined && e.field !== 'recipient' && e.field !== 'supplier';
    },
    validSet: ({ context, event }) => parsedSet(context, event)?.ok === true,
    setsField: ({ event }, params: { field: FieldKey }) => setEvent(event)?.field === params.field,
    editsFieldOfBlock: ({ event }, params: { block: BlockId }) =>
      event.type === 'EDIT' && event.field !== undefined && blockOf(event.field) === params.block,
    editsBlock: ({ event }, params: { block: BlockId }) =>
      event.type === 'EDIT' &&
      (event.block === params.block || (event.field !== undefined && blockOf(event.field) === params.block)),
    singleEditable: ({ context }, params: { block: BlockId }) =>
      editableFields(context, params.block).length === 1,
    unusable: ({ event }) => 'output' in event && (event.output as Analysis).unusable,
    recipientUsable: ({ event }) => {
      const info = 'output' in event ? (event.output as RecipientInfo | null) : null;
      return info !== null && info.structure.active;
    },
    validPrefix: ({ event }) => event.type === 'SEARCH' && /^\d{3,13}$/.test(event.prefix),
    hasResults: ({ event }) => 'output' in event && (event.output as StructureSummary[]).length > 0,
    noRefusals: ({ event }) => 'output' in event && (event.output as Refusal[]).length === 0,
    fluxRejectedFailure: ({ event }) =>
      'error' in event &&
      ['flux-rejected', 'flux-incident', 'flux-not-depositable'].includes(toFailure(event.error).code),
    refusedFailure: ({ event }) => 'error' in event && (toFailure(event.error).refusals?.length ?? 0) > 0,
    retryableFailure: ({ context, event }) =>
      'error' in event && toFailure(event.error).transient && context.submitAttempts < MAX_SUBMIT_ATTEMPTS,
  },
  actions: {
    assignAnalysis: assign(({ context, event }) =>
      'output' in event ? applyPrefill(context, applyAnalysis(context, event.output as Analysis)) : {},
    ),
    addAttachment: assign(({ context, event }) =>
      event.type === 'ATTACH' ? attachmentPatch(context, event.attachment) : {},
    ),
    markUnusable: assign(({ event }) => {
      const analysis = 'output' in event ? (event.output as Analysis) : undefined;
      return { advice: analysis?.advice ?? [], endReason: 'unusable' as const };
    }),
    assignFailure: assign(({ event }) => ({ failure: 'error' in event ? toFailure(event.error) : null })),
    clearNotice: assign({ notice: null, freshReport: false }),
    confirmBlock: assign(({ context }, params: { block: BlockId }) => {
      const status = { ...context.status };
      for (const field of BLOCK_FIELDS[params.block]) {
        if (status[field] === 'recognized' || status[field] === 'invalid') status[field] = 'confirmed';
      }
      return {
        confirmed: { ...context.confirmed, [params.block]: true },
        status,
        editing: null,
        notice: null,
      };
    }),
    editFirstProblem: assign(({ context }, params: { block: BlockId; quiet?: boolean }) => {
      const first = blockProblems(context, params.block)[0];
      if (!first) return {};
      const isRequired = first.error === ERRORS.required;
      return {
        editing: first.field,
        notice:
          params.quiet && isRequired
            ? null
            : { kind: 'error' as const, text: first.error, field: first.field },
      };
    }),
    startEdit: assign(({ context, event }, params: { block: BlockId }) => {
      const field = (event as EditEvent).field ?? editableFields(context, params.block)[0] ?? null;
      return { editing: field, notice: null };
    }),
    askWhichField: assign({
      editing: null,
      notice: {
        kind: 'info' as const,
        text: 'Quel champ voulez-vous corriger ? Choisissez-le dans la liste.',
      },
    }),
    stopEdit: assign({ editing: null, searchResults: [] }),
    applyValue: assign(({ context, event }) => {
      const parsed = parsedSet(context, event);
      if (!parsed?.ok) return {};
      const field = parsed.field;
      const values = { ...context.values, [field]: parsed.value };
      if (parsed.value === undefined) delete values[field];
      const status = { ...context.status };
      status[field] =
        context.values[field] === parsed.value && status[field] !== 'invalid' ? 'confirmed' : 'corrected';
      const patch: Partial<DraftContext> = {
        values,
        status,
        editing: null,
        notice: correctionNotice(context, field, parsed.value),
        searchResults: [],
      };
      if (field === 'cadre' && parsed.value !== 'A9' && parsed.value !== 'A12') delete values.validator;
      if (field === 'recipient' && context.values.recipient !== parsed.value) {
        delete values.service;
        delete status.service;
        patch.recipientInfo = null;
      }
      if (field === 'supplier' && context.values.supplier !== parsed.value) {
        delete values.bankAccount;
        delete status.bankAccount;
      }
      return patch;
    }),
    rejectValue: assign(({ context, event }) => {
      const parsed = parsedSet(context, event);
      if (!parsed || parsed.ok) return {};
      return {
        editing: parsed.field,
        notice: { kind: 'error' as const, text: parsed.error, field: parsed.field },
      };
    }),
    rejectValueHere: assign(({ context, event }) => {
      const parsed = parsedSet(context, event);
      if (!parsed || parsed.ok) return {};
      return { notice: { kind: 'error' as const, text: parsed.error, field: parsed.field } };
    }),
    notEditableHere: assign({ notice: { kind: 'error' as const, text: ERRORS.notEditableHere } }),
    notUnderstood: assign(({ event }) =>
      event.type === 'NOT_UNDERSTOOD'
        ? { notice: { kind: 'error' as const, text: TEXT.notUnderstood(event.text.slice(0, 60)) } }
        : {},
    ),
    assignRecipient: assign(({ context, event }) => {
      const info = 'output' in event ? (event.output as RecipientInfo | null) : null;
      if (!info) return {};
      const status = { ...context.status };
      return { recipientInfo: info, status };
    }),
    recipientProblem: assign(({ context, event }) => {
      const info = 'output' in event ? (event.output as RecipientInfo | null) : null;
      const siret = context.values.recipient ?? '';
      const text = info ? ERRORS.recipientInactive(info.structure.name) : ERRORS.recipientUnknown(siret);
      return {
        recipientInfo: info,
        editing: 'recipient' as const,
        status: { ...context.status, recipient: 'invalid' as const },
        notice: { kind: 'error' as const, text, field: 'recipient' as const },
      };
    }),
    failedLookup: assign(({ event }, params: { field: FieldKey }) => ({
      editing: params.field,
      notice: {
        kind: 'error' as const,
        text: 'error' in event ? toFailure(event.error).message : '',
        field: params.field,
      },
    })),
    assignSearchResults: assign(({ event }) => ({
      searchResults: 'output' in event ? (event.output as StructureSummary[]).slice(0, 8) : [],
      editing: null,
      notice: null,
    })),
    searchEmpty: assign(({ context }) => ({
      editing: 'recipient' as const,
      notice: {
        kind: 'error' as const,
        text: ERRORS.searchEmpty(context.searchPrefix ?? ''),
        field: 'recipient' as const,
      },
    })),
    assignSearchPrefix: assign(({ event }) => ({
      searchPrefix: event.type === 'SEARCH' ? event.prefix : null,
    })),
    prefixTooShort: assign({
      editing: 'recipient' as const,
      notice: { kind: 'error' as const, text: ERRORS.searchShort, field: 'recipient' as const },
    }),
    assignBankAccounts: assign(({ context, event }) => {
      const accounts = 'output' in event ? (event.output as BankAccount[]) : [];
      const values = { ...context.values };
      const status = { ...context.status };
      if (values.bankAccount !== undefined && !accounts.some((a) => a.id === values.bankAccount))
        delete values.bankAccount;
      if (values.bankAccount === undefined && accounts.length === 1 && accounts[0]) {
        values.bankAccount = accounts[0].id;
        status.bankAccount = 'confirmed';
      }
      return { bankAccounts: accounts, values, status };
    }),
    assignRefusals: assign(({ event }) => {
      if ('output' in event) return { refusals: event.output as Refusal[], failure: null };
      if ('error' in event) return { refusals: toFailure(event.error).refusals ?? [], failure: null };
      return {};
    }),
    countSubmitAttempt: assign(({ context }) => ({
      submitAttempts: context.submitAttempts + 1,
      failure: null,
    })),
    resetSubmitAttempts: assign({ submitAttempts: 0, refusals: [], failure: null }),
    assignReceipt: assign(({ event }) => ({
      receipt: 'output' in event ? (event.output as DepositReceipt) : null,
      failure: null,
    })),
    choosePlainPdf: assign(({ context }) => choosePlainPdf(context)),
    assignFluxRejection: assign(({ context, event }) =>
      'error' in event ? assignFluxRejection(context, toFailure(event.error)) : {},
    ),
    markCancelled: assign({ endReason: 'user' as const }),
    markExpired: assign({ endReason: 'expired' as const }),
  },
});
