/**
 * The flux deposit of the `DepositService` (flux-port.ts): check, `deposer/flux` once, follow
 * `consulterCRDetaille` with backoff and a time limit, find the invoice by `numeroFluxDepot`.
 * Store-free: surviving a restart (the pending flow's number) is the caller's job.
 */
import type { Logger } from '../shared/logger.js';
import { FACTURX_SYNTAX, fluxOutcome, type SyntaxeFlux } from './api/flux.js';
import { MAX_PDF_BYTES } from './api/factures.js';
import type { ChorusClient } from './client.js';
import { ChorusInputError, ChorusTransportError, SubmitOutcomeUnknownError } from './errors.js';
import { fluxContradictions } from './flux-compare.js';
import { FluxNotDepositableError } from './flux-errors.js';
import { FLUX_FIELD_LABELS, FLUX_MESSAGES } from './flux-messages.js';
import type { FluxDeposits, FluxReport, FluxResult } from './flux-port.js';
import { stripInvoiceXml } from './flux-strip.js';
import { receiptFromConsult } from './mapping.js';
import { REFUSAL_MESSAGES } from './messages.js';
import type { ChorusCredentials, DepositReceipt } from './port.js';
import { sleep } from './retry.js';

export interface FluxServiceDeps {
  clientFor: (creds: ChorusCredentials) => ChorusClient;
  logger: Logger;
  now: () => Date;
  /** Finds a deposited invoice by number and date (the PDF deposit's look-up). */
  findDeposited: (
    client: ChorusClient,
    invoiceNumber: string,
    invoiceDate: string,
  ) => Promise<DepositReceipt | null>;
  /** How long `awaitFlux` follows a flow by default (default 120 s). */
  fluxTimeoutMs?: number;
  /** First pause between two readings of the report (default 1 s; ×1.6 each time, ≤ 15 s). */
  fluxPollBaseMs?: number;
  /** After an unknown `deposer/flux` outcome, how long to look for the invoice (default 30 s). */
  fluxLookupWindowMs?: number;
}

