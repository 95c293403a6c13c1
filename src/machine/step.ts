import { BLOCK_TITLES } from './messages.js';
import type { DraftContext } from './types.js';
import type { BlockId } from './view.js';

/** Where a draft is, derived from the machine's state value. */
export type Step =
  | { kind: 'busy'; what: 'analysing' | 'lookup' | 'precheck' | 'submitting' }
  | { kind: 'block'; block: BlockId; mode: 'reviewing' | 'editing' | 'choosing' }
  | { kind: 'summary' | 'refused' | 'submitFailed' | 'analysisFailed' | 'cancelConfirm' | 'fluxRejected' }
  | { kind: 'submitted' | 'cancelled' | 'rejected' | 'expired' };

/** Minimal view of an XState snapshot (keeps this module free of XState types). */
export interface SnapshotLike {
  value: unknown;
  context: DraftContext;
}

export function stepOf(value: unknown): Step {
  if (typeof value === 'string') {
    switch (value) {
      case 'analysing':
        return { kind: 'busy', what: 'analysing' };
      case 'prechecking':
        return { kind: 'busy', what: 'precheck' };
      case 'submitting':
      case 'submitRetryWait':
        return { kind: 'busy', what: 'submitting' };
      case 'cancelConfirm':
        return { kind: 'cancelConfirm' };
      case 'submitted':
      case 'cancelled':
      case 'rejected':
      case 'expired':
        return { kind: value };
    }
    throw new Error(`unknown state ${value}`);
  }
  const active = (value as { active?: unknown }).active;
  if (typeof active === 'string') {
    if (
      active === 'summary' ||
      active === 'refused' ||
      active === 'submitFailed' ||
      active === 'analysisFailed' ||
      active === 'fluxRejected'
    ) {
      return { kind: active };
    }
    throw new Error(`unknown state active.${active}`);
  }
  if (active && typeof active === 'object') {
    const [block, sub] = Object.entries(active)[0] ?? [];
    const mode =
      sub === 'choosing'
        ? 'choosing'
        : sub === 'editing'
          ? 'editing'
          : sub === 'reviewing'
            ? 'reviewing'
            : null;
    if (mode === null) return { kind: 'busy', what: 'lookup' };
    return { kind: 'block', block: block as BlockId, mode };
  }
  throw new Error(`unknown state ${JSON.stringify(value)}`);
}

export function describeStep(
  snapshot: SnapshotLike,
  labels: {
    analysing: string;
    block: (title: string) => string;
    summary: string;
    submitting: string;
    refused: string;
    failed: string;
    cancelling: string;
    submitted: string;
    cancelled: string;
    expired: string;
    unusable: string;
  },
): string {
  const step = stepOf(snapshot.value);
  switch (step.kind) {
    case 'busy':
      return step.what === 'analysing'
        ? labels.analysing
        : step.what === 'lookup'
          ? labels.block(BLOCK_TITLES.destinataire)
          : labels.submitting;
    case 'block':
      return labels.block(BLOCK_TITLES[step.block]);
    case 'summary':
      return labels.summary;
    case 'refused':
    case 'fluxRejected':
      return labels.refused;
    case 'submitFailed':
    case 'analysisFailed':
      return labels.failed;
    case 'cancelConfirm':
      return labels.cancelling;
    case 'submitted':
      return labels.submitted;
    case 'cancelled':
      return labels.cancelled;
    case 'rejected':
      return labels.unusable;
    case 'expired':
      return labels.expired;
  }
}
