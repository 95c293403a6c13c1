/**
 * The validation state of a report's `facturx` section: pending in the fast report, completed by
 * `withValidation`. Light on purpose (no XML parser): the main thread's recognizer uses it.
 */
import type { InspectionReport, Violation } from '../types.js';
import { violationMessage } from '../messages.js';
import type { FacturxValidation } from './types.js';

export function invalidViolation(errorCount: number): Violation {
  return {
    rule: 'facturx-invalid',
    message: violationMessage('facturx-invalid', { errorCount: Math.max(1, errorCount) }),
  };
}

/** True when the report's Factur-X still waits for its validation. */
export function isValidationPending(report: InspectionReport): boolean {
  return report.facturx !== null && report.facturx !== undefined && report.facturx.valid === null;
}

/** A copy of `report` with the validation's outcome in its `facturx` section and violations. */
export function withValidation(report: InspectionReport, validation: FacturxValidation): InspectionReport {
  if (!report.facturx) return report;
  const errors = [...report.facturx.errors, ...validation.errors];
  const valid = validation.valid && errors.length === 0;
  const violations = report.violations.filter((v) => v.rule !== 'facturx-invalid');
  if (!valid) violations.push(invalidViolation(errors.length));
  return { ...report, facturx: { ...report.facturx, valid, errors }, violations };
}
