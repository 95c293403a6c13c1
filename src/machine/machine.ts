import { draftSetup } from './machine-setup.js';
import { blockSet, blockState, editBlockTransitions, setThenLoad } from './block-states.js';
import { initialContext } from './analysis.js';
import { toSubmission } from './requirements.js';
import { fluxWanted } from './facturx-machine.js';

export { MAX_SUBMIT_ATTEMPTS } from './machine-setup.js';

/**
 * The deposit conversation of one invoice, XState v5: the state chart. No I/O: recognition,
 * Chorus Pro calls and timing come from the named actors and delays of machine-setup.ts, replaced
 * with `.provide()` (the conversation service in production, fakes in tests). Bump
 * MACHINE_VERSION when a persisted snapshot of the previous version could not be restored by
 * this one.
 */
export const MACHINE_VERSION = 1;

export const draftMachine = draftSetup.createMachine({
  id: 'draft',
  context: ({ input }) => initialContext(input),
  initial: 'analysing',
  on: { SEEN: { actions: 'clearNotice' } },
  states: {
    analysing: {
      tags: 'busy',
      invoke: {
        id: 'analyseInvoice',
        src: 'analyseInvoice',
        input: ({ context }) => ({ draftId: context.draftId, fileName: context.fileName }),
        onDone: [
          { guard: 'unusable', target: 'rejected', actions: 'markUnusable' },
          { target: 'active.route', actions: 'assignAnalysis' },
        ],
        onError: { target: 'active.analysisFailed', actions: 'assignFailure' },
      },
    },
    active: {
      on: {
        CANCEL: { target: 'cancelConfirm' },
        EXPIRE: { target: 'expired', actions: 'markExpired' },
        PLAIN_PDF: { actions: 'choosePlainPdf' },
        ATTACH: { actions: 'addAttachment' },
        // The PDF turned out to be a supporting document of another draft: this one goes.
        DISCARD: { target: 'cancelled', actions: 'markCancelled' },
      },
      initial: 'route',
      states: {
        route: {
          always: [
            { guard: { type: 'nextIs', params: { step: 'cadre' } }, target: 'cadre' },
            { guard: { type: 'nextIs', params: { step: 'identification' } }, target: 'identification' },
            { guard: { type: 'nextIs', params: { step: 'destinataire' } }, target: 'destinataire' },
            { guard: { type: 'nextIs', params: { step: 'fournisseur' } }, target: 'fournisseur' },
            { guard: { type: 'nextIs', params: { step: 'references' } }, target: 'references' },
            { target: 'summary' },
          ],
        },
        analysisFailed: {
          on: { RETRY: { target: '#draft.analysing' } },
        },
        cadre: blockState('cadre'),
        identification: blockState('identification'),
        destinataire: {
          ...blockState('destinataire'),
          states: {
            ...blockState('destinataire').states,
            lookingUp: {
              tags: 'busy',
              invoke: {
                id: 'lookupRecipient',
                src: 'lookupRecipient',
                input: ({ context }) => ({ siret: context.values.recipient ?? '' }),
                onDone: [
                  { guard: 'recipientUsable', target: 'checking', actions: 'assignRecipient' },
                  { target: 'editing', actions: 'recipientProblem' },
                ],
                onError: {
                  target: 'editing',
                  actions: { type: 'failedLookup', params: { field: 'recipient' } },
                },
              },
            },
            searching: {
              tags: 'busy',
              invoke: {
                id: 'searchStructures',
                src: 'searchStructures',
                input: ({ context }) => ({ prefix: context.searchPrefix ?? '' }),
                onDone: [
                  { guard: 'hasResults', target: 'choosing', actions: 'assignSearchResults' },
                  { target: 'editing', actions: 'searchEmpty' },
                ],
                onError: {
                  target: 'editing',
                  actions: { type: 'failedLookup', params: { field: 'recipient' } },
                },
              },
            },
            choosing: {},
          },
          on: {
            ...blockState('destinataire').on,
            SEARCH: [
              { guard: 'validPrefix', target: '.searching', actions: 'assignSearchPrefix' },
              { target: '.editing', actions: 'prefixTooShort' },
            ],
            SET: [setThenLoad('recipient', '.lookingUp'), ...blockSet('destinataire')],
          },
        },
        fournisseur: {
          ...blockState('fournisseur'),
          states: {
            ...blockState('fournisseur').states,
            loadingBank: {
              tags: 'busy',
              invoke: {
                id: 'loadBankAccounts',
                src: 'loadBankAccounts',
                input: ({ context }) => ({ supplierId: context.values.supplier ?? 0 }),
                onDone: { target: 'checking', actions: 'assignBankAccounts' },
                onError: {
                  target: 'editing',
                  actions: { type: 'failedLookup', params: { field: 'supplier' } },
                },
              },
            },
          },
          on: {
            ...blockState('fournisseur').on,
            SET: [setThenLoad('supplier', '.loadingBank'), ...blockSet('fournisseur')],
          },
        },
        references: blockState('references'),
        summary: {
          on: {
            CONFIRM: { target: '#draft.prechecking', actions: 'resetSubmitAttempts' },
            EDIT: editBlockTransitions(),
          },
        },
        refused: {
          on: {
            RETRY: { target: '#draft.prechecking', actions: 'resetSubmitAttempts' },
            CONFIRM: { target: '#draft.prechecking', actions: 'resetSubmitAttempts' },
            EDIT: editBlockTransitions(),
          },
        },
        submitFailed: {
          // Nothing changed since the check: retry the submit itself (which first looks on Chorus
          // Pro for an earlier attempt that went through).
          on: {
            RETRY: { target: '#draft.submitting', actions: 'resetSubmitAttempts' },
            CONFIRM: { target: '#draft.submitting', actions: 'resetSubmitAttempts' },
            EDIT: editBlockTransitions(),
          },
        },
        // Chorus Pro rejected the Factur-X flow: the draft stays open (plain PDF, or correct).
        fluxRejected: {
          on: {
            PLAIN_PDF: { target: 'summary', actions: 'choosePlainPdf' },
            CONFIRM: { target: 'summary', actions: 'choosePlainPdf' },
            RETRY: { target: '#draft.prechecking', actions: 'resetSubmitAttempts' },
            EDIT: editBlockTransitions(),
          },
        },
        hist: { type: 'history', history: 'deep' },
      },
    },
    cancelConfirm: {
      on: {
        CONFIRM: { target: 'cancelled', actions: 'markCancelled' },
        CANCEL: { target: 'cancelled', actions: 'markCancelled' },
        BACK: { target: 'active.hist' },
        EDIT: { target: 'active.hist' },
        EXPIRE: { target: 'expired', actions: 'markExpired' },
      },
    },
    prechecking: {
      tags: 'busy',
      invoke: {
        id: 'precheck',
        src: 'precheck',
        input: ({ context }) => ({ draftId: context.draftId, submission: toSubmission(context) }),
        onDone: [
          { guard: 'noRefusals', target: 'submitting' },
          { target: 'active.refused', actions: 'assignRefusals' },
        ],
        onError: { target: 'active.submitFailed', actions: 'assignFailure' },
      },
    },
    submitting: {
      tags: 'busy',
      entry: 'countSubmitAttempt',
      invoke: {
        id: 'submitInvoice',
        src: 'submitInvoice',
        input: ({ context }) => ({
          draftId: context.draftId,
          submission: toSubmission(context),
          attempt: context.submitAttempts,
          flux: fluxWanted(context),
        }),
        onDone: { target: 'submitted', actions: 'assignReceipt' },
        onError: [
          { guard: 'fluxRejectedFailure', target: 'active.fluxRejected', actions: 'assignFluxRejection' },
          { guard: 'refusedFailure', target: 'active.refused', actions: 'assignRefusals' },
          { guard: 'retryableFailure', target: 'submitRetryWait', actions: 'assignFailure' },
          { target: 'active.submitFailed', actions: 'assignFailure' },
        ],
      },
    },
    submitRetryWait: {
      tags: 'busy',
      after: { submitRetryDelay: { target: 'submitting' } },
    },
    submitted: { type: 'final' },
    cancelled: { type: 'final' },
    rejected: { type: 'final' },
    expired: { type: 'final' },
  },
});

export type DraftMachine = typeof draftMachine;
