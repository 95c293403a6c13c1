import { INVOICE_NUMBER_PATTERN, MAX_FILE_NAME, MAX_PDF_BYTES } from './api/factures.js';
import type { ChorusClient } from './client.js';
import { structureSearchBody } from './mapping.js';
import { REFUSAL_MESSAGES } from './messages.js';
import type { Refusal, RefusalCode, Submission } from './port.js';

const refusal = (code: RefusalCode): Refusal => ({ code, message: REFUSAL_MESSAGES[code] });

/** Checks that need no Chorus Pro call: number format, file, totals, validator. */
export function localRefusals(s: Submission): Refusal[] {
  const out: Refusal[] = [];
  if (!INVOICE_NUMBER_PATTERN.test(s.invoiceNumber)) out.push(refusal('invoice-number-invalid'));
  if (s.fileSize > MAX_PDF_BYTES) out.push(refusal('file-too-large'));
  if (s.fileName.length > MAX_FILE_NAME || /[\\/]/.test(s.fileName)) out.push(refusal('file-name-too-long'));
  if (s.totalExclTaxCents + s.totalTaxCents !== s.totalInclTaxCents) out.push(refusal('totals-mismatch'));
  if ((s.cadre === 'A9' || s.cadre === 'A12') && !s.validatorSiret) out.push(refusal('validator-required'));
  return out;
}

/**
 * Every reason Chorus Pro would refuse `s`, asking Chorus what only Chorus knows (recipient,
 * its rules and services, bank details, numbers already used). Independent questions go out in
 * parallel; the answer lists all refusals, in a stable order.
 */
export async function precheckSubmission(client: ChorusClient, s: Submission): Promise<Refusal[]> {
  const out = localRefusals(s);
  const [recipient, banks, used] = await Promise.all([
    client.searchStructures(structureSearchBody(s.recipientSiret)),
    client.bankAccounts(s.supplierId),
    INVOICE_NUMBER_PATTERN.test(s.invoiceNumber)
      ? client.searchInvoices({ idFournisseur: s.supplierId, numeroFacture: s.invoiceNumber })
      : Promise.resolve(undefined),
  ]);

  const accounts = banks.listeCoordonneeBancaire ?? [];
  const bankOk = s.bankAccountId
    ? accounts.some((a) => a.idCoordonneeBancaire === s.bankAccountId)
    : accounts.length === 0;
  if (!bankOk) out.push(refusal('bank-account-invalid'));
  if (used?.listeFactures?.some((f) => f.numeroFacture === s.invoiceNumber && f.statut !== 'SUPPRIMEE')) {
    out.push(refusal('invoice-number-used'));
  }

  const structure = recipient.listeStructures?.find((x) => x.identifiantStructure === s.recipientSiret);
  if (!structure) return sortRefusals([...out, refusal('recipient-unknown')]);
  if (structure.statut === 'INACTIVE') return sortRefusals([...out, refusal('recipient-inactive')]);

  const [detail, services] = await Promise.all([
    client.consultStructure(structure.idStructureCPP),
    client.structureServices(structure.idStructureCPP),
  ]);
  const flags = detail.parametres ?? {};
  const list = services.listeServices ?? [];
  if (s.serviceCode) {
    const service = list.find((x) => x.codeService === s.serviceCode);
    if (!service) out.push(refusal('service-unknown'));
    else if (service.estActif === false) out.push(refusal('service-inactive'));
    else if (!s.engagementNumber) {
      const serviceDetail = await client.consultService(structure.idStructureCPP, service.idService);
      if (serviceDetail.parametres?.numeroEngagement && !flags.numeroEJDoitEtreRenseigne)
        out.push(refusal('engagement-required'));
    }
  }
  if (flags.gestionNumeroEJOuCodeService) {
    if (!s.serviceCode && !s.engagementNumber) out.push(refusal('engagement-or-service-required'));
  } else {
    if (flags.codeServiceDoitEtreRenseigne && !s.serviceCode) out.push(refusal('service-required'));
    if (flags.numeroEJDoitEtreRenseigne && !s.engagementNumber) out.push(refusal('engagement-required'));
  }
  return sortRefusals(out);
}

const ORDER: RefusalCode[] = [
  'recipient-unknown',
  'recipient-inactive',
  'service-required',
  'service-unknown',
  'service-inactive',
  'engagement-required',
  'engagement-or-service-required',
  'validator-required',
  'invoice-number-invalid',
  'invoice-number-used',
  'bank-account-invalid',
  'totals-mismatch',
  'file-too-large',
  'file-name-too-long',
];

function sortRefusals(list: Refusal[]): Refusal[] {
  const seen = new Set<RefusalCode>();
  return list
    .filter((r) => (seen.has(r.code) ? false : (seen.add(r.code), true)))
    .sort((a, b) => ORDER.indexOf(a.code) - ORDER.indexOf(b.code));
}
