import type { ChorusCredentials, DepositService } from '../deposit/port.js';
import type { Recognizer } from '../recognition/types.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/types.js';
import type { AfterDepositPorts } from './after-deposit-port.js';
import type { ConversationService } from './conversation-port.js';
import type { FacturxOutPort } from './facturx-out-service.js';

/**
 * What the composition root gives the conversation service and what it gets back: kept apart from
 * the service's wiring so the contract reads on its own.
 */

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
