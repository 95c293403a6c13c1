import type { Logger } from '../shared/logger.js';
import type { ConversationRecord, IdentityKey, Store } from '../store/types.js';

/**
 * What goes when a draft ends without a deposit (cancelled, unusable file, expired): its PDF and
 * preview. The record stays for the audit trail.
 */
export function createDraftClosing(deps: { store: Store; logger: Logger }) {
  const { store, logger } = deps;

  async function removeFiles(conversationId: string): Promise<void> {
    for (const f of await store.files.listByConversation(conversationId)) await store.files.remove(f.id);
  }

  return {
    removeFiles,

    /** « annuler » deletes the draft (and an unusable file ends it). */
    async dropCancelled(
      record: ConversationRecord,
      actor: IdentityKey | undefined,
      reason: string | null,
    ): Promise<void> {
      await removeFiles(record.id);
      if (actor && (await store.conversations.getCurrent(actor)) === record.id)
        await store.conversations.setCurrent(actor, null);
      const action = reason === 'unusable' ? 'draft.rejected' : 'draft.cancelled';
      await store.audit.record({ actor, action, accountId: record.accountId, conversationId: record.id });
      logger.info(
        { conversation: record.id, reason },
        action === 'draft.rejected' ? 'unusable file, draft closed' : 'draft cancelled',
      );
    },
  };
}
