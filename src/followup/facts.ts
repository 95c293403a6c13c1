import type { FollowedInvoice, FollowedStatusEntry } from '../store/follow-up-types.js';
import { parisDay } from './calendar.js';
import { lateInterest, type LateInterest } from './late-interest.js';
import { paymentTerms, type BuyerKind, type PaymentTerms } from './payment-terms.js';

/** Where an invoice stands on payment: its deadline, and the interest owed when it is late. */
export interface PaymentFacts {
  terms: PaymentTerms;
  late: LateInterest | null;
}

/** Statuses after which nothing more happens (stop polling). */
export const FINAL_STATUSES = new Set(['MISE_EN_PAIEMENT', 'REJETEE', 'ABANDONNEE', 'SUPPRIMEE']);
/** Statuses not worth a message (the deposit receipt already said it; routing takes minutes). */
export const QUIET_STATUSES = new Set(['DEPOSEE', 'EN_COURS_ACHEMINEMENT', 'INTERPRETEE_OCR']);
/** Statuses with no payment to expect. */
const NO_PAYMENT = new Set(['REJETEE', 'ABANDONNEE', 'SUPPRIMEE', 'A_RECYCLER']);

export function paymentFacts(
  invoice: Pick<
    FollowedInvoice,
    'recipientSiret' | 'buyerKind' | 'depositedAt' | 'totalInclTaxCents' | 'status'
  > & {
    history: FollowedStatusEntry[];
  },
  today: string,
  rates?: Readonly<Record<string, number>>,
): PaymentFacts {
  const history =
    invoice.history.length > 0 ? invoice.history : [{ status: 'DEPOSEE', at: invoice.depositedAt }];
  const terms = paymentTerms({
    recipientSiret: invoice.recipientSiret,
    ...(invoice.buyerKind ? { buyerKind: invoice.buyerKind as BuyerKind } : {}),
    depositedAt: invoice.depositedAt,
    history,
  });
  const stopped = NO_PAYMENT.has(invoice.status) || terms.interrupted;
  const late =
    stopped || (terms.estimated && !terms.paidOn)
      ? null
      : lateInterest({
          principalCents: invoice.totalInclTaxCents,
          dueBy: terms.dueBy,
          until: terms.paidOn ?? today,
          paid: terms.paidOn !== undefined,
          ...(rates ? { rates } : {}),
        });
  return { terms, late };
}

/** Cents as the JSON contract's decimal string: 733 → "7.33". */
export function decimalString(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export const todayOf = (now: Date) => parisDay(now);
