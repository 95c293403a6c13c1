/**
 * `CiiInvoice` → CII XML of a Factur-X profile. Emits, in the schema's order, each term the
 * profile allows (richer terms are left out of poorer profiles, never misplaced) and refuses an
 * invoice missing a term every profile requires. The output is checked against the official XSD
 * and Schematron in the tests.
 */
import type { CiiInvoice, CiiLine, CiiParty, CiiVatBreakdown } from './cii-invoice.js';
import type { FacturxProfile } from './types.js';
import { NS } from './xml-dom.js';
import { centsToDecimal, isoToCii102 } from './decimal.js';
import { PROFILE_GUIDELINES } from './profile.js';
import { CiiWriteError } from './errors.js';
import { el, optEl, serialize, type XmlNode } from './xml-writer.js';

const RANK: Record<FacturxProfile, number> = { MINIMUM: 0, 'BASIC WL': 1, BASIC: 2, EN16931: 3, EXTENDED: 4 };

/** Writes `invoice` as the profile's CII (default: the invoice's own profile, else EN 16931). */
export function writeCii(
  invoice: CiiInvoice,
  profile: FacturxProfile = invoice.profile ?? 'EN16931',
): string {
  const rank = RANK[profile];
  const at = (p: FacturxProfile) => rank >= RANK[p];
  checkRequired(invoice, at('BASIC'));
  const money = (cents: number | undefined) => (cents === undefined ? undefined : centsToDecimal(cents));
  const t = invoice.totals;
  const date = (name: string, iso: string) =>
    el(name, [el('udt:DateTimeString', isoToCii102(iso), { format: '102' })]);
  const root = el(
    'rsm:CrossIndustryInvoice',
    [
      el('rsm:ExchangedDocumentContext', [
        invoice.businessProcess &&
          el('ram:BusinessProcessSpecifiedDocumentContextParameter', [el('ram:ID', invoice.businessProcess)]),
        el('ram:GuidelineSpecifiedDocumentContextParameter', [el('ram:ID', PROFILE_GUIDELINES[profile])]),
      ]),
      el('rsm:ExchangedDocument', [
        el('ram:ID', invoice.number as string),
        el('ram:TypeCode', invoice.typeCode as string),
        date('ram:IssueDateTime', invoice.issueDate as string),
        ...(at('BASIC WL')
          ? invoice.notes.map((n) =>
              el('ram:IncludedNote', [el('ram:Content', n.content), optEl('ram:SubjectCode', n.subjectCode)]),
            )
          : []),
      ]),
      el('rsm:SupplyChainTradeTransaction', [
        ...(at('BASIC') ? invoice.lines.map((l) => line(l, invoice.currency as string, at)) : []),
        el('ram:ApplicableHeaderTradeAgreement', [
          optEl('ram:BuyerReference', invoice.buyerReference),
          party('ram:SellerTradeParty', invoice.seller, at, true),
          party('ram:BuyerTradeParty', invoice.buyer, at, false),
          invoice.orderReference &&
            el('ram:BuyerOrderReferencedDocument', [el('ram:IssuerAssignedID', invoice.orderReference)]),
          at('BASIC WL') &&
            invoice.contractReference &&
            el('ram:ContractReferencedDocument', [el('ram:IssuerAssignedID', invoice.contractReference)]),
        ]),
        el('ram:ApplicableHeaderTradeDelivery', [
          at('BASIC WL') &&
            invoice.deliveryDate &&
            el('ram:ActualDeliverySupplyChainEvent', [date('ram:OccurrenceDateTime', invoice.deliveryDate)]),
        ]),
        el('ram:ApplicableHeaderTradeSettlement', [
          at('BASIC WL') && optEl('ram:TaxCurrencyCode', invoice.taxCurrency),
          el('ram:InvoiceCurrencyCode', invoice.currency as string),
          ...(at('BASIC WL')
            ? invoice.paymentMeans.map((m) =>
                el('ram:SpecifiedTradeSettlementPaymentMeans', [
                  el('ram:TypeCode', m.typeCode),
                  at('EN16931') && optEl('ram:Information', m.information),
                  (m.iban || m.proprietaryId) &&
                    el('ram:PayeePartyCreditorFinancialAccount', [
                      optEl('ram:IBANID', m.iban),
                      at('EN16931') && optEl('ram:AccountName', m.accountName),
                      optEl('ram:ProprietaryID', m.proprietaryId),
                    ]),
                  at('EN16931') &&
                    m.bic &&
                    el('ram:PayeeSpecifiedCreditorFinancialInstitution', [el('ram:BICID', m.bic)]),
                ]),
              )
            : []),
          ...(at('BASIC WL') ? invoice.vatBreakdown.map((v) => vat(v, invoice.currency as string)) : []),
          ...(at('BASIC WL')
            ? (invoice.allowancesCharges ?? []).map((a) =>
                el('ram:SpecifiedTradeAllowanceCharge', [
                  el('ram:ChargeIndicator', [el('udt:Indicator', a.charge ? 'true' : 'false')]),
                  el('ram:ActualAmount', centsToDecimal(a.amountCents)),
                  optEl('ram:Reason', a.reason),
                  el('ram:CategoryTradeTax', [
                    el('ram:TypeCode', 'VAT'),
                    el('ram:CategoryCode', a.vatCategoryCode),
                    optEl('ram:RateApplicablePercent', a.vatRatePercent),
                  ]),
                ]),
              )
            : []),
          at('BASIC WL') &&
            (invoice.paymentTerms || invoice.dueDate) &&
            el('ram:SpecifiedTradePaymentTerms', [
              optEl('ram:Description', invoice.paymentTerms),
              invoice.dueDate && date('ram:DueDateDateTime', invoice.dueDate),
            ]),
          el('ram:SpecifiedTradeSettlementHeaderMonetarySummation', [
            at('BASIC WL') && optEl('ram:LineTotalAmount', money(t.lineTotalCents)),
            at('BASIC WL') && optEl('ram:ChargeTotalAmount', money(t.chargeTotalCents)),
            at('BASIC WL') && optEl('ram:AllowanceTotalAmount', money(t.allowanceTotalCents)),
            el('ram:TaxBasisTotalAmount', money(t.taxBasisTotalCents) as string),
            optEl('ram:TaxTotalAmount', money(t.taxTotalCents), { currencyID: invoice.currency }),
            at('EN16931') && optEl('ram:RoundingAmount', money(t.roundingCents)),
            el('ram:GrandTotalAmount', money(t.grandTotalCents) as string),
            at('BASIC WL') && optEl('ram:TotalPrepaidAmount', money(t.prepaidCents)),
            el('ram:DuePayableAmount', money(t.duePayableCents) as string),
          ]),
          ...(at('BASIC WL')
            ? invoice.precedingInvoices.map((p) =>
                el('ram:InvoiceReferencedDocument', [
                  el('ram:IssuerAssignedID', p.number),
                  p.issueDate &&
                    el('ram:FormattedIssueDateTime', [
                      el('qdt:DateTimeString', isoToCii102(p.issueDate), { format: '102' }),
                    ]),
                ]),
              )
            : []),
        ]),
      ]),
    ],
    { 'xmlns:rsm': NS.rsm, 'xmlns:qdt': NS.qdt, 'xmlns:ram': NS.ram, 'xmlns:udt': NS.udt },
  );
  return serialize(root);
}

