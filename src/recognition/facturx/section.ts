/**
 * The `facturx` section of the inspection report and the violations it brings. Built in two
 * steps so the first report never waits for validation: `buildFacturxSection` (detection and
 * parse, a few milliseconds) leaves `valid: null`; `withValidation` completes it.
 */
import type { InspectionReport, Violation } from '../types.js';
import { violationMessage } from '../messages.js';
import type { FacturxReport, FacturxValidation, FacturxXmp } from './types.js';
import type { InvoiceXmlAttachment } from './detect.js';
import { readCii } from './cii-reader.js';
import { facturxFields, findMismatches } from './fields.js';
import { isProfileAcceptedByChorus, profileFromGuideline, profileFromXmpLevel } from './profile.js';

/** The section for an invoice XML found in the PDF, compared with the printed fields. */
export function buildFacturxSection(
  found: InvoiceXmlAttachment,
  xmp: FacturxXmp | null,
  printed: InspectionReport['fields'],
): FacturxReport {
  const read = readCii(found.xml);
  const extra = xmp ? { xmp } : {};
  if (!read.ok) {
    return {
      fileName: found.fileName,
      profile: profileFromGuideline(read.guideline),
      guideline: read.guideline,
      valid: false,
      errors: [read.error],
      fields: {},
      mismatches: [],
      ...extra,
    };
  }
  const invoice = read.invoice;
  const profile = invoice.profile ?? (invoice.guideline ? null : profileFromXmpLevel(xmp?.conformanceLevel));
  const fields = facturxFields(invoice);
  const section: FacturxReport = {
    fileName: found.fileName,
    profile,
    guideline: invoice.guideline || null,
    valid: null,
    errors: [],
    fields,
    mismatches: findMismatches(printed, fields),
    invoice,
    ...extra,
  };
  if (profile === null) {
    section.valid = false;
    section.errors.push({
      source: 'profile',
      rule: 'unknown-profile',
      message: invoice.guideline
        ? `The guideline ${invoice.guideline} names no Factur-X profile.`
        : 'The document has no guideline (BT-24): its profile is unknown.',
    });
  }
  return section;
}

/** The violations a freshly built section brings (mismatches, refused profile, broken XML). */
export function facturxViolations(section: FacturxReport): Violation[] {
  const out: Violation[] = section.mismatches.map((m) => ({
    rule: 'facturx-mismatch',
    field: m.field,
    message: violationMessage('facturx-mismatch', { field: m.field, printed: m.printed, xml: m.xml }),
  }));
  // An XML that cannot be read has no profile to judge: `facturx-invalid` says it all.
  const unreadable = section.errors.some((e) => e.source === 'xml');
  if (!unreadable && !isProfileAcceptedByChorus(section.profile)) {
    out.push({
      rule: 'facturx-profile-refused',
      message: violationMessage('facturx-profile-refused', { profile: section.profile }),
    });
  }
  if (section.valid === false) out.push(invalidViolation(section.errors.length));
  return out;
}

function invalidViolation(errorCount: number): Violation {
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
