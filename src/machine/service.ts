import type { ChorusCredentials, DepositService } from '../deposit/port.js';
import type { Recognizer } from '../recognition/types.js';
import { FacteurError } from '../shared/errors.js';
import { createSilentLogger, type Logger } from '../shared/logger.js';
import { normalizeIdentity } from '../store/normalize.js';
import type { ConversationRecord, IdentityKey, Store } from '../store/types.js';
import type {
  ChannelIdentity,
  ChannelKind,
  ConversationService,
  HandleOptions,
  HandleResult,
  Notification,
  UserInput,
} from './conversation-port.js';
import { createDraftRunner, isFinished, type AdvanceOptions } from './draft-runner.js';
import { createKeyedLock } from './keyed-lock.js';
import { SERVICE_TEXT } from './messages.js';
import { createMaintenance } from './maintenance.js';
import { createAfterDeposit } from './after-deposit-service.js';
import type { AfterDepositPorts } from './after-deposit-port.js';
import { createFileIntake } from './service-intake.js';
import { createPreviewFollowUp } from './preview-follow-up.js';
import { createDraftInput } from './service-input.js';
import { createFacturxOut, type FacturxOutPort } from './facturx-out-service.js';
import { createFacturxProducer } from '../facturx-out/produce.js';
import { createInFlightRecovery } from './service-recovery.js';
import { createDraftViews } from './service-commands.js';
import { accessDeniedView, errorView, infoView, linkedView, welcomeView } from './service-views.js';
import type { View } from './view.js';

export { MAX_PDF_BYTES } from './service-intake.js';

export interface Clock {
  now(): Date;
}

export interface ConversationServiceDeps {
  store: Store;
  recognizer: Recognizer;
  deposit: DepositService;
  /** The Chorus technical account an account acts with (rejects with a FacteurError when none). */
  credentials: (accountId: string) => Promise<ChorusCredentials>;
  logger?: Logger;
  clock?: Clock;
  draftReminderAfterMs: number;
  draftExpireAfterMs: number;
  /** First automatic submit retry delay (doubles each time); default 1 s. */
  submitRetryDelayMs?: number;
  /** How often reminders and expiry are checked; default a tenth of the reminder delay, 5 s to 5 min. */
  maintenanceIntervalMs?: number;
  settleTimeoutMs?: number;
  /** The follow-up room's ports for the conversation after a deposit (lists, attachments, actions). */
  afterDeposit?: AfterDepositPorts;
  /** « Version Factur-X » (src/facturx-out/); default the real producer, null to turn it off. */
  facturxOut?: FacturxOutPort | null;
}

/** The service plus its lifecycle (owned by the composition root). */
export interface RunningConversationService extends ConversationService {
  /** Resolves submits left in flight by a crash (asking Chorus Pro), then starts the scheduler. */
  start(): Promise<void>;
  /** Stops the scheduler and waits for the events in hand. */
  stop(): Promise<void>;
  /** One pass of reminders and expiry (the scheduler calls it; tests call it with a fake clock). */
  runMaintenance(): Promise<{ reminded: number; expired: number }>;
  /** Resolves the submits in flight; returns how many drafts were resolved. */
  recoverInFlight(): Promise<number>;
}

