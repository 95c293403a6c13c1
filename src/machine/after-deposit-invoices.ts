import { statusLabel } from '../deposit/receipt-pdf.js';
import type { DepositRecord, Store } from '../store/types.js';
import { AFTER_CHOICE } from './after-deposit-commands.js';
import { AFTER_CHOICES, AFTER_TEXT } from './after-deposit-messages.js';
import type { InvoiceFollowState } from './after-deposit-port.js';
import { formatCents, formatDate } from './format.js';
import { CHOICE_LABELS } from './messages.js';
import type { Choice, View } from './view.js';

/**
 * « mes factures »: the account's deposited invoices, newest first, a page at a time; and finding
 * one invoice by its own number, its provisional number or its Chorus Pro id (« statut … »).
 */

export const INVOICES_PAGE_SIZE = 5;
/** Invoices read for the list (the store has no offset; a freelancer rarely has more). */
const MAX_LISTED = 1000;

export interface InvoiceRow {
  draftId: string;
  invoiceNumber: string;
  chorusInvoiceId: number;
  recipient: string;
  totalInclTaxCents: number;
  currency: string;
  depositedAt: string;
  status: string;
  follow?: InvoiceFollowState;
}

function toRow(d: DepositRecord): InvoiceRow | undefined {
  const r = d.receipt;
  if (!r) return undefined;
  return {
    draftId: d.conversationId,
    invoiceNumber: r.invoiceNumber,
    chorusInvoiceId: r.chorusInvoiceId,
    recipient: r.recipientName ?? r.recipientSiret,
    totalInclTaxCents: r.totalInclTaxCents,
    currency: r.currency,
    depositedAt: r.depositedAt,
    status: r.status,
  };
}

/** Every deposited invoice of the account, newest deposit first (without follow-up data). */
export async function depositedInvoices(store: Store, accountId: string): Promise<InvoiceRow[]> {
  const deposits = await store.deposits.listByAccount(accountId, { state: 'deposited', limit: MAX_LISTED });
  return deposits
    .map(toRow)
    .filter((r): r is InvoiceRow => r !== undefined)
    .sort((a, b) => (a.depositedAt < b.depositedAt ? 1 : a.depositedAt > b.depositedAt ? -1 : 0));
}

/** Statuses after which no payment date is worth showing (paid, or never to be paid). */
const NO_PAYMENT_EXPECTED = new Set(['MISE_EN_PAIEMENT', 'REJETEE', 'ABANDONNEE', 'SUPPRIMEE']);

/** Adds the follow-up state (current status, payment deadline) to the rows, when known. */
export async function withFollowUp(
  store: Store,
  accountId: string,
  rows: InvoiceRow[],
): Promise<InvoiceRow[]> {
  if (rows.length === 0) return rows;
  const followed = await store.followUps.getMany(
    accountId,
    rows.map((r) => r.chorusInvoiceId),
  );
  const byId = new Map(followed.map((f) => [f.chorusInvoiceId, f]));
  return rows.map((r) => {
    const f = byId.get(r.chorusInvoiceId);
    if (!f) return r;
    const follow: InvoiceFollowState = {
      status: f.status,
      statusAt: f.statusAt,
      ...(f.statusComment ? { statusComment: f.statusComment } : {}),
      ...(f.paymentDueBy && !NO_PAYMENT_EXPECTED.has(f.status) ? { paymentDueBy: f.paymentDueBy } : {}),
    };
    return { ...r, status: f.status, follow };
  });
}

export function invoiceLine(row: InvoiceRow): string {
  const due = row.follow?.paymentDueBy ? formatDate(row.follow.paymentDueBy) : undefined;
  return AFTER_TEXT.invoiceLine(
    row.invoiceNumber,
    row.recipient,
    formatCents(row.totalInclTaxCents, row.currency),
    statusLabel(row.status),
    due,
  );
}

export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / INVOICES_PAGE_SIZE));
}

/** One page of the list; `rows` is the page's rows, `total` the number of invoices. */
export function invoicesView(rows: InvoiceRow[], page: number, total: number): View {
  if (total === 0)
    return {
      kind: 'info',
      title: AFTER_TEXT.invoicesTitle,
      lines: [AFTER_TEXT.noInvoices],
      choices: [{ id: 'help', label: CHOICE_LABELS.help }],
    };
  const from = (page - 1) * INVOICES_PAGE_SIZE + 1;
  const to = from + rows.length - 1;
  const choices: Choice[] = rows.map((r) => ({
    id: AFTER_CHOICE.statusOf(r.draftId),
    label: AFTER_CHOICES.statusOf(r.invoiceNumber),
  }));
  if (page > 1) choices.push({ id: AFTER_CHOICE.invoices(page - 1), label: AFTER_CHOICES.previous });
  if (page < pageCount(total))
    choices.push({ id: AFTER_CHOICE.invoices(page + 1), label: AFTER_CHOICES.next, style: 'primary' });
  return {
    kind: 'info',
    title: AFTER_TEXT.invoicesTitle,
    lines: [AFTER_TEXT.invoicesPage(from, to, total), ...rows.map(invoiceLine), AFTER_TEXT.invoicesHint],
    choices,
  };
}

/** The page `page` (clamped) of the account's invoices, as a view. */
export async function invoicesPage(store: Store, accountId: string, page: number): Promise<View> {
  const all = await depositedInvoices(store, accountId);
  const p = Math.min(Math.max(1, page), pageCount(all.length));
  const slice = all.slice((p - 1) * INVOICES_PAGE_SIZE, p * INVOICES_PAGE_SIZE);
  return invoicesView(await withFollowUp(store, accountId, slice), p, all.length);
}

const compact = (s: string) => s.replace(/\s+/g, '').toUpperCase();

/**
 * The conversation a reference points at: a draft id (from a button), the invoice's own number,
 * a provisional number (`PROV-2026-0042`, `42`), or a Chorus Pro invoice id. Undefined when none.
 */
export async function findInvoiceConversation(
  store: Store,
  accountId: string,
  reference: string,
): Promise<string | undefined> {
  const byId = await store.conversations.get(reference);
  if (byId && byId.accountId === accountId) return byId.id;
  const rows = await depositedInvoices(store, accountId);
  const ref = compact(reference);
  const byNumber = rows.find((r) => compact(r.invoiceNumber) === ref);
  if (byNumber) return byNumber.draftId;
  const byProvisional = await store.conversations.findByProvisionalNumber(accountId, reference);
  if (byProvisional) return byProvisional.id;
  if (/^\d+$/.test(ref)) return rows.find((r) => String(r.chorusInvoiceId) === ref)?.draftId;
  return undefined;
}
