/**
 * Confirmed deposit data + consistent lines → the EN 16931 CII model, with the Chorus Pro mapping
 * of the reference (facturx-and-chorus.md §3): BT-23 cadre, BT-10 service code, BT-13 engagement,
 * BT-12 market, BT-30 / BT-47 SIRETs with scheme 0002, BT-81 payment means 30 with the IBAN,
 * franchise VAT as category E with VATEX-FR-FRANCHISE, credit notes as 381 with positive amounts.
 */
import type { CiiInvoice, CiiLine, CiiVatBreakdown } from '../recognition/facturx/cii-invoice.js';
import { PROFILE_GUIDELINES } from '../recognition/facturx/profile.js';
import type { FacturxSource } from './types.js';
import { isVatFree, type RateBreakdown } from './lines-check.js';
import { normalizeRate } from './decimal-rate.js';
import { DEFAULT_PAYMENT_TERMS, FRANCHISE_REASON } from './messages.js';

export const FRANCHISE_REASON_CODE = 'VATEX-FR-FRANCHISE';

/** UN/ECE recommendation 20 codes of the units freelancers print. */
const UNITS: Array<[RegExp, string]> = [
  [/^(j|jr|jrs|jour|jours|journée|journées|day|days)$/, 'DAY'],
  [/^(h|hr|hrs|heure|heures|hour|hours)$/, 'HUR'],
  [/^(mois|month|months)$/, 'MON'],
  [/^(sem|semaine|semaines|week|weeks)$/, 'WEE'],
  [/^(an|ans|année|années|year|years)$/, 'ANN'],
  [/^(km|kilomètre|kilomètres)$/, 'KMT'],
  [/^(kg|kilo|kilos)$/, 'KGM'],
  [/^(m2|m²)$/, 'MTK'],
  [/^(m|mètre|mètres)$/, 'MTR'],
  [/^(l|litre|litres)$/, 'LTR'],
  [/^(forfait|forfaits|lot|lots)$/, 'LS'],
];

export function unitCode(unit: string | undefined): string {
  const u = (unit ?? '').trim().toLowerCase().replace(/\.$/, '');
  return UNITS.find(([re]) => re.test(u))?.[1] ?? 'C62';
}

/** `FacturxSource` → `CiiInvoice` of profile EN 16931; `breakdown` comes from `checkLines`. */
export function buildCiiInvoice(
  source: FacturxSource,
  breakdown: RateBreakdown[],
  lineTotalCents: number,
): CiiInvoice {
  const vatFree = isVatFree(source);
  const category = (rate: string) => (vatFree ? 'E' : normalizeRate(rate) === '0' ? 'Z' : 'S');
  const dueType =
    source.vatRegime === 'TVA_SUR_ENCAISSEMENT'
      ? '72'
      : source.vatRegime === 'TVA_SUR_DEBIT'
        ? '5'
        : undefined;
  const vatBreakdown: CiiVatBreakdown[] = breakdown.map((b) => ({
    categoryCode: category(b.rate),
    ratePercent: b.rate,
    basisCents: b.basisCents,
    taxCents: b.taxCents,
    ...(vatFree ? { exemptionReason: FRANCHISE_REASON, exemptionReasonCode: FRANCHISE_REASON_CODE } : {}),
    ...(dueType && !vatFree ? { dueDateTypeCode: dueType } : {}),
  }));
  const lines: CiiLine[] = source.lines.map((l, i) => ({
    id: String(i + 1),
    name: l.description.trim().slice(0, 200),
    quantity: normalizeRate(l.quantity),
    unitCode: unitCode(l.unit),
    netUnitPrice: normalizeRate(l.unitPrice),
    vatCategoryCode: category(l.vatRate),
    vatRatePercent: normalizeRate(l.vatRate),
    netAmountCents: l.amountCents,
  }));
  const extras = source.allowancesCharges ?? [];
  const sum = (kind: 'allowance' | 'charge') =>
    extras.filter((a) => a.kind === kind).reduce((s, a) => s + a.amountCents, 0);
  const prepaid = source.prepaidCents ?? 0;
  const sellerFr = (source.seller.address?.countryCode ?? 'FR') === 'FR';
  return {
    guideline: PROFILE_GUIDELINES.EN16931,
    profile: 'EN16931',
    businessProcess: source.cadre,
    number: source.invoiceNumber,
    typeCode: source.invoiceType === 'AVOIR' ? '381' : '380',
    issueDate: source.invoiceDate,
    currency: source.currency,
    notes: vatFree ? [{ content: FRANCHISE_REASON, subjectCode: 'REG' }] : [],
    seller: {
      name: source.seller.name,
      ids: [],
      legalId: { value: source.seller.siret, scheme: '0002' },
      vatNumber: source.seller.vatNumber,
      // BR-E-02: a VAT-free seller without a VAT number states its tax registration (the SIREN).
      taxNumber:
        vatFree && !source.seller.vatNumber && sellerFr ? source.seller.siret.slice(0, 9) : undefined,
      address: { ...source.seller.address, countryCode: source.seller.address?.countryCode ?? 'FR' },
      email: source.seller.email,
    },
    buyer: {
      name: source.buyer.name,
      ids: [],
      legalId: { value: source.buyer.siret, scheme: '0002' },
      vatNumber: source.buyer.vatNumber,
      address: { ...source.buyer.address, countryCode: source.buyer.address?.countryCode ?? 'FR' },
    },
    buyerReference: source.serviceCode,
    orderReference: source.engagement,
    contractReference: source.market,
    precedingInvoices: source.precedingInvoice ? [source.precedingInvoice] : [],
    // Never an empty delivery block (PEPPOL-EN16931-R008): see FacturxSource.deliveryDate.
    deliveryDate: source.deliveryDate ?? source.invoiceDate,
    dueDate: source.dueDate,
    paymentTerms: source.paymentTerms ?? (source.dueDate ? undefined : DEFAULT_PAYMENT_TERMS),
    paymentMeans: [
      source.iban
        ? { typeCode: '30', iban: source.iban.replace(/\s+/g, '').toUpperCase(), bic: source.bic }
        : { typeCode: '1' },
    ],
    vatBreakdown,
    allowancesCharges: extras.map((a) => ({
      charge: a.kind === 'charge',
      amountCents: a.amountCents,
      reason: a.reason,
      vatCategoryCode: category(a.vatRate),
      vatRatePercent: normalizeRate(a.vatRate),
    })),
    totals: {
      lineTotalCents,
      ...(extras.some((a) => a.kind === 'allowance') ? { allowanceTotalCents: sum('allowance') } : {}),
      ...(extras.some((a) => a.kind === 'charge') ? { chargeTotalCents: sum('charge') } : {}),
      taxBasisTotalCents: source.totalExclTaxCents,
      taxTotalCents: source.totalTaxCents,
      grandTotalCents: source.totalInclTaxCents,
      ...(prepaid ? { prepaidCents: prepaid } : {}),
      duePayableCents: source.totalInclTaxCents - prepaid,
    },
    lines,
  };
}
