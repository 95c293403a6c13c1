import type { Logger } from '../shared/logger.js';
import { createSilentLogger } from '../shared/logger.js';
import { MAX_PDF_BYTES } from './api/factures.js';
import type { ChorusClient } from './client.js';
import { ChorusInputError } from './errors.js';
import { toRecognition } from './mapping.js';
import { REFUSAL_MESSAGES } from './messages.js';
import type { ChorusCredentials, DepositService, InvoiceFollowUp } from './port.js';
import { precheckSubmission } from './precheck.js';
import { renderReceiptPdf } from './receipt-pdf.js';
import { createDirectoryCache } from './directory-cache.js';
import { createFluxDeposits } from './flux-service.js';
import { createInvoiceSubmitter } from './invoice-submit.js';
import { bankAccounts, recipientRules, searchStructures, supplierStructures } from './structure-directory.js';

export interface DepositServiceDeps {
  /** The PISTE client acting with a Facteur account's technical account (see `createChorusClientFactory`). */
  clientFor: (creds: ChorusCredentials) => ChorusClient;
  logger?: Logger;
  now?: () => Date;
  /** `soumettre` attempts when the outcome stays unknown and the invoice is not found (default 3). */
  maxSubmitAttempts?: number;
  /** Searches for the invoice after an unknown outcome, spaced by `lookupDelayMs` (default 3 × 500 ms). */
  lookupAttempts?: number;
  lookupDelayMs?: number;
  /** How long directory reads (structures, rules, services) are reused; 0 disables (default 5 min). */
  directoryCacheTtlMs?: number;
  /** Flux deposit: default follow-up time limit, first polling pause, look-up window (flux-service.ts). */
  fluxTimeoutMs?: number;
  fluxPollBaseMs?: number;
  fluxLookupWindowMs?: number;
}

/** The facade the conversation uses, on top of the PISTE client (real Chorus Pro or the simulator). */
export function createDepositService(deps: DepositServiceDeps): DepositService {
  const logger = (deps.logger ?? createSilentLogger()).child({ component: 'deposit' });
  const now = deps.now ?? (() => new Date());
  const directory = createDirectoryCache({
    ttlMs: deps.directoryCacheTtlMs ?? 300_000,
    now: () => now().getTime(),
  });
  const clientFor = (creds: ChorusCredentials) => directory.wrap(deps.clientFor(creds));
  const { submit, findDeposited } = createInvoiceSubmitter({
    logger,
    now,
    maxSubmitAttempts: deps.maxSubmitAttempts ?? 3,
    lookupAttempts: deps.lookupAttempts ?? 3,
    lookupDelayMs: deps.lookupDelayMs ?? 500,
  });

  const flux = createFluxDeposits({
    clientFor,
    logger,
    now,
    findDeposited,
    fluxTimeoutMs: deps.fluxTimeoutMs,
    fluxPollBaseMs: deps.fluxPollBaseMs,
    fluxLookupWindowMs: deps.fluxLookupWindowMs,
  });

  return {
    ...flux,
    supplierStructures: (creds) => supplierStructures(clientFor(creds)),
    bankAccounts: (creds, supplierId) => bankAccounts(clientFor(creds), supplierId),
    searchStructures: (creds, query) => searchStructures(clientFor(creds), query),
    recipientRules: (creds, idStructureCPP) => recipientRules(clientFor(creds), idStructureCPP),

    async depositPdf(creds, file) {
      if (file.bytes.byteLength > MAX_PDF_BYTES) {
        throw new ChorusInputError(
          'deposerPdfFacture',
          [{ path: ['bytes'], message: `PDF de ${file.bytes.byteLength} octets > ${MAX_PDF_BYTES}` }],
          REFUSAL_MESSAGES['file-too-large'],
        );
      }
      const result = await clientFor(creds).depositPdf(file);
      return toRecognition(result);
    },

    precheck: (creds, submission) => precheckSubmission(clientFor(creds), submission),

    submit: (creds, submission) => submit(clientFor(creds), submission),

    findDeposited: (creds, invoiceNumber, invoiceDate) =>
      findDeposited(clientFor(creds), invoiceNumber, invoiceDate),

    async followUp(creds, chorusInvoiceId): Promise<InvoiceFollowUp> {
      const client = clientFor(creds);
      const [detail, history] = await Promise.all([
        client.consultInvoice(chorusInvoiceId),
        client.invoiceHistory(chorusInvoiceId),
      ]);
      const entries = (history.historiquesDesStatuts?.histoStatut ?? [])
        .map((h) => ({
          status: h.histoStatutCode,
          at: toIso(h.histoStatutDatePassage),
          ...(h.histoStatutCommentaire ? { comment: h.histoStatutCommentaire } : {}),
        }))
        .sort((a, b) => a.at.localeCompare(b.at));
      return {
        chorusInvoiceId,
        invoiceNumber: detail.facture.numeroFacture,
        status: detail.facture.statutFacture,
        history: entries,
      };
    },

    receiptPdf: (receipt) => renderReceiptPdf(receipt),
  };
}

function toIso(value: string): string {
  const parsed = Date.parse(value.includes('T') ? value : value.replace(' ', 'T'));
  return Number.isNaN(parsed) ? value : new Date(parsed).toISOString();
}
