import { FacteurError } from '../shared/errors.js';
import { SIM_CODES, refusalForCode } from './api/codes.js';
import { MESSAGES, REFUSAL_MESSAGES } from './messages.js';
import type { Refusal } from './port.js';

/**
 * The deposit part's errors, split by cause (grammY's GrammyError/HttpError split):
 * Chorus answered "no" (ChorusRefusedError), Chorus or PISTE refused our credentials
 * (ChorusAuthError), the exchange itself failed (ChorusTransportError), or our own input was
 * invalid before anything was sent (ChorusInputError).
 */

const OTHER_MESSAGES: Partial<Record<number, string>> = {
  [SIM_CODES.pieceUnknown]: MESSAGES.pieceUnknown,
  [SIM_CODES.notSupplier]: MESSAGES.notSupplier,
  [SIM_CODES.invoiceUnknown]: MESSAGES.invoiceUnknown,
  [SIM_CODES.structureUnknown]: MESSAGES.structureUnknown,
};

/** Chorus Pro answered with a non-zero `codeRetour` (HTTP 400, or 200 with an error code). */
export class ChorusRefusedError extends FacteurError {
  readonly code = 'chorus-refused';
  readonly codeRetour: number;
  readonly libelle: string;
  readonly operation: string;
  /** The refusal reason when the code is one we know (simulator codes). */
  readonly refusal?: Refusal;

  constructor(operation: string, codeRetour: number, libelle: string) {
    const refusalCode = refusalForCode(codeRetour);
    const refusal = refusalCode ? { code: refusalCode, message: REFUSAL_MESSAGES[refusalCode] } : undefined;
    super(
      `Chorus Pro refused ${operation}: codeRetour ${codeRetour} (${libelle})`,
      refusal?.message ??
        OTHER_MESSAGES[codeRetour] ??
        (codeRetour === SIM_CODES.pdfUnreadable
          ? `${MESSAGES.pdfUnreadable} : ${libelle}`
          : `${MESSAGES.refusedGeneric} : ${libelle}`),
    );
    this.codeRetour = codeRetour;
    this.libelle = libelle;
    this.operation = operation;
    this.refusal = refusal;
  }
}

export type AuthFailure = 'piste-client' | 'technical-account' | 'forbidden';

/** PISTE refused the application credentials, or Chorus the technical account (HTTP 401/403). */
export class ChorusAuthError extends FacteurError {
  readonly code = 'chorus-auth-failed';
  readonly failure: AuthFailure;
  readonly operation: string;

  constructor(operation: string, failure: AuthFailure, detail: string) {
    const userMessage =
      failure === 'piste-client'
        ? MESSAGES.pisteRefused
        : failure === 'technical-account'
          ? MESSAGES.techAccountRefused
          : MESSAGES.accessDenied;
    super(`${operation}: authentication failed (${failure}): ${detail}`, userMessage);
    this.failure = failure;
    this.operation = operation;
  }
}

export type TransportFailure =
  'network' | 'timeout' | 'rate-limited' | 'server-error' | 'invalid-response' | 'http-status';

/** The exchange failed: no answer, a 5xx/429 after retries, or an answer we cannot read. */
export class ChorusTransportError extends FacteurError {
  readonly code = 'chorus-unreachable';
  readonly failure: TransportFailure;
  readonly operation: string;
  readonly status?: number;

  constructor(
    operation: string,
    failure: TransportFailure,
    detail: string,
    options?: { cause?: unknown; status?: number },
  ) {
    const userMessage = {
      network: MESSAGES.unreachable,
      timeout: MESSAGES.timeout,
      'rate-limited': MESSAGES.rateLimited,
      'server-error': MESSAGES.serverError,
      'invalid-response': MESSAGES.invalidResponse,
      'http-status': MESSAGES.unreachable,
    }[failure];
    super(`${operation}: ${failure}: ${detail}`, userMessage, options);
    this.failure = failure;
    this.operation = operation;
    this.status = options?.status;
  }

  /** True when the request may have been applied by Chorus Pro (we sent it, no clear answer). */
  get outcomeUnknown(): boolean {
    return (
      this.failure === 'network' ||
      this.failure === 'timeout' ||
      this.failure === 'server-error' ||
      this.failure === 'invalid-response'
    );
  }
}

/** One problem of our input (zod issues fit). */
export interface InputIssue {
  path: PropertyKey[];
  message: string;
}

/** Our own input (a submission, a search) does not satisfy the request schema: nothing was sent. */
export class ChorusInputError extends FacteurError {
  readonly code = 'chorus-input-invalid';
  readonly issues: InputIssue[];
  readonly operation: string;
  /** The refusal reason Chorus would give, when the input breaks one of its rules. */
  readonly refusal?: Refusal;

  constructor(operation: string, issues: InputIssue[], userDetail?: string, refusal?: Refusal) {
    const detail = issues
      .map((i) => `${i.path.map(String).join('.') || '(racine)'} : ${i.message}`)
      .join(' ; ');
    super(`${operation}: invalid input: ${detail}`, userDetail ?? `${MESSAGES.inputInvalid} : ${detail}`);
    this.issues = issues;
    this.operation = operation;
    this.refusal = refusal;
  }
}

/** `submit` could not learn whether Chorus Pro registered the invoice, and it is not found yet. */
export class SubmitOutcomeUnknownError extends FacteurError {
  readonly code = 'chorus-submit-unknown';
  readonly invoiceNumber: string;

  constructor(invoiceNumber: string, options?: { cause?: unknown }) {
    super(`soumettre outcome unknown for invoice ${invoiceNumber}`, MESSAGES.submitUnknownOutcome, options);
    this.invoiceNumber = invoiceNumber;
  }
}

export type DepositError =
  ChorusRefusedError | ChorusAuthError | ChorusTransportError | ChorusInputError | SubmitOutcomeUnknownError;
