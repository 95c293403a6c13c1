import { ChorusAuthError, ChorusRefusedError } from '../deposit/errors.js';
import type { ChorusCredentials, DepositReceipt, DepositService, Submission } from '../deposit/port.js';
import type { InspectionReport, Recognizer } from '../recognition/types.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/types.js';
import { guarded } from './actor-failure.js';
import { analyseInvoice, lookupRecipientOn } from './analyse-invoice.js';
import { submitAsFlux, type FluxSubmitDeps } from './facturx-submit.js';
import { submitFacturxAuto } from './facturx-auto-submit.js';
import type { FacturxOutPort } from './facturx-out-service.js';
import type { DraftContext } from './types.js';

/**
 * The real implementations of the machine's actors for one draft: recognition engine, Chorus Pro
 * through the deposit service, and the store (PDF, deposit record). Errors become plain
 * `ActorFailure`s with the French message of the typed error.
 */

export interface DraftActorDeps {
  store: Store;
  recognizer: Recognizer;
  deposit: DepositService;
  logger: Logger;
  /** The Chorus technical account an account acts with. */
  credentials: (accountId: string) => Promise<ChorusCredentials>;
  /** Delay between automatic submit retries (ms); the machine doubles it each time. */
  submitRetryDelayMs: number;
  /** How long one follow-up of a Factur-X flow lasts before « still being processed » (default 120 s). */
  fluxFollowTimeoutMs?: number;
  /** Makes the Factur-X for the accounts with « factur-x auto » on (absent: always the PDF). */
  facturxOut?: FacturxOutPort;
}

export interface DraftScope {
  accountId: string;
  conversationId: string;
  /** Persists the machine's current snapshot (called before Chorus `soumettre`). */
  checkpoint: () => Promise<void>;
  /** The PDF read and its report, for the preview drawn once the report is out (follow-up). */
  onRead?: (pdf: Uint8Array, report: InspectionReport) => void;
  /** The draft's current context (« factur-x auto » makes the Factur-X from it). */
  context?: () => DraftContext | undefined;
}

/** The actors' work for one draft (bound to the machine by draft-machine-provider.ts). */
export type DraftActorImpl = ReturnType<typeof draftActorsFor>;

export function draftActorsFor(deps: DraftActorDeps, scope: DraftScope) {
  const { store, deposit, recognizer } = deps;
  const logger = deps.logger.child({ conversation: scope.conversationId });
  const creds = () => deps.credentials(scope.accountId);

  async function loadPdf() {
    const files = await store.files.listByConversation(scope.conversationId);
    const pdf = files.find((f) => f.kind === 'invoice-pdf');
    const got = pdf ? await store.files.get(pdf.id) : undefined;
    if (!got) throw new Error('invoice PDF missing from the store');
    return got;
  }

  async function completeDeposit(receipt: DepositReceipt): Promise<DepositReceipt> {
    let fileId: string | undefined;
    try {
      const pdf = await deposit.receiptPdf(receipt);
      const stored = await store.files.put({
        kind: 'receipt-pdf',
        fileName: `recapitulatif-${receipt.invoiceNumber.replace(/[^\w-]+/g, '_')}.pdf`,
        mimeType: 'application/pdf',
        bytes: pdf,
        accountId: scope.accountId,
        conversationId: scope.conversationId,
      });
      fileId = stored.id;
    } catch (error) {
      logger.warn({ err: error }, 'receipt pdf not rendered');
    }
    await store.deposits.complete(scope.conversationId, receipt, fileId);
    await store.audit.record({
      action: 'deposit.submitted',
      accountId: scope.accountId,
      conversationId: scope.conversationId,
      details: { chorusInvoiceId: receipt.chorusInvoiceId, invoiceNumber: receipt.invoiceNumber },
    });
    logger.info({ chorusInvoiceId: receipt.chorusInvoiceId }, 'invoice deposited');
    return receipt;
  }

  /** Never deposits twice: a previous attempt is looked for on Chorus Pro before any new submit. */
  async function submit(submission: Submission): Promise<DepositReceipt> {
    const previous = await store.deposits.get(scope.conversationId);
    if (previous?.state === 'deposited' && previous.receipt) return previous.receipt;
    const c = await creds();
    if (previous?.state === 'in-flight') {
      const found = await deposit.findDeposited(c, previous.invoiceNumber, previous.invoiceDate);
      if (found) {
        logger.info({ chorusInvoiceId: found.chorusInvoiceId }, 'previous submit found on Chorus Pro');
        return completeDeposit(found);
      }
    }
    await scope.checkpoint();
    const marked = await store.deposits.markInFlight({
      conversationId: scope.conversationId,
      accountId: scope.accountId,
      invoiceNumber: submission.invoiceNumber,
      invoiceDate: submission.invoiceDate,
    });
    if (!marked) {
      const done = await store.deposits.get(scope.conversationId);
      if (done?.receipt) return done.receipt;
    }
    try {
      return await completeDeposit(await deposit.submit(c, submission));
    } catch (error) {
      if (error instanceof ChorusRefusedError || error instanceof ChorusAuthError) {
        await store.deposits.fail(scope.conversationId, `${error.code}: ${error.userMessage}`);
      }
      throw error;
    }
  }

  const fluxDeps: FluxSubmitDeps = {
    store,
    deposit,
    logger,
    conversationId: scope.conversationId,
    accountId: scope.accountId,
    creds,
    checkpoint: scope.checkpoint,
    loadPdf,
    completeDeposit,
    followTimeoutMs: deps.fluxFollowTimeoutMs,
  };

  /** The plain PDF, or — « factur-x auto » on — the Factur-X as a flux with the PDF as fallback. */
  async function submitDefault(submission: Submission): Promise<DepositReceipt> {
    const port = deps.facturxOut;
    if (!port || !scope.context || !(await store.accounts.facturxAuto(scope.accountId)))
      return submit(submission);
    const context = scope.context;
    return submitFacturxAuto({ ...fluxDeps, recognizer, port, context, submitPdf: submit }, submission);
  }

  return {
    analyseInvoice: () =>
      guarded(logger, 'analyseInvoice', () =>
        analyseInvoice({ deposit, recognizer, logger, creds, loadPdf, onRead: scope.onRead }),
      ),
    lookupRecipient: (siret: string) =>
      guarded(logger, 'lookupRecipient', async () => lookupRecipientOn(deposit, await creds(), siret)),
    searchStructures: (prefix: string) =>
      guarded(logger, 'searchStructures', async () => deposit.searchStructures(await creds(), prefix)),
    loadBankAccounts: (supplierId: number) =>
      guarded(logger, 'loadBankAccounts', async () => deposit.bankAccounts(await creds(), supplierId)),
    precheck: (submission: Submission) =>
      guarded(logger, 'precheck', async () => deposit.precheck(await creds(), submission)),
    submitInvoice: (input: { submission: Submission; flux?: boolean }) =>
      guarded(logger, 'submitInvoice', () =>
        input.flux ? submitAsFlux(fluxDeps, input.submission) : submitDefault(input.submission),
      ),
  };
}
