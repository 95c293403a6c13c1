/**
 * What Chorus Pro would refuse in a Factur-X flux, as a pure function of the report's section
 * and what the directory says about its buyer. The conversation and the flux deposit call it
 * with the deposit's `RecipientRules` (or null when the directory does not know the SIRET).
 */
import type {
  ChorusBuyerDirectory,
  ChorusFacturxIssue,
  ChorusFacturxIssueCode,
  FacturxReport,
} from './types.js';
import { CHORUS_FACTURX_MESSAGES } from './messages.js';
import { isProfileAcceptedByChorus } from './profile.js';

const issue = (code: ChorusFacturxIssueCode): ChorusFacturxIssue => ({
  code,
  message: CHORUS_FACTURX_MESSAGES[code],
});

/**
 * Every reason Chorus Pro would refuse this Factur-X as an invoice flux, in a stable order; []
 * when it would take it. `directory` is the directory's answer for the XML's buyer SIRET
 * (`facturx.fields.recipientSiret`): null when unknown, undefined when not looked up (the buyer
 * checks are then skipped, e.g. when the XML has no SIRET).
 */
export function checkFacturxForChorus(
  section: FacturxReport,
  directory: ChorusBuyerDirectory | null | undefined,
): ChorusFacturxIssue[] {
  const out: ChorusFacturxIssue[] = [];
  if (section.profile === null) out.push(issue('profile-unknown'));
  else if (!isProfileAcceptedByChorus(section.profile)) out.push(issue('profile-refused'));
  if (section.valid === false) out.push(issue('xml-invalid'));
  const siret = section.fields.recipientSiret?.value;
  if (!siret) {
    out.push(issue('buyer-siret-missing'));
    return out;
  }
  if (directory === undefined) return out;
  if (directory === null) {
    out.push(issue('buyer-unknown'));
    return out;
  }
  if (!directory.structure.active) {
    out.push(issue('buyer-inactive'));
    return out;
  }
  const serviceCode = section.fields.recipientServiceCode?.value;
  const engagement = section.fields.engagementNumber?.value;
  if (serviceCode) {
    const service = directory.services.find((s) => s.code === serviceCode);
    if (!service) out.push(issue('service-code-unknown'));
    else if (!service.active) out.push(issue('service-inactive'));
    else if (service.engagementRequired && !engagement && !directory.engagementRequired)
      out.push(issue('engagement-required'));
  }
  if (directory.engagementOrServiceRequired) {
    if (!serviceCode && !engagement) out.push(issue('engagement-or-service-required'));
  } else {
    if (directory.serviceCodeRequired && !serviceCode) out.push(issue('service-code-required'));
    if (directory.engagementRequired && !engagement) out.push(issue('engagement-required'));
  }
  return out;
}
