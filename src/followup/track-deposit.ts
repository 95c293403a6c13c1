import type { DepositReceipt } from '../deposit/port.js';
import type { Store } from '../store/index.js';
import { FOLLOW_UP_TEXT as T } from './messages.js';
import { paymentTerms } from './payment-terms.js';

const TERMINAL = { channel: 'terminal', userId: 'local' } as const;

/**
 * Follows an invoice deposited from the command line (`facteur deposit`): under the named account,
 * else the account of that Chorus technical account, else the terminal's account (the demo account
 * in simulator mode, created if needed). Its notifications are shown at the next `facteur chat`.
 */
export async function trackCliDeposit(
  store: Store,
  receipt: DepositReceipt,
  options: { accountName?: string; chorusLogin: string; simulator: boolean },
): Promise<{ accountName: string } | { error: string }> {
  let account = options.accountName ? await store.accounts.getByName(options.accountName) : undefined;
  if (options.accountName && !account) return { error: `compte « ${options.accountName} » inconnu` };
  account ??= (await store.accounts.list()).find((a) => a.chorusLogin === options.chorusLogin);
  account ??= await store.identities.findAccount(TERMINAL);
  if (!account && options.simulator) {
    account = await store.accounts.ensure({ name: 'demo' });
    await store.identities.link(account.id, TERMINAL);
  }
  if (!account) return { error: 'aucun compte Facteur pour ce compte technique (facteur accounts add)' };
  await store.followUps.track({
    accountId: account.id,
    chorusInvoiceId: receipt.chorusInvoiceId,
    channel: 'terminal',
    userId: TERMINAL.userId,
    invoiceNumber: receipt.invoiceNumber,
    recipientSiret: receipt.recipientSiret,
    ...(receipt.recipientName ? { recipientName: receipt.recipientName } : {}),
    totalInclTaxCents: receipt.totalInclTaxCents,
    currency: receipt.currency,
    depositedAt: receipt.depositedAt,
    status: receipt.status,
  });
  return { accountName: account.name };
}

/** « Paiement attendu au plus tard le 14/04/2026 (…) » for a fresh receipt (deadline estimated). */
export function expectedPaymentLine(receipt: Pick<DepositReceipt, 'recipientSiret' | 'depositedAt'>): string {
  const terms = paymentTerms({
    recipientSiret: receipt.recipientSiret,
    depositedAt: receipt.depositedAt,
    history: [],
  });
  return T.paymentDueLine(terms.dueBy, terms.days, terms.estimated);
}
