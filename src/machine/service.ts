import { createFacturxProducer } from '../facturx-out/produce.js';
import { FacteurError } from '../shared/errors.js';
import { createSilentLogger } from '../shared/logger.js';
import type { ConversationRecord, IdentityKey } from '../store/types.js';
import type { ChannelIdentity, HandleOptions, HandleResult, UserInput } from './conversation-port.js';
import { createAfterDeposit } from './after-deposit-service.js';
import { createDraftRunner, type AdvanceOptions } from './draft-runner.js';
import { createFacturxOut } from './facturx-out-service.js';
import { createKeyedLock } from './keyed-lock.js';
import { createMaintenance, defaultMaintenanceIntervalMs } from './maintenance.js';
import { SERVICE_TEXT } from './messages.js';
import { createPreviewFollowUp } from './preview-follow-up.js';
import { createAccess, identityKeyOf } from './service-access.js';
import { createDraftClosing } from './service-closing.js';
import { createDraftViews } from './service-commands.js';
import type { ConversationServiceDeps, RunningConversationService } from './service-deps.js';
import { createDraftInput } from './service-input.js';
import { createFileIntake } from './service-intake.js';
import { createNotificationHub } from './service-notifications.js';
import { createInFlightRecovery } from './service-recovery.js';
import { accessDeniedView, errorView } from './service-views.js';
import type { View } from './view.js';

export { MAX_PDF_BYTES } from './service-intake.js';

export type { Clock, ConversationServiceDeps, RunningConversationService } from './service-deps.js';

/**
 * The conversation service channels call: one event at a time per user (keyed lock), exactly
 * once per idempotency key, each part of the work in its own service-*.ts module wired here.
 */
export function createConversationService(deps: ConversationServiceDeps): RunningConversationService {
  const { store, deposit } = deps;
  const logger = (deps.logger ?? createSilentLogger()).child({ component: 'conversation' });
  const clock = deps.clock ?? { now: () => new Date() };
  const lock = createKeyedLock();
  const notifications = createNotificationHub(logger);
  const { notify } = notifications;
  const inHand = new Set<Promise<unknown>>();
  let stopping = false;

  const drafts = createDraftViews({ store, deposit, credentials: deps.credentials, logger });
  const { enrich, currentViews, ownedDraft, runCommand } = drafts;

  const facturxPort = deps.facturxOut === null ? undefined : (deps.facturxOut ?? createFacturxProducer());
  const runner = createDraftRunner(
    {
      store,
      recognizer: deps.recognizer,
      deposit,
      logger,
      credentials: deps.credentials,
      submitRetryDelayMs: deps.submitRetryDelayMs ?? 1_000,
      facturxOut: facturxPort,
      settleTimeoutMs: deps.settleTimeoutMs ?? 180_000,
    },
    enrich,
  );

  const closing = createDraftClosing({ store, logger });
  const today = () => clock.now().toISOString().slice(0, 10);

  async function advance(
    record: ConversationRecord,
    options: AdvanceOptions,
    actor?: IdentityKey,
  ): Promise<HandleResult> {
    const out = await runner.advance(record, options);
    if (!out.applied) return { views: out.views, duplicate: true };
    if (out.record.status === 'cancelled' && record.status !== 'cancelled')
      await closing.dropCancelled(out.record, actor, out.snapshot.context.endReason);
    const reported = out.views.some((v) => v.kind === 'report' && v.draftId === out.record.id);
    return {
      views: out.views,
      ...(out.read && reported ? { followUp: previewOf(out.record, out.read) } : {}),
    };
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
    port: facturxPort,
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

  const access = createAccess({ store, logger, recordOnce, ownedDraft, currentViews });

  async function handleUnsafe(
    identityIn: ChannelIdentity,
    input: UserInput,
    options: HandleOptions,
  ): Promise<HandleResult> {
    const identity = identityKeyOf(identityIn);
    if (!identity) return { views: [accessDeniedView()] };
    const key = options.idempotencyKey;
    if (key) {
      const seen = await store.conversations.findApplied(key);
      if (seen) return { views: seen.result as View[], duplicate: true };
    }
    if (input.type === 'link') return access.link(identity, input.code, key);
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
      defaultMaintenanceIntervalMs(deps.draftReminderAfterMs, deps.draftExpireAfterMs),
    hasListener: notifications.hasListener,
    notify,
    currentViews,
    lock: (id, task) => lock.run(`draft:${id}`, task),
    expire: async (record) => {
      const out = await runner.advance(record, { event: () => ({ type: 'EXPIRE' }), activity: false });
      // An expired draft is gone for the user: its PDF is not kept either.
      await closing.removeFiles(record.id);
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

    welcome: access.welcome,
    onNotification: notifications.listen,
    isAllowed: access.isAllowed,

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