function checkRequired(invoice: CiiInvoice, withLines: boolean): void {
  const t = invoice.totals;
  const missing = [
    !invoice.number && 'BT-1 (numéro de facture)',
    !invoice.typeCode && 'BT-3 (type de document)',
    !invoice.issueDate && 'BT-2 (date de facture)',
    !invoice.currency && 'BT-5 (devise)',
    !invoice.seller.name && 'BT-27 (nom du fournisseur)',
    !invoice.buyer.name && 'BT-44 (nom du destinataire)',
    t.taxBasisTotalCents === undefined && 'BT-109 (total HT)',
    t.grandTotalCents === undefined && 'BT-112 (total TTC)',
    t.duePayableCents === undefined && 'BT-115 (montant à payer)',
    withLines && invoice.lines.length === 0 && 'BG-25 (lignes de facture)',
  ].filter((m): m is string => Boolean(m));
  if (missing.length > 0) throw new CiiWriteError(missing);
}

function party(name: string, p: CiiParty, at: (p: FacturxProfile) => boolean, seller: boolean): XmlNode {
  const richer = at('BASIC WL');
  const address = p.address;
  return el(name, [
    ...(richer
      ? p.ids.map((id) =>
          id.scheme ? el('ram:GlobalID', id.value, { schemeID: id.scheme }) : el('ram:ID', id.value),
        )
      : []),
    el('ram:Name', p.name as string),
    p.legalId &&
      el('ram:SpecifiedLegalOrganization', [
        el('ram:ID', p.legalId.value, { schemeID: p.legalId.scheme }),
        richer && optEl('ram:TradingBusinessName', p.tradingName),
      ]),
    at('EN16931') &&
      p.email &&
      el('ram:DefinedTradeContact', [el('ram:EmailURIUniversalCommunication', [el('ram:URIID', p.email)])]),
    (richer || seller) &&
      address &&
      el(
        'ram:PostalTradeAddress',
        richer
          ? [
              optEl('ram:PostcodeCode', address.postcode),
              optEl('ram:LineOne', address.line1),
              optEl('ram:LineTwo', address.line2),
              optEl('ram:LineThree', address.line3),
              optEl('ram:CityName', address.city),
              optEl('ram:CountryID', address.countryCode),
              optEl('ram:CountrySubDivisionName', address.countrySubdivision),
            ]
          : [optEl('ram:CountryID', address.countryCode)],
      ),
    richer &&
      p.electronicAddress &&
      el('ram:URIUniversalCommunication', [
        el('ram:URIID', p.electronicAddress.value, { schemeID: p.electronicAddress.scheme }),
      ]),
    p.vatNumber && el('ram:SpecifiedTaxRegistration', [el('ram:ID', p.vatNumber, { schemeID: 'VA' })]),
    seller &&
      p.taxNumber &&
      el('ram:SpecifiedTaxRegistration', [el('ram:ID', p.taxNumber, { schemeID: 'FC' })]),
  ]);
}

