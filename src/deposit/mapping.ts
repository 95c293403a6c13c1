import type { RequestOf, ResponseOf } from './api/operations.js';
import { CADRE_CODES } from './api/factures.js';
import { amountToCents, centsToAmount, vatRatePercent } from './money.js';
import type { Cadre, ChorusRecognition, DepositReceipt, InvoiceType, Submission, VatRegime } from './port.js';

/** `rechercherStructure` by SIRET or SIRET prefix (one shape everywhere, so cached answers are shared). */
export function structureSearchBody(siretOrPrefix: string): RequestOf<'rechercherStructure'> {
  return {
    structure: { identifiantStructure: siretOrPrefix, typeIdentifiantStructure: 'SIRET' },
    restreindreStructuresPrivees: false,
    parametres: {
      nbResultatsParPage: 50,
      pageResultatDemandee: 1,
      triColonne: 'IdentifiantStructure',
      triSens: 'Ascendant',
    },
  };
}

/** Pure translations between the port's domain (cents, English) and Chorus' wire shapes. */

const CADRE_BY_CODE = Object.fromEntries(Object.entries(CADRE_CODES).map(([k, v]) => [v, k])) as Record<
  string,
  Cadre
>;

export function cadreFromCode(code: string | null | undefined): Cadre {
  return (code && CADRE_BY_CODE[code]) || 'A1';
}

export function toSoumettreRequest(s: Submission): RequestOf<'soumettre'> {
  const rate = vatRatePercent(s.totalExclTaxCents, s.totalTaxCents);
  return {
    modeDepot: 'DEPOT_PDF_API',
    numeroFactureSaisi: s.invoiceNumber,
    dateFacture: s.invoiceDate,
    destinataire: {
      codeDestinataire: s.recipientSiret,
      ...(s.serviceCode ? { codeServiceExecutant: s.serviceCode } : {}),
    },
    fournisseur: {
      idFournisseur: s.supplierId,
      ...(s.bankAccountId ? { codeCoordonneesBancairesFournisseur: s.bankAccountId } : {}),
    },
    cadreDeFacturation: {
      codeCadreFacturation: CADRE_CODES[s.cadre],
      ...(s.validatorSiret ? { codeStructureValideur: s.validatorSiret } : {}),
    },
    references: {
      deviseFacture: s.currency,
      typeFacture: s.invoiceType,
      typeTva: s.vatRegime,
      modePaiement: 'VIREMENT',
      ...(s.engagementNumber ? { numeroBonCommande: s.engagementNumber } : {}),
      ...(s.marketNumber ? { numeroMarche: s.marketNumber } : {}),
    },
    // DEPOT_PDF_API: the PDF carries the detail; clients still send one summary line (§6.2, §11.2).
    lignePoste: [
      {
        lignePosteNumero: 1,
        lignePosteDenomination: `Facture ${s.invoiceNumber}`,
        lignePosteQuantite: 1,
        lignePosteUnite: 'lot',
        lignePosteMontantUnitaireHT: centsToAmount(s.totalExclTaxCents),
        lignePosteTauxTvaManuel: rate,
      },
    ],
    ligneTva: [
      {
        ligneTvaTauxManuel: rate,
        ligneTvaMontantBaseHtParTaux: centsToAmount(s.totalExclTaxCents),
        ligneTvaMontantTvaParTaux: centsToAmount(s.totalTaxCents),
      },
    ],
    montantTotal: {
      montantHtTotal: centsToAmount(s.totalExclTaxCents),
      montantTVA: centsToAmount(s.totalTaxCents),
      montantTtcTotal: centsToAmount(s.totalInclTaxCents),
      montantAPayer: centsToAmount(s.totalInclTaxCents),
    },
    pieceJointePrincipale: [
      { pieceJointePrincipaleDesignation: 'Facture', pieceJointePrincipaleId: s.pieceJointeId },
    ],
    ...(s.attachments?.length
      ? {
          pieceJointeComplementaire: s.attachments.map((a) => ({
            pieceJointeComplementaireDesignation: a.fileName,
            pieceJointeComplementaireId: a.pieceJointeId,
          })),
        }
      : {}),
    commentaire: 'Déposée avec Facteur',
  };
}

