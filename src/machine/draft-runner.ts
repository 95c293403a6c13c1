import { createActor, waitFor, type SnapshotFrom } from 'xstate';
import type { ConversationRecord, ConversationStatus, Store } from '../store/types.js';
import { RevisionConflictError } from '../store/errors.js';
import type { Logger } from '../shared/logger.js';
import type { InspectionReport } from '../recognition/types.js';
import type { DraftActorDeps } from './draft-actors.js';
import { createDraftMachineProvider } from './draft-machine-provider.js';
import { withAccountLookups } from './account-lookups.js';
import { MACHINE_VERSION, type draftMachine } from './machine.js';
import { renderDraft, stepOf } from './render.js';
import type { DraftEvent, MachineInput } from './types.js';
import type { View } from './view.js';

/**
 * Restores one draft from the store, applies one event, waits until the machine rests, saves the
 * snapshot with a revision check and returns the views. A revision conflict (another process
 * moved the draft) reloads and re-runs the event; the deposit record keeps a re-run from ever
 * submitting twice.
 */

export type DraftSnapshot = SnapshotFrom<typeof draftMachine>;

export interface RunnerDeps extends DraftActorDeps {
  store: Store;
  logger: Logger;
  /** Longest wait for one event (analysis, Chorus calls with their retries). */
  settleTimeoutMs: number;
}

export interface AdvanceOptions {
  /** Builds the event from the restored snapshot; null to only resume (recovery, first analysis). */
  event: (snapshot: DraftSnapshot) => DraftEvent | null;
  idempotencyKey?: string;
  /** User activity (re-arms the reminder); false for recovery and expiry. */
  activity?: boolean;
  /** Views shown before the draft's own (e.g. « new draft while another is open »). */
  preface?: View[];
  /** Input of a draft never run yet (snapshot null). */
  input?: MachineInput;
}

/** A PDF read during the event, with its report (its preview is drawn after the views are out). */
export interface DocumentRead {
  pdf: Uint8Array;
  report: InspectionReport;
}

export type AdvanceResult =
  | {
      applied: true;
      views: View[];
      record: ConversationRecord;
      snapshot: DraftSnapshot;
      read?: DocumentRead;
    }
  | { applied: false; views: View[] };

export function statusOf(snapshot: { value: unknown }): ConversationStatus {
  const step = stepOf(snapshot.value);
  switch (step.kind) {
    case 'submitted':
      return 'submitted';
    case 'cancelled':
    case 'rejected':
      return 'cancelled';
    case 'expired':
      return 'expired';
    case 'busy':
      return step.what === 'precheck' || step.what === 'submitting' ? 'submitting' : 'open';
    default:
      return 'open';
  }
}

export function isFinished(status: ConversationStatus): boolean {
  return status === 'submitted' || status === 'cancelled' || status === 'expired';
}

export function createDraftRunner(
  deps: RunnerDeps,
  enrich: (views: View[], record: { id: string }) => Promise<View[]>,
) {
  const { store } = deps;
  const provider = createDraftMachineProvider({ ...deps, deposit: withAccountLookups(deps.deposit) });
  const machine = provider.machine;

  async function advanceOnce(record: ConversationRecord, options: AdvanceOptions): Promise<AdvanceResult> {
    let revision = record.revision;
    let actor: ReturnType<typeof createActor<typeof draftMachine>> | undefined;
    const checkpoint = async () => {
      if (!actor) return;
      const out = await store.conversations.apply({
        conversationId: record.id,
        expectedRevision: revision,
        snapshot: actor.getPersistedSnapshot(),
        status: statusOf(actor.getSnapshot()),
        machineVersion: MACHINE_VERSION,
        activity: options.activity ?? true,
      });
      if (out.applied) revision = out.conversation.revision;
    };
    let read: DocumentRead | undefined;
    const scope = {
      accountId: record.accountId,
      conversationId: record.id,
      checkpoint,
      onRead: (pdf: Uint8Array, report: InspectionReport) => (read = { pdf, report }),
      context: () => actor?.getSnapshot().context,
    };
    const fresh = record.snapshot === null || record.snapshot === undefined;
    if (fresh) {
      // A draft created just before a crash has no snapshot yet: start it again from its PDF.
      const input = options.input ?? (await inputFromFiles(record));
      actor = createActor(machine, { input });
    } else {
      // The stored snapshot was produced by this machine version (checked by the caller's store record).
      actor = createActor(machine, {
        snapshot: record.snapshot as DraftSnapshot,
        input: options.input as MachineInput,
      });
    }
    provider.bind(actor, scope);
    const errors: unknown[] = [];
    actor.subscribe({ error: (err) => errors.push(err) });
    actor.start();
    const settle = async () => {
      if (!actor) return;
      await waitFor(actor, (s) => s.status !== 'active' || !s.hasTag('busy'), {
        timeout: deps.settleTimeoutMs,
      });
    };
    try {
      // Work interrupted by a crash (analysis, submit) resumes first; the user's input then waits
      // for the views that work produces rather than acting on a state the user has not seen.
      const resumed = fresh || actor.getSnapshot().hasTag('busy');
      await settle();
      const event =
        actor.getSnapshot().status === 'active' && !resumed ? options.event(actor.getSnapshot()) : null;
      if (event) {
        actor.send(event);
        await settle();
      }
      const snapshot = actor.getSnapshot();
      if (snapshot.status === 'error' || errors.length > 0)
        throw errors[0] ?? new Error('draft machine failed');
      const views = await enrich([...(options.preface ?? []), ...renderDraft(snapshot)], record);
      const nextRevision = revision + 1;
      for (const v of views) if (v.draftId === record.id) v.revision = nextRevision;
      if (snapshot.status === 'active') actor.send({ type: 'SEEN' });
      const persisted = actor.getPersistedSnapshot();
      const out = await store.conversations.apply({
        conversationId: record.id,
        expectedRevision: revision,
        snapshot: persisted,
        status: statusOf(snapshot),
        machineVersion: MACHINE_VERSION,
        idempotencyKey: options.idempotencyKey,
        result: views,
        activity: options.activity ?? true,
      });
      if (!out.applied) return { applied: false, views: out.duplicate.result as View[] };
      return { applied: true, views, record: out.conversation, snapshot, ...(read ? { read } : {}) };
    } finally {
      actor.stop();
    }
  }

  async function inputFromFiles(record: ConversationRecord): Promise<MachineInput> {
    const pdf = (await store.files.listByConversation(record.id)).find((f) => f.kind === 'invoice-pdf');
    if (!pdf) throw new Error(`conversation ${record.id} has neither a snapshot nor its PDF`);
    return {
      draftId: record.id,
      provisionalNumber: record.provisionalNumber,
      fileName: pdf.fileName,
      fileSize: pdf.size,
    };
  }

  return {
    async advance(record: ConversationRecord, options: AdvanceOptions): Promise<AdvanceResult> {
      let current = record;
      for (let attempt = 0; ; attempt++) {
        try {
          return await advanceOnce(current, options);
        } catch (error) {
          if (!(error instanceof RevisionConflictError) || attempt >= 10) throw error;
          deps.logger.info({ conversation: record.id, attempt }, 'revision conflict, re-running the event');
          // Another process moved the draft: a short random pause spreads the retries.
          await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 10 * (attempt + 1))));
          const reloaded = await store.conversations.get(record.id);
          if (!reloaded) throw error;
          current = reloaded;
        }
      }
    },
  };
}
