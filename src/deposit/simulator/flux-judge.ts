/**
 * How the simulated Chorus Pro judges a Factur-X flow when it receives it: the XML found, valid
 * (XSD + Schematron of its profile), a profile Chorus takes, a seller the technical account may
 * invoice for, a buyer the directory knows with the service code and engagement it requires, an
 * unused invoice number, a payment means. The verdict and its reasons are kept with the flow and
 * revealed when its processing ends (flux-routes.ts).
 */
import { createHash } from 'node:crypto';
import type { ChorusBuyerDirectory, CiiInvoice } from '../../recognition/facturx/types.js';
import { CADRE_CODES, INVOICE_NUMBER_PATTERN } from '../api/factures.js';
import { fluxValuesOf } from '../flux-compare.js';
import { isProfileAcceptedByChorus } from '../../recognition/facturx/profile.js';
import { centsToAmount } from './flux-money.js';
import type { SeedAccount, SeedStructure } from './seed.js';
import type { SimFlux } from './store.js';
import type { World } from './world.js';

type Verdict = Pick<SimFlux, 'verdict' | 'errorsDP' | 'errorsTech' | 'invoice'>;

export function directoryOf(structure: SeedStructure | undefined): ChorusBuyerDirectory | null {
  if (!structure) return null;
  return {
    structure: { active: structure.active, siret: structure.siret },
    serviceCodeRequired: structure.rules.serviceCodeRequired && !structure.rules.engagementOrService,
    engagementRequired: structure.rules.engagementRequired && !structure.rules.engagementOrService,
    engagementOrServiceRequired: structure.rules.engagementOrService,
    services: structure.services.map((s) => ({
      code: s.code,
      active: s.active,
      engagementRequired: s.engagementRequired,
    })),
  };
}

const tech = (code: string, libelle: string) => ({ code, libelle, nature: 'BLOQUANTE' });

export async function judgeFlux(
  world: World,
  account: SeedAccount,
  pdf: Uint8Array,
  fileName: string,
): Promise<Verdict> {
  const { checkFacturxForChorus } = await import('../../recognition/facturx/chorus-checks.js');
  // The recognition's worker pool reads and validates (XSD + Schematron): the simulator's
  // thread, often the bot's own, is never held by a validation.
  const fast = await world.recognizer.inspect(pdf, fileName);
  const validated = fast.facturx ? (await world.recognizer.validateFacturx(pdf, fast)).facturx : null;
  const check = validated
    ? { report: validated, profileAccepted: isProfileAcceptedByChorus(validated.profile) }
    : null;
  const reject = (errorsTech: Verdict['errorsTech'], errorsDP: Verdict['errorsDP'] = []): Verdict => ({
    verdict: 'reject',
    errorsDP,
    errorsTech,
  });
  if (!check)
    return reject([tech('FX-001', 'Aucune facture XML (factur-x.xml) n’a été trouvée dans le PDF.')]);
  const section = check.report;
  if (!check.profileAccepted || !section.invoice)
    return reject([
      tech(
        'FX-002',
        `Le profil Factur-X ${section.profile ?? 'inconnu'} n’est pas accepté pour une facture.`,
      ),
    ]);
  if (section.valid !== true) {
    return reject(
      section.errors
        .slice(0, 10)
        .map((e) => tech(e.rule, `Le fichier XML ne respecte pas la règle ${e.rule} : ${e.message}`)),
    );
  }
  const invoice = section.invoice;
  const values = fluxValuesOf(invoice);
  const numeroDP = values.invoiceNumber;
  const dp = (libelle: string) => ({ ...(numeroDP ? { numeroDP } : {}), libelle });
  const errorsDP: Verdict['errorsDP'] = [];

  const sellerSiret = invoice.seller.legalId?.value.replace(/\s+/g, '');
  const supplier = sellerSiret ? world.structureBySiret.get(sellerSiret) : undefined;
  if (!supplier || !account.supplierStructureIds.includes(supplier.idStructureCPP))
    errorsDP.push(
      dp(
        `L’identifiant fournisseur de la demande de paiement (SellerTradeParty.SpecifiedLegalOrganization.ID : ${sellerSiret ?? 'absent'}) n’est pas référencé dans notre système.`,
      ),
    );
  const buyer = values.recipientSiret ? world.structureBySiret.get(values.recipientSiret) : undefined;
  for (const issue of checkFacturxForChorus(section, directoryOf(buyer))) {
    if (issue.code === 'profile-refused' || issue.code === 'profile-unknown' || issue.code === 'xml-invalid')
      continue;
    errorsDP.push(dp(issue.message));
  }
  if (!numeroDP || !INVOICE_NUMBER_PATTERN.test(numeroDP))
    errorsDP.push(
      dp('Le numéro de facture doit faire 20 caractères au plus : lettres, chiffres et - _ / + seulement.'),
    );
  else if (
    supplier &&
    world.store.state.invoices.some(
      (i) =>
        i.supplierStructureId === supplier.idStructureCPP &&
        i.number === numeroDP &&
        i.status !== 'SUPPRIMEE',
    )
  )
    errorsDP.push(dp(`Le numéro de facture ${numeroDP} a déjà été utilisé par ce fournisseur.`));
  if (!invoice.paymentMeans.some((m) => m.typeCode))
    errorsDP.push(
      dp(
        'L’élément FichierXml.SupplyChainTradeTransaction.ApplicableHeaderTradeSettlement.SpecifiedTradeSettlementPaymentMeans.TypeCode.value est obligatoire',
      ),
    );
  if (errorsDP.length > 0 || !supplier || !buyer) return reject([], errorsDP);
  return {
    verdict: 'integrate',
    errorsDP: [],
    errorsTech: [],
    invoice: invoiceData(world, invoice, supplier, buyer),
  };
}

