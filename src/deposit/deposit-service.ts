import { z } from 'zod';
import type { Logger } from '../shared/logger.js';
import { createSilentLogger } from '../shared/logger.js';
import { MAX_PDF_BYTES } from './api/factures.js';
import type { ChorusClient } from './client.js';
import {
  ChorusInputError,
  ChorusRefusedError,
  ChorusTransportError,
  SubmitOutcomeUnknownError,
} from './errors.js';
import {
  receiptFromConsult,
  receiptFromSubmit,
  structureSearchBody,
  toRecognition,
  toSoumettreRequest,
} from './mapping.js';
import { MESSAGES, REFUSAL_MESSAGES } from './messages.js';
import type {
  BankAccount,
  ChorusCredentials,
  DepositReceipt,
  DepositService,
  InvoiceFollowUp,
  RecipientRules,
  ServiceSummary,
  StructureSummary,
  Submission,
  SupplierStructure,
} from './port.js';
import { localRefusals, precheckSubmission } from './precheck.js';
import { renderReceiptPdf } from './receipt-pdf.js';
import { createDirectoryCache } from './directory-cache.js';
import { createFluxDeposits } from './flux-service.js';
import { sleep } from './retry.js';

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

const siretQuery = z
  .string()
  .transform((v) => v.replace(/[\s.]/g, ''))
  .pipe(z.string().regex(/^\d{3,14}$/, MESSAGES.prefixTooShort));

/** The facade the conversation uses, on top of the PISTE client (real Chorus Pro or the simulator). */
export function createDepositService(deps: DepositServiceDeps): DepositService {
  const logger = (deps.logger ?? createSilentLogger()).child({ component: 'deposit' });
  const now = deps.now ?? (() => new Date());
  const maxSubmitAttempts = deps.maxSubmitAttempts ?? 3;
  const lookupAttempts = deps.lookupAttempts ?? 3;
  const lookupDelayMs = deps.lookupDelayMs ?? 500;
  const directory = createDirectoryCache({
    ttlMs: deps.directoryCacheTtlMs ?? 300_000,
    now: () => now().getTime(),
  });
  const clientFor = (creds: ChorusCredentials) => directory.wrap(deps.clientFor(creds));

  async function searchStructures(client: ChorusClient, query: string): Promise<StructureSummary[]> {
    const parsed = siretQuery.safeParse(query);
    if (!parsed.success)
      throw new ChorusInputError('rechercherStructure', parsed.error.issues, MESSAGES.prefixTooShort);
    const result = await client.searchStructures(structureSearchBody(parsed.data));
    return (result.listeStructures ?? [])
      .map((s) => ({
        idStructureCPP: s.idStructureCPP,
        siret: s.identifiantStructure,
        name: s.designationStructure ?? s.identifiantStructure,
        active: s.statut !== 'INACTIVE',
      }))
      .sort((a, b) => Number(b.active) - Number(a.active) || a.siret.localeCompare(b.siret));
  }

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
    async supplierStructures(creds): Promise<SupplierStructure[]> {
      const result = await clientFor(creds).supplierStructures();
      return (result.listeStructures ?? []).map((s) => ({
        idStructureCPP: s.idStructureCPP,
        siret: s.identifiant,
        name: s.designationStructure ?? s.identifiant,
      }));
    },

    async bankAccounts(creds, supplierId): Promise<BankAccount[]> {
      const result = await clientFor(creds).bankAccounts(supplierId);
      return (result.listeCoordonneeBancaire ?? []).map((a) => ({
        id: a.idCoordonneeBancaire,
        label: a.nomCoordonneeBancaire ?? `Compte n° ${a.idCoordonneeBancaire}`,
        ...(a.ibanMasque ? { ibanHint: a.ibanMasque } : {}),
        ...(a.estCompteAffactureur !== null && a.estCompteAffactureur !== undefined
          ? { isFactor: a.estCompteAffactureur }
          : {}),
      }));
    },

    searchStructures: (creds, query) => searchStructures(clientFor(creds), query),

    async recipientRules(creds, idStructureCPP): Promise<RecipientRules> {
      const client = clientFor(creds);
      const [detail, services] = await Promise.all([
        client.consultStructure(idStructureCPP),
        client.structureServices(idStructureCPP),
      ]);
      const info = detail.informationGenerales ?? {};
      const siret = info.identifiantStructure ?? '';
      const listed = /^\d{14}$/.test(siret)
        ? (await searchStructures(client, siret)).find((s) => s.idStructureCPP === idStructureCPP)
        : undefined;
      const serviceList = (services.listeServices ?? []).filter(
        (s) => s.codeService !== 'FACTURES_PUBLIQUES',
      );
      const summaries: ServiceSummary[] = await Promise.all(
        serviceList.slice(0, 50).map(async (s) => {
          const active = s.estActif !== false;
          const summary: ServiceSummary = {
            idService: s.idService,
            code: s.codeService,
            label: s.libelleService ?? s.codeService,
            active,
          };
          if (active) {
            const sd = await client.consultService(idStructureCPP, s.idService);
            if (sd.parametres?.numeroEngagement) summary.engagementRequired = true;
          }
          return summary;
        }),
      );
      const flags = detail.parametres ?? {};
      return {
        structure: {
          idStructureCPP,
          siret,
          name: info.raisonSocialeStructure ?? info.libelleStructure ?? listed?.name ?? siret,
          active: listed?.active ?? true,
        },
        serviceCodeRequired:
          flags.codeServiceDoitEtreRenseigne === true && flags.gestionNumeroEJOuCodeService !== true,
        engagementRequired:
          flags.numeroEJDoitEtreRenseigne === true && flags.gestionNumeroEJOuCodeService !== true,
        engagementOrServiceRequired: flags.gestionNumeroEJOuCodeService === true,
        services: summaries.sort(
          (a, b) => Number(b.active) - Number(a.active) || a.code.localeCompare(b.code),
        ),
      };
    },

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

    async submit(creds, submission): Promise<DepositReceipt> {
      const client = clientFor(creds);
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
    },

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

/** Our schema refused the submission: say which Chorus rule it breaks, in the freelancer's words. */
function explainInput(error: ChorusInputError, submission: Submission): ChorusInputError {
  const local = localRefusals(submission);
  if (local.length === 0) return error;
  return new ChorusInputError(error.operation, error.issues, local.map((r) => r.message).join(' '), local[0]);
}

function toIso(value: string): string {
  const parsed = Date.parse(value.includes('T') ? value : value.replace(' ', 'T'));
  return Number.isNaN(parsed) ? value : new Date(parsed).toISOString();
}
