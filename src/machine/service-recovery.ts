import type { ChorusCredentials, DepositService } from '../deposit/port.js';
import type { Logger } from '../shared/logger.js';
import type { IdentityKey, Store } from '../store/types.js';
import { isFinished, type AdvanceResult, type AdvanceOptions } from './draft-runner.js';
import type { ConversationRecord } from '../store/types.js';
import type { DraftEvent } from './types.js';
import type { View } from './view.js';

export interface InFlightRecoveryDeps {
  store: Store;
  deposit: DepositService;
  credentials: (accountId: string) => Promise<ChorusCredentials>;
  logger: Logger;
  lock: { run<T>(key: string, task: () => Promise<T>): Promise<T> };
  advance(record: ConversationRecord, options: AdvanceOptions): Promise<AdvanceResult>;
  notify(identity: IdentityKey, view: View): Promise<boolean>;
}

export function createInFlightRecovery(deps: InFlightRecoveryDeps) {
  const { store, deposit, logger, lock } = deps;

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
          const out = await deps.advance(record, { event, activity: false });
          resolved++;
          const last = out.views[out.views.length - 1];
          logger.info(
            { conversation: id, status: out.applied ? out.record.status : 'duplicate' },
            'submit in flight resolved',
          );
          if (last) await deps.notify(record.startedBy, last);
        } catch (error) {
          logger.error({ err: error, conversation: id }, 'submit in flight not resolved');
        }
      });
    }
    return resolved;
  }

  return recoverInFlight;
}
