import { FacteurError } from '../shared/errors.js';
import { FLUX_MESSAGES } from './flux-messages.js';
import type { FluxReport } from './flux-port.js';

export type FluxNotDepositableReason = 'not-facturx' | 'xml-invalid' | 'profile-refused' | 'contradiction';

/** The PDF may not go as a flux (checked before anything is sent): deposit it as a plain PDF. */
export class FluxNotDepositableError extends FacteurError {
  readonly code = 'flux-not-depositable';
  readonly reason: FluxNotDepositableReason;
  /** Confirmed fields the XML contradicts (reason `contradiction`). */
  readonly fields: string[];

  constructor(reason: FluxNotDepositableReason, userMessage: string, fields: string[] = []) {
    super(
      `Factur-X not depositable as a flux: ${reason}${fields.length ? ` (${fields.join(', ')})` : ''}`,
      userMessage,
    );
    this.reason = reason;
    this.fields = fields;
  }
}

/** Chorus Pro processed the flow and rejected it (or could not process it: `incident`). */
export class FluxRejectedError extends FacteurError {
  readonly code = 'flux-rejected';
  readonly report: FluxReport;

  constructor(report: FluxReport) {
    super(
      `flux ${report.fluxNumber} ${report.state}: ${report.reasons.join(' | ').slice(0, 500)}`,
      report.outcome === 'incident' ? FLUX_MESSAGES.incident : FLUX_MESSAGES.rejected,
    );
    this.report = report;
  }
}

/** The flow is still being processed when the time limit passed; following it resumes later. */
export class FluxPendingError extends FacteurError {
  readonly code = 'flux-pending';
  readonly fluxNumber: string;

  constructor(fluxNumber: string) {
    super(`flux ${fluxNumber} still pending`, FLUX_MESSAGES.pending(fluxNumber));
    this.fluxNumber = fluxNumber;
  }
}
