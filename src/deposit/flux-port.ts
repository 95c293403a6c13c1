/**
 * The Factur-X flux deposit (issue #10), part of the `DepositService` facade: deposit a Factur-X
 * PDF through `deposer/flux`, follow its integration report, and find the invoice it became.
 * Also what issue #13 (generated Factur-X) deposits through. Money in cents, dates ISO.
 */
import type { FluxOutcome } from './api/flux.js';
import type { ChorusCredentials, DepositReceipt, Submission } from './port.js';

export type { FluxOutcome } from './api/flux.js';

export interface FluxFile {
  /** Name sent as `nomFichier` (with its `.pdf` extension). */
  fileName: string;
  bytes: Uint8Array;
}

/**
 * What the user confirmed, compared with the XML before anything is sent: a Factur-X whose XML
 * contradicts one of these values is never deposited as a flux. A `Submission` fits.
 */
export type FluxConfirmed = Pick<
  Submission,
  | 'invoiceNumber'
  | 'invoiceDate'
  | 'invoiceType'
  | 'recipientSiret'
  | 'serviceCode'
  | 'engagementNumber'
  | 'marketNumber'
  | 'currency'
  | 'totalExclTaxCents'
  | 'totalTaxCents'
  | 'totalInclTaxCents'
>;

/** A flow Chorus Pro accepted for processing (`numeroFluxDepot`). */
export interface FluxDeposit {
  fluxNumber: string;
  /** ISO instant of the deposit. */
  depositedAt: string;
  syntax: string;
  fileName: string;
  invoiceNumber: string;
  invoiceDate: string;
}

/** The integration report of a flow, read from `consulterCRDetaille`. */
export interface FluxReport {
  fluxNumber: string;
  /** Chorus' own state code (`IN_RECU`, `IN_EN_COURS_TRAITEMENT_CPP`, `IN_INTEGRE`, `IN_REJETE`…). */
  state: string;
  outcome: FluxOutcome;
  /** ISO instant of the current state, when given. */
  at?: string;
  /** Why Chorus Pro rejected (some or all of) the flow, as it says it (French). */
  reasons: string[];
}

export type FluxResult =
  | { outcome: 'integrated'; report: FluxReport; receipt: DepositReceipt }
  | { outcome: 'rejected' | 'incident' | 'pending'; report: FluxReport };

export interface AwaitFluxOptions {
  /** Give up (outcome `pending`) after this long; default the service's `fluxTimeoutMs`. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface FluxDeposits {
  /**
   * Deposits a Factur-X PDF as a flux (`IN_DP_E2_CII_FACTURX`) once: first checks it (XML valid
   * against its profile's XSD — the Schematron is the caller's, see `validateFacturxXml` —,
   * profile accepted by Chorus Pro) and that its XML states exactly `confirmed`
   * (rejects with `FluxNotDepositableError` otherwise, nothing sent). After an unknown outcome,
   * looks the invoice up before answering: `receipt` is set when the flow was found integrated.
   */
  depositFlux(
    creds: ChorusCredentials,
    file: FluxFile,
    confirmed: FluxConfirmed,
  ): Promise<FluxDeposit & { receipt?: DepositReceipt }>;
  /** One reading of the integration report. */
  fluxReport(creds: ChorusCredentials, fluxNumber: string): Promise<FluxReport>;
  /**
   * Follows the report with backoff until the flow is integrated (→ the invoice's receipt),
   * rejected, in incident, or the time limit passes (`pending`).
   */
  awaitFlux(creds: ChorusCredentials, flux: FluxDeposit, options?: AwaitFluxOptions): Promise<FluxResult>;
  /** The invoice an integrated flow became, found by `numeroFluxDepot`; null when none (yet). */
  findFluxInvoice(creds: ChorusCredentials, fluxNumber: string): Promise<DepositReceipt | null>;
  /** The PDF without its invoice XML, for the PDF deposit of a Factur-X (pages unchanged). */
  plainPdfCopy(pdf: Uint8Array): Promise<Uint8Array>;
}
