/**
 * Chorus Pro deposit: the PISTE client, the DepositService facade the conversation uses, and the
 * embedded simulator. Common first, expert last.
 */
export type * from './port.js';
export type * from './flux-port.js';
export { createDepositService, type DepositServiceDeps } from './deposit-service.js';
export {
  createChorusClient,
  createChorusClientFactory,
  createTokenProviderFor,
  type ChorusClient,
  type ChorusClientDeps,
  type ChorusInstallation,
} from './client.js';
export {
  ChorusAuthError,
  ChorusInputError,
  ChorusRefusedError,
  ChorusTransportError,
  SubmitOutcomeUnknownError,
  type DepositError,
} from './errors.js';
export {
  SimulatorBusyError,
  startSimulator,
  SIMULATOR_DEFAULTS,
  type RunningSimulator,
  type SimulatorOptions,
  type FaultSpec,
  type SimInvoice,
  type SimFlux,
  type FluxTimings,
} from './simulator/index.js';
export { renderReceiptPdf, formatDepositInstant, statusLabel } from './receipt-pdf.js';
export { REFUSAL_MESSAGES } from './messages.js';
export { formatEuros } from './money.js';
export { createPisteTokenProvider, type TokenProvider } from './token-provider.js';
export { OPERATIONS, type OperationKey, type RequestOf, type ResponseOf } from './api/operations.js';
export { SIM_CODES } from './api/codes.js';
export {
  resolveChorus,
  technicalCredentials,
  type ChorusResolution,
  type ResolveChorusOptions,
} from './chorus-resolution.js';
export { openChorusEnvironment, type ChorusEnvironment, type OpenChorusOptions } from './environment.js';
export { formatReceiptText, formatRefusals, formatRules, formatStructures } from './format.js';
export type * from './follow-up-port.js';
export { createFollowUpService, type FollowUpServiceDeps } from './follow-up-service.js';
export { FOLLOW_UP_SIM_CODES } from './simulator/follow-up-routes.js';
export { FluxNotDepositableError, FluxPendingError, FluxRejectedError } from './flux-errors.js';
export { fluxContradictions, fluxValuesOf } from './flux-compare.js';
export { stripInvoiceXml, mayHaveEmbeddedFiles } from './flux-strip.js';
export { FACTURX_SYNTAX, fluxOutcome } from './api/flux.js';
