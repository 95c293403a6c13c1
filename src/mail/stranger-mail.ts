/**
 * A message from an address no user has linked: an invitation code links it, anything else is
 * told access is denied, at most once a day so that a sender writing in a loop gets no flood.
 */
import type { Logger } from '../shared/logger.js';
import type { ChannelIdentity, ConversationService, UserInput } from '../machine/conversation-port.js';
import type { IncomingMail } from './parse-message.js';
import type { ReplySender } from './reply-sender.js';
import type { ThreadState } from './thread-state.js';
import { replyPerDraft } from './view-flow.js';

export interface StrangerMailDeps {
  conversations: ConversationService;
  state: ThreadState;
  replies: ReplySender;
  logger: Logger;
}

/** An unknown address is told it has no access at most once in this time. */
const DENIAL_QUIET_MS = 24 * 3_600_000;

const INVITE_CODE = /(?:^|[\s:«"'(])([A-Za-z0-9_-]{16})(?=$|[\s.,;!»"')])/;

/** A 16-char invitation code (letters and digits mixed) in the subject or the first lines. */
function findInviteCode(texts: string[]): string | undefined {
  for (const t of texts) {
    const code = INVITE_CODE.exec(t)?.[1];
    if (code && /\d/.test(code) && /[A-Za-z]/.test(code)) return code;
  }
  return undefined;
}

export function createStrangerMail(deps: StrangerMailDeps) {
  const { conversations, state, replies } = deps;

  /**
   * Unknown address: an invitation code in the subject or first lines links it (the conversation
   * checks it); otherwise the conversation answers that access is denied. Returns the code used
   * when the address is now linked.
   */
  async function handleStranger(mail: IncomingMail, identity: ChannelIdentity, key: string, lines: string[]) {
    const code = findInviteCode([mail.subject, ...lines.slice(0, 5)]);
    if (!code) {
      // One « access denied » a day per address: an unknown sender writing in a loop gets no flood.
      const last = await state.lastDenied(identity.userId);
      if (
        last !== undefined &&
        Date.now() - last < DENIAL_QUIET_MS &&
        !(await state.wasSent(replies.idFor(`${key}:stranger:0`)))
      ) {
        deps.logger.info({ from: identity.userId }, 'unknown sender already told today');
        return undefined;
      }
    }
    const input: UserInput = code ? { type: 'link', code } : { type: 'text', text: 'aide' };
    const result = await conversations.handle(identity, input, {
      idempotencyKey: `${key}:${code ? 'link' : 'denied'}`,
    });
    await replyPerDraft(replies, mail, `${key}:stranger`, result.views, []);
    if (!code) await state.setDenied(identity.userId, Date.now());
    const linked = code !== undefined && (await conversations.isAllowed(identity));
    return linked ? code : undefined;
  }

  return { handleStranger };
}