function vat(v: CiiVatBreakdown, currency: string): XmlNode {
  void currency;
  return el('ram:ApplicableTradeTax', [
    el('ram:CalculatedAmount', centsToDecimal(v.taxCents)),
    el('ram:TypeCode', 'VAT'),
    optEl('ram:ExemptionReason', v.exemptionReason),
    el('ram:BasisAmount', centsToDecimal(v.basisCents)),
    el('ram:CategoryCode', v.categoryCode),
    optEl('ram:ExemptionReasonCode', v.exemptionReasonCode),
    optEl('ram:DueDateTypeCode', v.dueDateTypeCode),
    optEl('ram:RateApplicablePercent', v.ratePercent),
  ]);
}

function line(l: CiiLine, currency: string, at: (p: FacturxProfile) => boolean): XmlNode {
  void currency;
  return el('ram:IncludedSupplyChainTradeLineItem', [
    el('ram:AssociatedDocumentLineDocument', [el('ram:LineID', l.id)]),
    el('ram:SpecifiedTradeProduct', [
      el('ram:Name', l.name ?? l.description ?? ''),
      at('EN16931') && l.name && optEl('ram:Description', l.description),
    ]),
    el('ram:SpecifiedLineTradeAgreement', [
      l.grossUnitPrice !== undefined &&
        el('ram:GrossPriceProductTradePrice', [el('ram:ChargeAmount', l.grossUnitPrice)]),
      el('ram:NetPriceProductTradePrice', [
        el('ram:ChargeAmount', l.netUnitPrice ?? '0'),
        optEl('ram:BasisQuantity', l.priceBaseQuantity, { unitCode: l.unitCode ?? 'C62' }),
      ]),
    ]),
    el('ram:SpecifiedLineTradeDelivery', [
      el('ram:BilledQuantity', l.quantity ?? '1', { unitCode: l.unitCode ?? 'C62' }),
    ]),
    el('ram:SpecifiedLineTradeSettlement', [
      el('ram:ApplicableTradeTax', [
        el('ram:TypeCode', 'VAT'),
        el('ram:CategoryCode', l.vatCategoryCode ?? 'S'),
        optEl('ram:RateApplicablePercent', l.vatRatePercent),
      ]),
      el('ram:SpecifiedTradeSettlementLineMonetarySummation', [
        el('ram:LineTotalAmount', centsToDecimal(l.netAmountCents ?? 0)),
      ]),
    ]),
  ]);
}
