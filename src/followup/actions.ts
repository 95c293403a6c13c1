/**
 * The buttons of the follow-up notifications: stable choice ids the conversation (the machine,
 * after a deposit) handles. Format `fu:<action>:<chorusInvoiceId>` (≤ 32 ASCII characters, so it
 * fits Telegram's callback data beside the draft id). Notifications carry no revision: a finished
 * draft's choices would otherwise be stale; the invoice id makes each button self-contained.
 */

export const FOLLOW_UP_ACTIONS = {
  /** SUSPENDUE: answer the buyer (comment + optional attachments) through `completer`. */
  complete: 'complete',
  /** A_RECYCLER: choose another recipient / service through `recycler`. */
  fixRecipient: 'fix-recipient',
  /** REJETEE: a new draft pre-filled from this invoice, with a new invoice number. */
  newInvoice: 'new-invoice',
  /** Late payment: the ready-to-send reminder text (interest + 40 € compensation). */
  reminder: 'reminder',
  /** Any notification: the invoice's status view (history, payment deadline). */
  status: 'status',
  /** Turn this account's follow-up notifications off (« notifications off »). */
  notificationsOff: 'notif-off',
} as const;

export type FollowUpAction = (typeof FOLLOW_UP_ACTIONS)[keyof typeof FOLLOW_UP_ACTIONS];

const ACTIONS = new Set<string>(Object.values(FOLLOW_UP_ACTIONS));
const PATTERN = /^fu:([a-z-]{1,20}):(\d{1,12})$/;

/** The choice id of `action` on an invoice: `fu:complete:3124001`. */
export function followUpChoiceId(action: FollowUpAction, chorusInvoiceId: number): string {
  return `fu:${action}:${chorusInvoiceId}`;
}

/** Reads a choice id back; undefined when it is not a follow-up action. */
export function parseFollowUpChoice(
  choiceId: string,
): { action: FollowUpAction; chorusInvoiceId: number } | undefined {
  const m = PATTERN.exec(choiceId);
  if (!m || !ACTIONS.has(m[1]!)) return undefined;
  return { action: m[1] as FollowUpAction, chorusInvoiceId: Number(m[2]) };
}
