/**
 * `soumettre` without ever submitting an invoice twice: when the outcome is unknown (timeout,
 * dropped connection) the invoice is searched for before any retry, and a "number already used"
 * right after such an outcome is taken for our own earlier attempt.
 */
import type { Logger } from '../shared/logger.js';
import type { ChorusClient } from './client.js';
import {
  ChorusInputError,
  ChorusRefusedError,
  ChorusTransportError,
  SubmitOutcomeUnknownError,
} from './errors.js';
import { receiptFromConsult, receiptFromSubmit, toSoumettreRequest } from './mapping.js';
import type { DepositReceipt, Submission } from './port.js';
import { localRefusals } from './precheck.js';
import { sleep } from './retry.js';
import { searchStructures } from './structure-directory.js';

export interface InvoiceSubmitterOptions {
  logger: Logger;
  now: () => Date;
  /** `soumettre` attempts when the outcome stays unknown and the invoice is not found. */
  maxSubmitAttempts: number;
  /** Searches for the invoice after an unknown outcome, spaced by `lookupDelayMs`. */
  lookupAttempts: number;
  lookupDelayMs: number;
}

export function createInvoiceSubmitter(options: InvoiceSubmitterOptions) {
  const { logger, now, maxSubmitAttempts, lookupAttempts, lookupDelayMs } = options;

  /** The receipt of an invoice already on Chorus Pro with this number and date, else null. */
  async function findDeposited(
    client: ChorusClient,
    invoiceNumber: string,
    invoiceDate: string,
  ): Promise<DepositReceipt | null> {
    const found = await client.searchInvoices({
      numeroFacture: invoiceNumber,
      periodeDateFactureDu: invoiceDate,
      periodeDateFactureAu: invoiceDate,
      rechercheFactureParFournisseur: { nbResultatsParPage: 20, pageResultatDemandee: 1 },
    });
    const match = (found.listeFactures ?? []).find(
      (f) => f.numeroFacture === invoiceNumber && (!f.dateFacture || f.dateFacture.startsWith(invoiceDate)),
    );
    if (!match) return null;
    const detail = await client.consultInvoice(match.identifiantFactureCPP);
    return receiptFromConsult(detail.facture, now().toISOString());
  }

  async function lookupAfterUnknown(
    client: ChorusClient,
    invoiceNumber: string,
    invoiceDate: string,
  ): Promise<DepositReceipt | null> {
    for (let i = 0; i < lookupAttempts; i++) {
      if (i > 0) await sleep(lookupDelayMs);
      try {
        const receipt = await findDeposited(client, invoiceNumber, invoiceDate);
        if (receipt) return receipt;
      } catch (error) {
        logger.warn({ err: error, invoiceNumber }, 'lookup after unknown soumettre outcome failed');
        if (i === lookupAttempts - 1) throw new SubmitOutcomeUnknownError(invoiceNumber, { cause: error });
      }
    }
    return null;
  }

  async function recipientName(client: ChorusClient, siret: string): Promise<string | undefined> {
    try {
      return (await searchStructures(client, siret)).find((s) => s.siret === siret)?.name;
    } catch (error) {
      // The receipt is still valid without the name; the deposit already happened.
      logger.warn({ err: error }, 'recipient name lookup for the receipt failed');
      return undefined;
    }
  }

  async function submit(client: ChorusClient, submission: Submission): Promise<DepositReceipt> {
    const body = toSoumettreRequest(submission);
    const log = logger.child({ invoiceNumber: submission.invoiceNumber });
    let lastUnknown: unknown;
    for (let attempt = 1; attempt <= maxSubmitAttempts; attempt++) {
      try {
        const result = await client.submit(body);
        log.info({ chorusInvoiceId: result.identifiantFactureCPP, attempt }, 'invoice submitted');
        return receiptFromSubmit(submission, result, {
          recipientName: await recipientName(client, submission.recipientSiret),
          depositedAt: now().toISOString(),
        });
      } catch (error) {
        if (error instanceof ChorusInputError) throw explainInput(error, submission);
        // A "number already used" right after an unknown outcome is our own earlier attempt.
        const ownDuplicate =
          error instanceof ChorusRefusedError &&
          error.refusal?.code === 'invoice-number-used' &&
          lastUnknown !== undefined;
        const unknown = error instanceof ChorusTransportError && error.outcomeUnknown;
        if (!ownDuplicate && !unknown) throw error;
        lastUnknown = error;
        log.warn({ attempt, err: error }, 'soumettre outcome unknown, searching before any retry');
        const found = await lookupAfterUnknown(client, submission.invoiceNumber, submission.invoiceDate);
        if (found) {
          log.info(
            { chorusInvoiceId: found.chorusInvoiceId },
            'invoice found after unknown outcome: not submitted again',
          );
          return found;
        }
        if (ownDuplicate) break;
      }
    }
    throw new SubmitOutcomeUnknownError(submission.invoiceNumber, { cause: lastUnknown });
  }

  return { submit, findDeposited };
}

/** Our schema refused the submission: say which Chorus rule it breaks, in the freelancer's words. */
function explainInput(error: ChorusInputError, submission: Submission): ChorusInputError {
  const local = localRefusals(submission);
  if (local.length === 0) return error;
  return new ChorusInputError(error.operation, error.issues, local.map((r) => r.message).join(' '), local[0]);
}
