/**
 * The deposit of a draft as a Factur-X flux, for the submit actor: never twice, across crashes
 * and timeouts. Before anything is sent the flow is marked (durably) in the store; a flow already
 * marked is followed, or — when its answer was lost — looked up on Chorus Pro first. Then the
 * integration report is followed with backoff until integrated (→ the receipt), rejected (→ the
 * draft stays open with Chorus Pro's reasons) or the time limit (→ retried later, same flow).
 */
import { FluxNotDepositableError, FluxPendingError, FluxRejectedError } from '../deposit/flux-errors.js';
import type { FluxDeposit } from '../deposit/flux-port.js';
import type { ChorusCredentials, DepositReceipt, DepositService, Submission } from '../deposit/port.js';
import { sleep } from '../deposit/retry.js';
import type { Logger } from '../shared/logger.js';
import type { FluxDepositRecord, Store } from '../store/types.js';
import type { ActorFailure } from './types.js';

export interface FluxSubmitDeps {
  store: Store;
  deposit: DepositService;
  logger: Logger;
  conversationId: string;
  accountId: string;
  creds: () => Promise<ChorusCredentials>;
  checkpoint: () => Promise<void>;
  loadPdf: () => Promise<{ file: { fileName: string }; bytes: Uint8Array }>;
  completeDeposit: (receipt: DepositReceipt) => Promise<DepositReceipt>;
  /** How long one follow-up lasts before the draft says « still being processed » (default 120 s). */
  followTimeoutMs?: number;
  /** After a crash between sending and Chorus' answer, how long to look for the invoice (default 20 s). */
  lookupWindowMs?: number;
}

const failure = (code: string, message: string, transient: boolean, reasons?: string[]): ActorFailure => ({
  code,
  message,
  transient,
  ...(reasons ? { reasons } : {}),
});

export async function submitAsFlux(deps: FluxSubmitDeps, submission: Submission): Promise<DepositReceipt> {
  const { store, deposit, conversationId } = deps;
  const logger = deps.logger.child({ flux: true });
  const previous = await store.deposits.get(conversationId);
  if (previous?.state === 'deposited' && previous.receipt) return previous.receipt;
  const c = await deps.creds();
  let record = await store.fluxDeposits.get(conversationId);

  if (record?.state === 'integrated' && record.fluxNumber) {
    const found = await deposit.findFluxInvoice(c, record.fluxNumber);
    if (found) return deps.completeDeposit(found);
  }
  if (record?.state === 'sending') {
    // Sent before a crash or a lost answer, number unknown: is the invoice on Chorus Pro already?
    const found = await lookUp(deps, c, record);
    if (found) {
      logger.info({ chorusInvoiceId: found.chorusInvoiceId }, 'flux sent before a restart found integrated');
      await store.fluxDeposits.update(conversationId, 'integrated', { chorusState: 'IN_INTEGRE' });
      return deps.completeDeposit(found);
    }
    await store.fluxDeposits.update(conversationId, 'abandoned');
    record = await store.fluxDeposits.get(conversationId);
  }

  let flux: FluxDeposit;
  if (record?.state === 'pending' && record.fluxNumber) {
    logger.info({ fluxNumber: record.fluxNumber }, 'following the flux deposited earlier');
    flux = fromRecord(record);
  } else {
    await deps.checkpoint();
    await store.deposits.markInFlight({
      conversationId,
      accountId: deps.accountId,
      invoiceNumber: submission.invoiceNumber,
      invoiceDate: submission.invoiceDate,
    });
    const { file, bytes } = await deps.loadPdf();
    const fileName = /\.pdf$/i.test(file.fileName) ? file.fileName : `${file.fileName}.pdf`;
    const began = await store.fluxDeposits.begin({
      conversationId,
      accountId: deps.accountId,
      invoiceNumber: submission.invoiceNumber,
      invoiceDate: submission.invoiceDate,
      fileName,
    });
    if (!began) throw failure('flux-busy', 'Un dépôt de cette facture est déjà en cours.', true);
    let sent: Awaited<ReturnType<DepositService['depositFlux']>>;
    try {
      sent = await deposit.depositFlux(c, { fileName, bytes }, submission);
    } catch (error) {
      if (error instanceof FluxNotDepositableError) {
        await store.fluxDeposits.update(conversationId, 'abandoned');
        await store.deposits.fail(conversationId, `${error.code}: ${error.userMessage}`);
        throw failure('flux-not-depositable', error.userMessage, false, [error.userMessage]);
      }
      // Unknown outcome: the record stays `sending`; a retry looks the invoice up first.
      throw error;
    }
    if (sent.receipt) {
      await store.fluxDeposits.update(conversationId, 'integrated', { chorusState: 'IN_INTEGRE' });
      return deps.completeDeposit(sent.receipt);
    }
    await store.fluxDeposits.accepted(conversationId, sent.fluxNumber, sent.depositedAt);
    await store.audit.record({
      action: 'deposit.flux-sent',
      accountId: deps.accountId,
      conversationId,
      details: { fluxNumber: sent.fluxNumber, invoiceNumber: submission.invoiceNumber },
    });
    flux = sent;
  }
  return follow(deps, c, flux);
}

async function follow(
  deps: FluxSubmitDeps,
  c: ChorusCredentials,
  flux: FluxDeposit,
): Promise<DepositReceipt> {
  const { store, conversationId } = deps;
  const result = await deps.deposit.awaitFlux(c, flux, { timeoutMs: deps.followTimeoutMs ?? 120_000 });
  const detail = { chorusState: result.report.state, reasons: result.report.reasons };
  switch (result.outcome) {
    case 'integrated':
      await store.fluxDeposits.update(conversationId, 'integrated', detail);
      deps.logger.info({ fluxNumber: flux.fluxNumber }, 'flux integrated');
      return deps.completeDeposit(result.receipt);
    case 'rejected':
    case 'incident': {
      await store.fluxDeposits.update(conversationId, result.outcome, detail);
      const error = new FluxRejectedError(result.report);
      await store.deposits.fail(conversationId, `${error.code}: ${result.report.state}`);
      deps.logger.warn({ fluxNumber: flux.fluxNumber, state: result.report.state }, 'flux rejected');
      throw failure(
        result.outcome === 'incident' ? 'flux-incident' : 'flux-rejected',
        error.userMessage,
        false,
        result.report.reasons,
      );
    }
    case 'pending': {
      await store.fluxDeposits.update(conversationId, 'pending', { chorusState: result.report.state });
      const error = new FluxPendingError(flux.fluxNumber);
      throw failure(error.code, error.userMessage, true);
    }
  }
}

async function lookUp(
  deps: FluxSubmitDeps,
  c: ChorusCredentials,
  record: FluxDepositRecord,
): Promise<DepositReceipt | null> {
  const until = Date.now() + (deps.lookupWindowMs ?? 20_000);
  for (let i = 0; ; i++) {
    const found = await deps.deposit.findDeposited(c, record.invoiceNumber, record.invoiceDate);
    if (found) return found;
    if (Date.now() >= until) return null;
    await sleep(Math.min(500 * 1.6 ** i, 4_000));
  }
}

function fromRecord(r: FluxDepositRecord): FluxDeposit {
  return {
    fluxNumber: r.fluxNumber ?? '',
    depositedAt: r.depositedAt ?? r.startedAt,
    syntax: 'IN_DP_E2_CII_FACTURX',
    fileName: r.fileName,
    invoiceNumber: r.invoiceNumber,
    invoiceDate: r.invoiceDate,
  };
}