/** The invoice fields an integrated flow creates (amounts in euros, as the API carries them). */
function invoiceData(world: World, invoice: CiiInvoice, supplier: SeedStructure, buyer: SeedStructure) {
  const v = fluxValuesOf(invoice);
  const iban = invoice.paymentMeans.find((m) => m.iban)?.iban;
  const bank = (world.banksByStructure.get(supplier.idStructureCPP) ?? []).find(
    (b) => b.valid && b.iban === iban,
  );
  const cadre = (CADRE_CODES as Record<string, string>)[invoice.businessProcess ?? 'A1'] ?? CADRE_CODES.A1;
  const vatExempt = invoice.vatBreakdown.length > 0 && invoice.vatBreakdown.every((b) => b.taxCents === 0);
  return {
    number: v.invoiceNumber,
    invoiceDate: v.invoiceDate,
    supplierStructureId: supplier.idStructureCPP,
    supplierSiret: supplier.siret,
    supplierName: supplier.name,
    recipientStructureId: buyer.idStructureCPP,
    recipientSiret: buyer.siret,
    recipientName: buyer.name,
    serviceCode: v.serviceCode,
    engagementNumber: v.engagementNumber,
    marketNumber: v.marketNumber,
    cadreCode: cadre,
    bankAccountId: bank?.id,
    invoiceType: v.invoiceType ?? 'FACTURE',
    vatRegime: vatExempt
      ? 'EXONERATION'
      : invoice.vatBreakdown.some((b) => b.dueDateTypeCode === '5')
        ? 'TVA_SUR_DEBIT'
        : 'TVA_SUR_ENCAISSEMENT',
    paymentMode: 'VIREMENT',
    currency: v.currency ?? 'EUR',
    totalExclTax: centsToAmount(v.totalExclTaxCents ?? 0),
    totalTax: centsToAmount(v.totalTaxCents ?? 0),
    totalInclTax: centsToAmount(v.totalInclTaxCents ?? 0),
    amountDue: centsToAmount(invoice.totals.duePayableCents ?? v.totalInclTaxCents ?? 0),
  };
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
