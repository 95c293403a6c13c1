import type { ChorusCredentials, DepositService } from '../deposit/port.js';
import type { Recognizer } from '../recognition/types.js';
import { FacteurError } from '../shared/errors.js';
import { createSilentLogger, type Logger } from '../shared/logger.js';
import { normalizeIdentity } from '../store/normalize.js';
import type { Account, ConversationRecord, IdentityKey, Store } from '../store/types.js';
import { choiceToCommand, parseCommand } from './commands.js';
import type {
  ChannelIdentity,
  ChannelKind,
  ConversationService,
  HandleOptions,
  HandleResult,
  Notification,
  UserInput,
} from './conversation-port.js';
import { createDraftRunner, isFinished, type AdvanceOptions, type DraftSnapshot } from './draft-runner.js';
import { choiceToEvent, textToEvent } from './interpret.js';
import type { DraftEvent } from './types.js';
import { createKeyedLock } from './keyed-lock.js';
import { MACHINE_VERSION } from './machine.js';
import { SERVICE_TEXT } from './messages.js';
import { createMaintenance } from './maintenance.js';
import { createDraftViews } from './service-commands.js';
import {
  accessDeniedView,
  errorView,
  infoView,
  linkedView,
  staleView,
  welcomeView,
} from './service-views.js';
import type { View } from './view.js';

