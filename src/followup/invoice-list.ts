import { statusLabel } from '../deposit/receipt-pdf.js';
import { formatCents } from '../machine/format.js';
import type { FollowedInvoice } from '../store/index.js';
import { frenchDate } from './calendar.js';
import { decimalString, paymentFacts, todayOf } from './facts.js';
import { FOLLOW_UP_TEXT as T } from './messages.js';

/** One line of `facteur invoices --json` (the contract: exactly these keys). */
export interface InvoiceJson {
  provisionalNumber: string | null;
  invoiceNumber: string;
  chorusInvoiceId: number;
  recipientSiret: string;
  totalInclTax: string;
  depositedAt: string;
  status: string;
  statusAt: string;
  statusComment: string | null;
  paymentDueBy: string | null;
  lateInterest: string | null;
}

/** Deadline and interest of a followed invoice, as of `now`. */
export function invoiceStanding(f: FollowedInvoice, now: Date, rates?: Readonly<Record<string, number>>) {
  const facts = paymentFacts(f, todayOf(now), rates);
  const noPayment = ['REJETEE', 'ABANDONNEE', 'SUPPRIMEE'].includes(f.status);
  return {
    paymentDueBy: noPayment ? null : facts.terms.dueBy,
    late: facts.late,
    terms: facts.terms,
  };
}

export function invoiceJson(
  f: FollowedInvoice,
  now: Date,
  rates?: Readonly<Record<string, number>>,
): InvoiceJson {
  const s = invoiceStanding(f, now, rates);
  return {
    provisionalNumber: f.provisionalNumber ?? null,
    invoiceNumber: f.invoiceNumber,
    chorusInvoiceId: f.chorusInvoiceId,
    recipientSiret: f.recipientSiret,
    totalInclTax: decimalString(f.totalInclTaxCents),
    depositedAt: f.depositedAt,
    status: f.status,
    statusAt: f.statusAt,
    statusComment: f.statusComment ?? null,
    paymentDueBy: s.paymentDueBy,
    lateInterest: s.late ? decimalString(s.late.interestCents) : null,
  };
}

/** The French lines of one invoice (CLI, status views). */
export function invoiceLines(
  f: FollowedInvoice,
  now: Date,
  rates?: Readonly<Record<string, number>>,
): string[] {
  const s = invoiceStanding(f, now, rates);
  const head = `${f.invoiceNumber} – ${f.recipientName ?? f.recipientSiret} – ${formatCents(f.totalInclTaxCents, f.currency)} TTC – ${statusLabel(f.status)} depuis le ${frenchDate(todayOf(new Date(f.statusAt)))}`;
  const lines = [head];
  if (f.statusComment) lines.push(`   « ${f.statusComment} »`);
  if (s.terms.paidOn) lines.push(`   payée (mise en paiement) le ${frenchDate(s.terms.paidOn)}`);
  else if (s.paymentDueBy) lines.push(`   ${T.paymentDueBy(s.paymentDueBy)}`);
  if (s.late)
    lines.push(`   ${T.late.owed(s.late.interestCents, s.late.daysLate, s.late.rateBp, s.late.totalCents)}`);
  return lines;
}
