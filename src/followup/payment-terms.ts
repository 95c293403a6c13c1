import { addDays, daysBetween, parisDay } from './calendar.js';

/**
 * The legal payment deadline of a public buyer (after-deposit.md §4.1–4.2): 30 days for the State,
 * local authorities and their public establishments (R2192-10), 50 days for public health
 * establishments (R2192-11), 60 days for public enterprises (R2192-11). It runs from the day the
 * invoice is made available to the buyer in Chorus Pro (MISE_A_DISPOSITION), is interrupted once
 * by a suspension (R2192-27) and restarts on completion for 30 days or the balance if longer
 * (R2192-29).
 */

export type BuyerKind = 'public' | 'health' | 'public-enterprise';

export const PAYMENT_DAYS: Record<BuyerKind, number> = {
  public: 30,
  health: 50,
  'public-enterprise': 60,
};

/**
 * The kind of buyer from its SIRET (?): public-law legal persons have a SIREN starting with 1 or 2
 * (State 1…, local authorities 21–25…), public hospitals 26…; a buyer on Chorus Pro with a
 * private-law SIREN is a public enterprise. A heuristic the user can correct per invoice.
 */
export function buyerKindOf(siret: string): BuyerKind {
  if (/^26/.test(siret)) return 'health';
  if (/^[12]/.test(siret)) return 'public';
  return 'public-enterprise';
}

export interface StatusStep {
  status: string;
  /** ISO date-time. */
  at: string;
}

export interface PaymentTerms {
  buyerKind: BuyerKind;
  days: number;
  /** Paris day the period runs from (MISE_A_DISPOSITION), or the deposit day while not yet known. */
  startsOn: string;
  /** True while the invoice has not reached its buyer: the deadline is an estimate. */
  estimated: boolean;
  /** Last day the buyer may pay without interest (`YYYY-MM-DD`). */
  dueBy: string;
  /** Paris day of MISE_EN_PAIEMENT, when paid. */
  paidOn?: string;
  /** The period is interrupted (SUSPENDUE, not yet completed): the deadline waits. */
  interrupted: boolean;
}

/** Statuses after which the buyer paid (the last status of the cycle). */
export const PAID_STATUSES = new Set(['MISE_EN_PAIEMENT']);

/**
 * The terms of one invoice from its dated history (oldest first) and its deposit instant. A
 * recycled invoice (DEPOSEE again) starts over at its new MISE_A_DISPOSITION.
 */
export function paymentTerms(input: {
  recipientSiret: string;
  buyerKind?: BuyerKind;
  depositedAt: string;
  history: StatusStep[];
}): PaymentTerms {
  const buyerKind = input.buyerKind ?? buyerKindOf(input.recipientSiret);
  const days = PAYMENT_DAYS[buyerKind];
  const lastDeposit = input.history.map((h) => h.status).lastIndexOf('DEPOSEE');
  const steps = lastDeposit >= 0 ? input.history.slice(lastDeposit) : input.history;
  const available = steps.find((h) => h.status === 'MISE_A_DISPOSITION');
  const startsOn = parisDay(available?.at ?? input.depositedAt);
  let dueBy = addDays(startsOn, days);
  let interrupted = false;
  const suspension = steps.find((h) => h.status === 'SUSPENDUE' && (!available || h.at >= available.at));
  if (available && suspension) {
    const resumed = steps.find((h) => h.at >= suspension.at && h.status !== 'SUSPENDUE');
    if (!resumed) interrupted = true;
    else {
      // One interruption only: a new period of 30 days, or the balance left if it is longer.
      const balance = Math.max(0, daysBetween(parisDay(suspension.at), dueBy));
      dueBy = addDays(parisDay(resumed.at), Math.max(30, balance));
    }
  }
  const paid = steps.find((h) => PAID_STATUSES.has(h.status));
  return {
    buyerKind,
    days,
    startsOn,
    estimated: !available,
    dueBy,
    ...(paid ? { paidOn: parisDay(paid.at) } : {}),
    interrupted,
  };
}