export function createFluxDeposits(deps: FluxServiceDeps): FluxDeposits {
  const logger = deps.logger.child({ part: 'flux' });
  const timeoutDefault = deps.fluxTimeoutMs ?? 120_000;
  const pollBase = deps.fluxPollBaseMs ?? 1_000;
  const lookupWindow = deps.fluxLookupWindowMs ?? 30_000;

  async function report(client: ChorusClient, fluxNumber: string, syntax?: SyntaxeFlux): Promise<FluxReport> {
    const r = await client.call('consulterCRDetaille', {
      numeroFluxDepot: fluxNumber,
      ...(syntax ? { syntaxeFlux: syntax } : {}),
    });
    const reasons = [
      ...(r.listeErreurDP ?? []).map((e) => e.libelleErreurDP.trim()),
      ...(r.listeErreurTechnique ?? []).map((e) =>
        FLUX_MESSAGES.technicalError(e.codeErreur ?? '', e.libelleErreur.trim()),
      ),
    ].filter((x) => x !== '');
    const outcome = fluxOutcome(r.etatCourantDepotFlux);
    if (outcome === 'pending' && !r.etatCourantDepotFlux.startsWith('IN_'))
      logger.warn({ fluxNumber, state: r.etatCourantDepotFlux }, 'unknown flux state, taken as pending');
    const at = r.dateHeureEtatCourantDepotFlux ?? r.dateHeureEtatCourantFlux;
    const parsed = at ? Date.parse(at) : NaN;
    return {
      fluxNumber,
      state: r.etatCourantDepotFlux,
      outcome,
      ...(Number.isNaN(parsed) ? {} : { at: new Date(parsed).toISOString() }),
      reasons,
    };
  }

  async function findFluxInvoice(client: ChorusClient, fluxNumber: string): Promise<DepositReceipt | null> {
    const found = await client.searchInvoices({
      numeroFluxDepot: fluxNumber,
      rechercheFactureParFournisseur: { nbResultatsParPage: 100, pageResultatDemandee: 1 },
    });
    const match = (found.listeFactures ?? []).find(
      (f) => !f.numeroFluxDepot || f.numeroFluxDepot === fluxNumber,
    );
    if (!match) return null;
    const detail = await client.consultInvoice(match.identifiantFactureCPP);
    return receiptFromConsult(detail.facture, deps.now().toISOString());
  }

  /** After an unknown outcome: the invoice, if the flow went through and is integrated already. */
  async function lookAfterUnknown(
    client: ChorusClient,
    number: string,
    date: string,
  ): Promise<DepositReceipt | null> {
    const until = Date.now() + lookupWindow;
    for (let i = 0; ; i++) {
      try {
        const found = await deps.findDeposited(client, number, date);
        if (found) return found;
      } catch (error) {
        logger.warn(
          { err: error, invoiceNumber: number },
          'look-up after unknown deposer/flux outcome failed',
        );
      }
      if (Date.now() >= until) return null;
      await sleep(Math.min(pollBase * 1.6 ** i, 5_000, Math.max(0, until - Date.now())));
    }
  }

  return {
    async depositFlux(creds, file, confirmed) {
      if (file.bytes.byteLength > MAX_PDF_BYTES) {
        throw new ChorusInputError(
          'deposerFluxFacture',
          [{ path: ['bytes'], message: `PDF de ${file.bytes.byteLength} octets > ${MAX_PDF_BYTES}` }],
          REFUSAL_MESSAGES['file-too-large'],
        );
      }
      const { checkFacturxFlux } = await import('../recognition/facturx/flux-check.js');
      // XSD and profile here; the Schematron is the caller's (the conversation validates in the
      // recognition's worker pool, the Factur-X writer checks its output): it would hold this
      // thread for seconds on first use.
      const check = await checkFacturxFlux(file.bytes, { schematron: false });
      if (!check) throw new FluxNotDepositableError('not-facturx', FLUX_MESSAGES.notFacturx);
      const section = check.report;
      if (!check.profileAccepted || !section.invoice)
        throw new FluxNotDepositableError(
          'profile-refused',
          FLUX_MESSAGES.profileRefused(section.profile ?? '?'),
        );
      if (section.valid !== true)
        throw new FluxNotDepositableError('xml-invalid', FLUX_MESSAGES.xmlInvalid(section.errors.length));
      const differs = fluxContradictions(section.invoice, confirmed);
      if (differs.length > 0) {
        throw new FluxNotDepositableError(
          'contradiction',
          FLUX_MESSAGES.contradiction(differs.map((k) => FLUX_FIELD_LABELS[k] ?? k).join(', ')),
          differs,
        );
      }
      const client = deps.clientFor(creds);
      const log = logger.child({ invoiceNumber: confirmed.invoiceNumber });
      try {
        const r = await client.call('deposerFlux', {
          fichierFlux: Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength).toString(
            'base64',
          ),
          nomFichier: file.fileName,
          syntaxeFlux: FACTURX_SYNTAX,
          avecSignature: false,
        });
        const parsed = r.dateDepot ? Date.parse(r.dateDepot.replace(' ', 'T')) : NaN;
        log.info({ fluxNumber: r.numeroFluxDepot }, 'flux deposited');
        return {
          fluxNumber: r.numeroFluxDepot,
          depositedAt: Number.isNaN(parsed) ? deps.now().toISOString() : new Date(parsed).toISOString(),
          syntax: r.syntaxeFlux ?? FACTURX_SYNTAX,
          fileName: file.fileName,
          invoiceNumber: confirmed.invoiceNumber,
          invoiceDate: confirmed.invoiceDate,
        };
      } catch (error) {
        if (!(error instanceof ChorusTransportError && error.outcomeUnknown)) throw error;
        log.warn({ err: error }, 'deposer/flux outcome unknown, looking the invoice up before anything else');
        const found = await lookAfterUnknown(client, confirmed.invoiceNumber, confirmed.invoiceDate);
        if (!found) throw new SubmitOutcomeUnknownError(confirmed.invoiceNumber, { cause: error });
        log.info({ chorusInvoiceId: found.chorusInvoiceId }, 'flux found integrated after unknown outcome');
        return {
          fluxNumber: '',
          depositedAt: found.depositedAt,
          syntax: FACTURX_SYNTAX,
          fileName: file.fileName,
          invoiceNumber: confirmed.invoiceNumber,
          invoiceDate: confirmed.invoiceDate,
          receipt: found,
        };
      }
    },

    fluxReport: (creds, fluxNumber) => report(deps.clientFor(creds), fluxNumber, FACTURX_SYNTAX),

    async awaitFlux(creds, flux, options = {}): Promise<FluxResult> {
      const client = deps.clientFor(creds);
      const limit = Date.now() + (options.timeoutMs ?? timeoutDefault);
      let last: FluxReport | undefined;
      for (let i = 0; ; i++) {
        try {
          last = await report(client, flux.fluxNumber, FACTURX_SYNTAX);
        } catch (error) {
          // A report that cannot be read now is read again later; the time limit still applies.
          if (!(error instanceof ChorusTransportError)) throw error;
          logger.warn({ err: error, fluxNumber: flux.fluxNumber }, 'integration report not read');
        }
        if (last && last.outcome !== 'pending') {
          if (last.outcome !== 'integrated') return { outcome: last.outcome, report: last };
          // Integrated: the invoice may show in the search a moment later.
          const receipt = await findFluxInvoice(client, flux.fluxNumber);
          if (receipt) return { outcome: 'integrated', report: last, receipt };
        }
        const wait = Math.min(pollBase * 1.6 ** i, 15_000);
        if (Date.now() + wait > limit) {
          return {
            outcome: 'pending',
            report: last ?? {
              fluxNumber: flux.fluxNumber,
              state: 'INCONNU',
              outcome: 'pending',
              reasons: [],
            },
          };
        }
        await sleep(wait, options.signal);
      }
    },

    findFluxInvoice: (creds, fluxNumber) => findFluxInvoice(deps.clientFor(creds), fluxNumber),

    async plainPdfCopy(pdf) {
      return (await stripInvoiceXml(pdf)).bytes;
    },
  };
}