/** Chorus Pro limits checked before anything is stored. */
export const MAX_PDF_BYTES = 10 * 1024 * 1024;
const MAX_FILE_NAME = 200;
/** Channel-state namespace: inbound message key → the draft its PDF opened (crash replay). */
const FILE_DRAFTS_NAMESPACE = 'service:file-drafts';

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
    return { views: out.views };
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

  function checkFile(input: Extract<UserInput, { type: 'file' }>): string | undefined {
    const name = input.fileName || 'facture.pdf';
    if (input.bytes.byteLength === 0) return SERVICE_TEXT.fileEmpty(name);
    const magic = Buffer.from(input.bytes.subarray(0, 1024)).toString('latin1');
    const looksPdf = magic.includes('%PDF-');
    if (!looksPdf) return SERVICE_TEXT.fileNotPdf(name);
    if (input.bytes.byteLength > MAX_PDF_BYTES) return SERVICE_TEXT.fileTooLarge(name);
    if (name.length > MAX_FILE_NAME) return SERVICE_TEXT.fileNameTooLong;
    return undefined;
  }

  async function handleFile(
    identity: IdentityKey,
    account: Account,
    input: Extract<UserInput, { type: 'file' }>,
    key?: string,
  ): Promise<HandleResult> {
    const problem = checkFile(input);
    if (problem) return recordOnce(key, [errorView(problem)]);
    const fileName = (input.fileName || 'facture.pdf').replace(/[/\\]/g, '_');
    const previousId = await store.conversations.getCurrent(identity);
    const previous = previousId ? await store.conversations.get(previousId) : undefined;
    // A crash between the draft's creation and the first applied event (the PDF analysis takes
    // seconds) must not leave a ghost draft: the inbound key remembers the draft it created, and a
    // replay of the same message carries on with that draft instead of opening a second one.
    const started = key
      ? await store.channelState.get<{ draftId: string }>(FILE_DRAFTS_NAMESPACE, key)
      : undefined;
    const resumed = started ? await store.conversations.get(started.draftId) : undefined;
    const record =
      resumed ??
      (await store.conversations.create({
        accountId: account.id,
        startedBy: identity,
        snapshot: null,
        machineVersion: MACHINE_VERSION,
        makeCurrent: true,
      }));
    if (!resumed && key) await store.channelState.set(FILE_DRAFTS_NAMESPACE, key, { draftId: record.id });
    const stored = resumed ? await store.files.listByConversation(record.id) : [];
    if (!stored.some((f) => f.kind === 'invoice-pdf')) {
      await store.files.put({
        kind: 'invoice-pdf',
        fileName,
        mimeType: 'application/pdf',
        bytes: input.bytes,
        accountId: account.id,
        conversationId: record.id,
      });
    }
    if (!resumed) {
      await store.audit.record({
        actor: identity,
        action: 'draft.created',
        accountId: account.id,
        conversationId: record.id,
        details: { fileName, size: input.bytes.byteLength },
      });
      logger.info(
        { conversation: record.id, provisional: record.provisionalNumber, size: input.bytes.byteLength },
        'draft created',
      );
    }
    const preface =
      previous && previous.id !== record.id && !isFinished(previous.status)
        ? [
            infoView([SERVICE_TEXT.newDraftWhileOpen(record.provisionalNumber, previous.provisionalNumber)], {
              draftId: record.id,
              provisionalNumber: record.provisionalNumber,
            }),
          ]
        : [];
    return advance(
      record,
      {
        event: () => null,
        idempotencyKey: key,
        preface,
        input: {
          draftId: record.id,
          provisionalNumber: record.provisionalNumber,
          fileName,
          fileSize: input.bytes.byteLength,
        },
      },
      identity,
    );
  }

  async function recordOnce(key: string | undefined, views: View[]): Promise<HandleResult> {
    if (!key) return { views };
    const out = await store.conversations.recordApplied(key, views);
    return out.recorded ? { views } : { views: out.duplicate.result as View[], duplicate: true };
  }

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
    }
    if (input.type === 'text') {
      const command = parseCommand(input.text);
      if (command) return recordOnce(key, await runCommand(identity, account, command, options.draftId));
    }
    const targetId =
      (input.type === 'choice' ? input.draftId : undefined) ??
      options.draftId ??
      (await store.conversations.getCurrent(identity));
    const record = await ownedDraft(account, targetId);
    if (!record) return recordOnce(key, [infoView([SERVICE_TEXT.noCurrentDraft])]);
    if (
      input.type === 'choice' &&
      input.revision !== undefined &&
      (input.revision !== record.revision || isFinished(record.status))
    ) {
      return recordOnce(key, [staleView(), ...(await currentViews(record))]);
    }
    if (isFinished(record.status)) {
      return recordOnce(key, [
        infoView([SERVICE_TEXT.draftFinished(record.provisionalNumber)]),
        ...(await currentViews(record)),
      ]);
    }
    if (targetId !== (await store.conversations.getCurrent(identity)))
      await store.conversations.setCurrent(identity, record.id);
    const event =
      input.type === 'choice'
        ? () => {
            const e = choiceToEvent(input.choiceId);
            if (!e) return { type: 'NOT_UNDERSTOOD' as const, text: input.choiceId };
            return e.type === 'SET' ? { ...e, today: today() } : e;
          }
        : (snap: DraftSnapshot) => textToEvent(snap, input.type === 'text' ? input.text : '', today());
    return advance(record, { event, idempotencyKey: key }, identity);
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
    if (input.type === 'file') return handleFile(identity, account, input, key);
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

  function track<T>(promise: Promise<T>): Promise<T> {
    inHand.add(promise);
    void promise.finally(() => inHand.delete(promise)).catch(() => undefined);
    return promise;
  }

  /**
   * At start: a draft saved while submitting resumes its submit (which looks on Chorus Pro first);
   * a submit left « in flight » by a failure is settled by asking Chorus Pro whether it landed.
   */
  async function recoverInFlight(): Promise<number> {
    const inFlight = new Map((await store.deposits.listInFlight()).map((d) => [d.conversationId, d]));
    const ids = new Set(inFlight.keys());
    for (const rec of await store.conversations.list({ statuses: ['submitting'], limit: 1000 }))
      ids.add(rec.id);
    let resolved = 0;
    for (const id of ids) {
      await lock.run(`draft:${id}`, async () => {
        const record = await store.conversations.get(id);
        if (!record || isFinished(record.status)) return;
        try {
          let event: (() => DraftEvent | null) | undefined = () => null;
          const pending = inFlight.get(id);
          if (record.status !== 'submitting' && pending) {
            const found = await deposit.findDeposited(
              await deps.credentials(record.accountId),
              pending.invoiceNumber,
              pending.invoiceDate,
            );
            // Landed after all: the retry finds it and records the receipt (never a second deposit).
            if (found) event = () => ({ type: 'RETRY' });
            else {
              await store.deposits.fail(id, 'not found on Chorus Pro after a restart: not deposited');
              event = undefined;
            }
          }
          if (!event) return;
          const out = await runner.advance(record, { event, activity: false });
          resolved++;
          const last = out.views[out.views.length - 1];
          logger.info(
            { conversation: id, status: out.applied ? out.record.status : 'duplicate' },
            'submit in flight resolved',
          );
          if (last) await notify(record.startedBy, last);
        } catch (error) {
          logger.error({ err: error, conversation: id }, 'submit in flight not resolved');
        }
      });
    }
    return resolved;
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
