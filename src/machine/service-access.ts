import { FacteurError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { normalizeIdentity } from '../store/normalize.js';
import type { Account, ConversationRecord, IdentityKey, Store } from '../store/types.js';
import type { ChannelIdentity, HandleResult } from './conversation-port.js';
import { isFinished } from './draft-runner.js';
import { SERVICE_TEXT } from './messages.js';
import { accessDeniedView, errorView, infoView, linkedView, welcomeView } from './service-views.js';
import type { View } from './view.js';

/**
 * Who may talk to the service: a channel identity becomes a store key (or is refused), a link
 * code ties it to an account, and the welcome tells a linked user where their draft stands.
 */

/** The store key of a channel identity; undefined when it cannot be one (access is denied). */
export function identityKeyOf(identity: ChannelIdentity): IdentityKey | undefined {
  try {
    return normalizeIdentity(identity);
  } catch {
    return undefined;
  }
}

export interface AccessDeps {
  store: Store;
  logger: Logger;
  recordOnce(key: string | undefined, views: View[]): Promise<HandleResult>;
  ownedDraft(account: Account, draftId: string | undefined): Promise<ConversationRecord | undefined>;
  currentViews(record: ConversationRecord): Promise<View[]>;
}

export function createAccess(deps: AccessDeps) {
  const { store, logger, recordOnce } = deps;

  return {
    /** « lier CODE »: redeems an invite; a refused code is recorded like any answer (replays agree). */
    async link(identity: IdentityKey, code: string, key: string | undefined): Promise<HandleResult> {
      try {
        const out = await store.invites.redeem(code.trim(), identity);
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
    },

    async welcome(identityIn: ChannelIdentity): Promise<View[]> {
      const identity = identityKeyOf(identityIn);
      if (!identity) return [accessDeniedView()];
      const account = await store.identities.findAccount(identity);
      if (!account) return [accessDeniedView()];
      const views = [welcomeView(identityIn.displayName)];
      const current = await deps.ownedDraft(account, await store.conversations.getCurrent(identity));
      if (current && !isFinished(current.status))
        views.push(
          infoView([SERVICE_TEXT.resumed(current.provisionalNumber)]),
          ...(await deps.currentViews(current)),
        );
      return views;
    },

    async isAllowed(identityIn: ChannelIdentity): Promise<boolean> {
      try {
        return (await store.identities.findAccount(normalizeIdentity(identityIn))) !== undefined;
      } catch {
        return false;
      }
    },
  };
}