const cents = (v: number | null | undefined) =>
  v === null || v === undefined ? undefined : amountToCents(v);
const str = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? undefined : v);

export function toRecognition(r: ResponseOf<'deposerPdf'>): ChorusRecognition {
  const result: ChorusRecognition = {
    pieceJointeId: r.pieceJointeId,
    invoiceNumber: str(r.numeroFacture),
    invoiceDate: str(r.dateFacture)?.slice(0, 10),
    recipientSiret: str(r.codeDestinataire),
    recipientServiceCode: str(r.codeServiceExecutant),
    supplierId: str(r.codeFournisseur),
    currency: str(r.codeDeviseFacture),
    invoiceType: (r.typeFacture ?? undefined) as InvoiceType | undefined,
    vatRegime: (r.typeTva ?? undefined) as VatRegime | undefined,
    engagementNumber: str(r.numeroBonCommande),
    totalExclTaxCents: cents(r.montantHtTotal),
    totalTaxCents: cents(r.montantTVA),
    totalInclTaxCents: cents(r.montantTtcAvantRemiseGlobalTTC),
    amountDueCents: cents(r.montantAPayer),
  };
  return Object.fromEntries(Object.entries(result).filter(([, v]) => v !== undefined)) as ChorusRecognition;
}

/** The receipt of a fresh `soumettre`. */
export function receiptFromSubmit(
  s: Submission,
  r: ResponseOf<'soumettre'>,
  extra: { recipientName?: string; depositedAt: string },
): DepositReceipt {
  return {
    chorusInvoiceId: r.identifiantFactureCPP,
    invoiceNumber: r.numeroFacture ?? s.invoiceNumber,
    depositedAt: depositInstant(r.dateDepot, extra.depositedAt),
    status: r.statutFacture ?? 'DEPOSEE',
    recipientSiret: s.recipientSiret,
    recipientName: extra.recipientName,
    serviceCode: s.serviceCode,
    supplierSiret: str(r.identifiantStructure),
    cadre: s.cadre,
    totalExclTaxCents: s.totalExclTaxCents,
    totalTaxCents: s.totalTaxCents,
    totalInclTaxCents: s.totalInclTaxCents,
    currency: s.currency,
    certificateFingerprint: str(r.empreinteCertificatDepot),
  };
}

/** The receipt of an invoice found on Chorus Pro (crash recovery, lookup after an unknown outcome). */
export function receiptFromConsult(
  f: ResponseOf<'consulterFacture'>['facture'],
  fallbackInstant: string,
): DepositReceipt {
  return {
    chorusInvoiceId: f.identifiantFactureCPP,
    invoiceNumber: f.numeroFacture,
    depositedAt: depositInstant(f.references?.dateDepot, fallbackInstant),
    status: f.statutFacture,
    recipientSiret: f.destinataire?.codeDestinataire ?? '',
    recipientName: str(f.destinataire?.libelleDestinataire),
    serviceCode: str(f.destinataire?.codeServiceExecutant),
    supplierSiret: str(f.fournisseur?.codeFournisseur),
    cadre: cadreFromCode(f.cadreDeFacturation?.codeCadreFacturation),
    totalExclTaxCents: cents(f.montantTotal?.montantHtTotal) ?? 0,
    totalTaxCents: cents(f.montantTotal?.montantTVA) ?? 0,
    totalInclTaxCents: cents(f.montantTotal?.montantTtcTotal) ?? 0,
    currency: f.references?.codeDeviseFacture ?? 'EUR',
  };
}

/** Chorus gives a date or a timestamp; keep a full ISO instant. */
function depositInstant(dateDepot: string | null | undefined, fallback: string): string {
  if (!dateDepot) return fallback;
  if (/^\d{4}-\d{2}-\d{2}$/.test(dateDepot))
    return fallback.startsWith(dateDepot) ? fallback : `${dateDepot}T00:00:00.000Z`;
  const parsed = Date.parse(dateDepot.replace(' ', 'T'));
  return Number.isNaN(parsed) ? fallback : new Date(parsed).toISOString();
}
