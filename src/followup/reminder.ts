/**
 * The ready-to-send reminder of a late invoice (« Texte de relance »): the letter that claims
 * the late-payment interest and the 40 € compensation, computed from what the follow-up stored.
 */
import type { FollowUpStore } from '../store/follow-up-types.js';
import { paymentFacts, todayOf } from './facts.js';
import { FOLLOW_UP_TEXT } from './messages.js';

export interface ReminderDeps {
  followUps: Pick<FollowUpStore, 'get'>;
  clock: () => Date;
  rates?: Readonly<Record<string, number>>;
}

/** The letter's lines; a short explanation instead when the invoice is unknown or not late. */
export async function reminderLines(
  deps: ReminderDeps,
  accountId: string,
  chorusInvoiceId: number,
): Promise<string[]> {
  const invoice = await deps.followUps.get(accountId, chorusInvoiceId);
  if (!invoice) return [FOLLOW_UP_TEXT.reminderUnknown];
  const { terms, late } = paymentFacts(invoice, todayOf(deps.clock()), deps.rates);
  if (!late) return [FOLLOW_UP_TEXT.reminderNotLate(terms.dueBy)];
  const letter = FOLLOW_UP_TEXT.reminder({
    invoiceNumber: invoice.invoiceNumber,
    buyer: invoice.recipientName ?? invoice.recipientSiret,
    amountCents: invoice.totalInclTaxCents,
    currency: invoice.currency,
    depositedOn: todayOf(new Date(invoice.depositedAt)),
    dueBy: terms.dueBy,
    daysLate: late.daysLate,
    rateBp: late.rateBp,
    interestCents: late.interestCents,
    totalCents: late.totalCents,
    paid: late.paid,
  });
  return [FOLLOW_UP_TEXT.reminderIntro, '', ...letter.split('\n')];
}