export function createConversationService(deps: ConversationServiceDeps): RunningConversationService {
  const { store, deposit } = deps;
  const logger = (deps.logger ?? createSilentLogger()).child({ component: 'conversation' });
  const clock = deps.clock ?? { now: () => new Date() };
  const lock = createKeyedLock();
  const listeners = new Map<ChannelKind, Set<(n: Notification) => Promise<void> | void>>();
  const inHand = new Set<Promise<unknown>>();
  let stopping = false;

  const drafts = createDraftViews({ store, deposit, credentials: deps.credentials, logger });
  const { enrich, currentViews, ownedDraft, runCommand } = drafts;

  const runner = createDraftRunner(
    {
      store,
      recognizer: deps.recognizer,
      deposit,
      logger,
      credentials: deps.credentials,
      submitRetryDelayMs: deps.submitRetryDelayMs ?? 1_000,
      settleTimeoutMs: deps.settleTimeoutMs ?? 180_000,
    },
    enrich,
  );

  const today = () => clock.now().toISOString().slice(0, 10);

  async function notify(identity: IdentityKey, view: View): Promise<boolean> {
    const set = listeners.get(identity.channel);
    if (!set || set.size === 0) return false;
    for (const listener of set) {
      try {
        await listener({ identity, view });
      } catch (error) {
        logger.error({ err: error, channel: identity.channel }, 'notification listener failed');
      }
    }
    return true;
  }

  async function advance(
    record: ConversationRecord,
    options: AdvanceOptions,
    actor?: IdentityKey,
  ): Promise<HandleResult> {
    const out = await runner.advance(record, options);
    if (!out.applied) return { views: out.views, duplicate: true };
    if (out.record.status === 'cancelled' && record.status !== 'cancelled')
      await dropCancelled(out.record, actor, out.snapshot.context.endReason);
    const reported = out.views.some((v) => v.kind === 'report' && v.draftId === out.record.id);
    return {
      views: out.views,
      ...(out.read && reported ? { followUp: previewOf(out.record, out.read) } : {}),
    };
  }

  /**
   * « annuler » deletes the draft (and an unusable file ends it): its PDF and preview go, the
   * record stays for the audit trail.
   */
  async function dropCancelled(
    record: ConversationRecord,
    actor: IdentityKey | undefined,
    reason: string | null,
  ): Promise<void> {
    for (const f of await store.files.listByConversation(record.id)) await store.files.remove(f.id);
    if (actor && (await store.conversations.getCurrent(actor)) === record.id)
      await store.conversations.setCurrent(actor, null);
    const action = reason === 'unusable' ? 'draft.rejected' : 'draft.cancelled';
    await store.audit.record({ actor, action, accountId: record.accountId, conversationId: record.id });
    logger.info(
      { conversation: record.id, reason },
      action === 'draft.rejected' ? 'unusable file, draft closed' : 'draft cancelled',
    );
  }

  const previewOf = createPreviewFollowUp({ store, recognizer: deps.recognizer, logger, track });
  const { handleFile } = createFileIntake({ store, logger, advance, recordOnce });
  const after = createAfterDeposit({
    store,
    logger,
    now: () => clock.now(),
    ports: deps.afterDeposit ?? {},
    credentials: deps.credentials,
    runCommand,
    advance,
    deposit,
    openDraft: (identity, account, input, key, prefill) => handleFile(identity, account, input, key, prefill),
  });
  const facturxOut = createFacturxOut({
    store,
    logger,
    recognizer: deps.recognizer,
    port: deps.facturxOut === null ? undefined : (deps.facturxOut ?? createFacturxProducer()),
  });
  const { handleDraftInput } = createDraftInput({
    after,
    facturxOut,
    store,
    today,
    advance,
    recordOnce,
    runCommand,
    ownedDraft,
    currentViews,
  });

  async function recordOnce(key: string | undefined, views: View[]): Promise<HandleResult> {
    if (!key) return { views };
    const out = await store.conversations.recordApplied(key, views);
    return out.recorded ? { views } : { views: out.duplicate.result as View[], duplicate: true };
  }

  async function handleUnsafe(
    identityIn: ChannelIdentity,
    input: UserInput,
    options: HandleOptions,
  ): Promise<HandleResult> {
    let identity: IdentityKey;
    try {
      identity = normalizeIdentity(identityIn);
    } catch {
      return { views: [accessDeniedView()] };
    }
    const key = options.idempotencyKey;
    if (key) {
      const seen = await store.conversations.findApplied(key);
      if (seen) return { views: seen.result as View[], duplicate: true };
    }
    if (input.type === 'link') {
      try {
        const out = await store.invites.redeem(input.code.trim(), identity);
        if (out.status === 'linked') {
          logger.info({ channel: identity.channel, account: out.account.id }, 'identity linked');
          return recordOnce(key, [linkedView(out.account.name)]);
        }
        const line = {
          unknown: SERVICE_TEXT.linkUnknown,
          expired: SERVICE_TEXT.linkExpired,
          used: SERVICE_TEXT.linkUsed,
        }[out.status];
        return recordOnce(key, [errorView(line)]);
      } catch (error) {
        if (error instanceof FacteurError) return { views: [errorView(error.userMessage)] };
        throw error;
      }
    }
    const account = await store.identities.findAccount(identity);
    if (!account) return { views: [accessDeniedView()] };
    if (input.type === 'file') {
      // A PDF answering « Compléter » is a supporting document, not a new invoice.
      const forAction = await after.actionInput(identity, account, input);
      return forAction ? recordOnce(key, forAction) : handleFile(identity, account, input, key);
    }
    return handleDraftInput(identity, account, input, options);
  }

  const maintenance = createMaintenance({
    store,
    logger,
    clock,
    reminderAfterMs: deps.draftReminderAfterMs,
    expireAfterMs: deps.draftExpireAfterMs,
    intervalMs:
      deps.maintenanceIntervalMs ??
      Math.min(
        300_000,
        Math.max(5_000, Math.floor(Math.min(deps.draftReminderAfterMs, deps.draftExpireAfterMs) / 10)),
      ),
    hasListener: (channel) => (listeners.get(channel)?.size ?? 0) > 0,
    notify,
    currentViews,
    lock: (id, task) => lock.run(`draft:${id}`, task),
    expire: async (record) => {
      const out = await runner.advance(record, { event: () => ({ type: 'EXPIRE' }), activity: false });
      // An expired draft is gone for the user: its PDF is not kept either.
      for (const f of await store.files.listByConversation(record.id)) await store.files.remove(f.id);
      return out.views;
    },
  });

  const recoverInFlight = createInFlightRecovery({
    store,
    deposit,
    credentials: deps.credentials,
    logger,
    lock,
    advance: (record, options) => runner.advance(record, options),
    notify,
  });

  function track<T>(promise: Promise<T>): Promise<T> {
    inHand.add(promise);
    void promise.finally(() => inHand.delete(promise)).catch(() => undefined);
    return promise;
  }

  return {
    async handle(identity, input, options = {}) {
      if (stopping) return { views: [errorView(SERVICE_TEXT.internalError)] };
      const started = Date.now();
      const lockKey = `${identity.channel}:${identity.userId.toLowerCase()}`;
      const task = lock.run(lockKey, async () => {
        try {
          return await handleUnsafe(identity, input, options);
        } catch (error) {
          logger.error({ err: error, channel: identity.channel, input: input.type }, 'event failed');
          return {
            views: [
              errorView(error instanceof FacteurError ? error.userMessage : SERVICE_TEXT.internalError),
            ],
          };
        }
      });
      const result = await track(task);
      const draftId = result.views.find((v) => v.draftId)?.draftId;
      logger.info(
        {
          channel: identity.channel,
          input: input.type,
          conversation: draftId,
          views: result.views.map((v) => v.kind),
          duplicate: result.duplicate ?? false,
          ms: Date.now() - started,
        },
        'event handled',
      );
      return result;
    },

    async welcome(identityIn) {
      let identity: IdentityKey;
      try {
        identity = normalizeIdentity(identityIn);
      } catch {
        return [accessDeniedView()];
      }
      const account = await store.identities.findAccount(identity);
      if (!account) return [accessDeniedView()];
      const views = [welcomeView(identityIn.displayName)];
      const current = await ownedDraft(account, await store.conversations.getCurrent(identity));
      if (current && !isFinished(current.status))
        views.push(
          infoView([SERVICE_TEXT.resumed(current.provisionalNumber)]),
          ...(await currentViews(current)),
        );
      return views;
    },

    onNotification(channel, listener) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },

    async isAllowed(identityIn) {
      try {
        return (await store.identities.findAccount(normalizeIdentity(identityIn))) !== undefined;
      } catch {
        return false;
      }
    },

    async start() {
      stopping = false;
      await track(recoverInFlight());
      maintenance.start();
    },

    async stop() {
      stopping = true;
      maintenance.stop();
      await Promise.allSettled([...inHand, maintenance.idle()]);
    },

    runMaintenance: () => track(maintenance.runOnce()),
    recoverInFlight: () => track(recoverInFlight()),
  };
}
