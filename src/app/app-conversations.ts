import type { Config } from '../config/schema.js';
import type { FollowUpService } from '../deposit/follow-up-port.js';
import type { ChorusCredentials, DepositService } from '../deposit/port.js';
import { reminderLines } from '../followup/reminder.js';
import type { FacturxOutPort } from '../machine/facturx-out-service.js';
import {
  createConversationService,
  type Clock,
  type RunningConversationService,
} from '../machine/service.js';
import type { Recognizer } from '../recognition/types.js';
import type { Logger } from '../shared/logger.js';
import type { Metrics } from '../shared/metrics.js';
import { settlesWithin } from '../shared/timeouts.js';
import type { Store } from '../store/types.js';
import { instrumentRecognizer } from './instrument.js';

/** How long the stop waits for conversation events in hand once the channels stopped. */
const CONVERSATIONS_STOP_GRACE_MS = 1_000;

export interface AppConversationsDeps {
  config: Config;
  store: Store;
  recognizer: Recognizer;
  deposit: DepositService;
  followUpService: FollowUpService;
  credentials: (accountId: string) => Promise<ChorusCredentials>;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
  submitRetryDelayMs?: number;
  facturxOut?: FacturxOutPort;
}

/**
 * The conversation service of the app: the configured draft delays, and after a deposit the
 * follow-up room's actions (attachments, completer, recycler) and payment reminders.
 */
export function createAppConversations(deps: AppConversationsDeps): RunningConversationService {
  const { config, store, followUpService, clock } = deps;
  return createConversationService({
    store,
    // The simulator keeps the bare recognizer: only users' documents are counted.
    recognizer: instrumentRecognizer(deps.recognizer, deps.metrics),
    deposit: deps.deposit,
    logger: deps.logger,
    clock,
    draftReminderAfterMs: config.draftReminderAfterMs,
    draftExpireAfterMs: config.draftExpireAfterMs,
    submitRetryDelayMs: deps.submitRetryDelayMs,
    ...(deps.facturxOut ? { facturxOut: deps.facturxOut } : {}),
    afterDeposit: {
      addAttachment: (creds, file) => followUpService.addAttachment(creds, file),
      complete: (creds, request) => followUpService.complete(creds, request),
      recycle: (creds, request) => followUpService.recycle(creds, request),
      reminder: (accountId, chorusInvoiceId) =>
        reminderLines(
          { followUps: store.followUps, clock: () => clock.now(), rates: config.followUp.rates },
          accountId,
          chorusInvoiceId,
        ),
    },
    credentials: deps.credentials,
  });
}

/**
 * Stops the service without holding the shutdown: events still waiting on Chorus Pro are saved
 * as they go, and a restart resumes them.
 */
export async function stopConversations(
  conversations: RunningConversationService,
  logger: Logger,
): Promise<void> {
  if (!(await settlesWithin(conversations.stop(), CONVERSATIONS_STOP_GRACE_MS)))
    logger.warn(
      { graceMs: CONVERSATIONS_STOP_GRACE_MS },
      'conversation events still in hand at stop; they resume at the next start',
    );
}
