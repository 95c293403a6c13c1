/**
 * CII XML → `CiiInvoice`: reads what the document states, where the standard puts it, and
 * nothing else (no inference). Amounts become integer cents, dates ISO strings.
 */
import type { Element } from '@xmldom/xmldom';
import type {
  CiiAddress,
  CiiIdentifier,
  CiiInvoice,
  CiiLine,
  CiiParty,
  CiiPaymentMeans,
  CiiVatBreakdown,
} from './cii-invoice.js';
import type { FacturxError } from './types.js';
import { NS, XmlReadError, all, attr, first, parseXml, text } from './xml-dom.js';
import { cii102ToIso, decimalToCents, normalizeDecimal } from './decimal.js';
import { profileFromGuideline } from './profile.js';

export type CiiReadResult =
  { ok: true; invoice: CiiInvoice } | { ok: false; guideline: string | null; error: FacturxError };

/** Parses and reads a CII invoice; a document that is not one is an error, never an exception. */
export function readCii(xml: string | Uint8Array): CiiReadResult {
  let root: Element;
  try {
    root = parseXml(xml).documentElement as Element;
  } catch (error) {
    const message = error instanceof XmlReadError ? error.message : String(error);
    return { ok: false, guideline: null, error: { source: 'xml', rule: 'not-well-formed', message } };
  }
  if (root.namespaceURI === NS.zugferd1 && root.localName === 'CrossIndustryDocument') {
    const guideline = attrlessText(root, NS.zugferd1, 'SpecifiedExchangedDocumentContext') ?? null;
    return {
      ok: false,
      guideline,
      error: {
        source: 'profile',
        rule: 'unsupported-syntax',
        message: 'ZUGFeRD 1.0 (CrossIndustryDocument) is not a Factur-X / EN 16931 CII invoice.',
      },
    };
  }
  if (root.namespaceURI !== NS.rsm || root.localName !== 'CrossIndustryInvoice') {
    return {
      ok: false,
      guideline: null,
      error: {
        source: 'xml',
        rule: 'not-cii',
        message: `The root element {${root.namespaceURI ?? ''}}${root.localName ?? ''} is not rsm:CrossIndustryInvoice.`,
      },
    };
  }
  return { ok: true, invoice: readInvoice(root) };
}

/** The guideline of a ZUGFeRD 1.0 document (its context uses the same local names). */
function attrlessText(root: Element, ns: string, contextName: string): string | undefined {
  for (let n = root.firstChild; n; n = n.nextSibling) {
    const e = n as Element;
    if (n.nodeType !== 1 || e.localName !== contextName || e.namespaceURI !== ns) continue;
    for (let c = e.firstChild; c; c = c.nextSibling) {
      const g = c as Element;
      if (c.nodeType === 1 && g.localName === 'GuidelineSpecifiedDocumentContextParameter') {
        return g.textContent?.trim() || undefined;
      }
    }
  }
  return undefined;
}

function readInvoice(root: Element): CiiInvoice {
  const context = first(root, 'rsm:ExchangedDocumentContext');
  const header = first(root, 'rsm:ExchangedDocument');
  const trade = first(root, 'rsm:SupplyChainTradeTransaction');
  const agreement = first(trade, 'ram:ApplicableHeaderTradeAgreement');
  const delivery = first(trade, 'ram:ApplicableHeaderTradeDelivery');
  const settlement = first(trade, 'ram:ApplicableHeaderTradeSettlement');
  const guideline = text(context, 'ram:GuidelineSpecifiedDocumentContextParameter/ram:ID') ?? '';
  const currency = text(settlement, 'ram:InvoiceCurrencyCode');
  const summation = first(settlement, 'ram:SpecifiedTradeSettlementHeaderMonetarySummation');
  const amount = (name: string) => decimalToCents(text(summation, `ram:${name}`));
  // BT-110 may appear twice: in the invoice currency and in the VAT accounting currency (BT-111).
  const taxTotals = all(summation, 'ram:TaxTotalAmount');
  const taxTotal =
    taxTotals.find((e) => !attr(e, 'currencyID') || attr(e, 'currencyID') === currency) ?? taxTotals[0];
  const invoice: CiiInvoice = {
    guideline,
    profile: profileFromGuideline(guideline),
    notes: all(header, 'ram:IncludedNote').flatMap((n) => {
      const content = text(n, 'ram:Content');
      return content ? [{ content, ...opt('subjectCode', text(n, 'ram:SubjectCode')) }] : [];
    }),
    seller: readParty(first(agreement, 'ram:SellerTradeParty')),
    buyer: readParty(first(agreement, 'ram:BuyerTradeParty')),
    precedingInvoices: all(settlement, 'ram:InvoiceReferencedDocument').flatMap((d) => {
      const number = text(d, 'ram:IssuerAssignedID');
      if (!number) return [];
      const dateEl = first(d, 'ram:FormattedIssueDateTime/qdt:DateTimeString');
      return [{ number, ...opt('issueDate', cii102ToIso(text(dateEl), attr(dateEl, 'format'))) }];
    }),
    paymentMeans: all(settlement, 'ram:SpecifiedTradeSettlementPaymentMeans').map(readPaymentMeans),
    vatBreakdown: all(settlement, 'ram:ApplicableTradeTax').map(readVat),
    totals: {
      ...opt('lineTotalCents', amount('LineTotalAmount')),
      ...opt('chargeTotalCents', amount('ChargeTotalAmount')),
      ...opt('allowanceTotalCents', amount('AllowanceTotalAmount')),
      ...opt('taxBasisTotalCents', amount('TaxBasisTotalAmount')),
      ...opt('taxTotalCents', decimalToCents(text(taxTotal))),
      ...opt('roundingCents', amount('RoundingAmount')),
      ...opt('grandTotalCents', amount('GrandTotalAmount')),
      ...opt('prepaidCents', amount('TotalPrepaidAmount')),
      ...opt('duePayableCents', amount('DuePayableAmount')),
    },
    lines: all(trade, 'ram:IncludedSupplyChainTradeLineItem').map(readLine),
  };
  const issue = first(header, 'ram:IssueDateTime/udt:DateTimeString');
  const deliveryDate = first(
    delivery,
    'ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString',
  );
  const dueDate = first(settlement, 'ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString');
  const taxCurrency = text(settlement, 'ram:TaxCurrencyCode');
  return Object.assign(
    invoice,
    opt('businessProcess', text(context, 'ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID')),
    opt('number', text(header, 'ram:ID')),
    opt('typeCode', text(header, 'ram:TypeCode')),
    opt('issueDate', cii102ToIso(text(issue), attr(issue, 'format'))),
    opt('currency', currency),
    opt('taxCurrency', taxCurrency !== currency ? taxCurrency : undefined),
    opt('buyerReference', text(agreement, 'ram:BuyerReference')),
    opt('orderReference', text(agreement, 'ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID')),
    opt('contractReference', text(agreement, 'ram:ContractReferencedDocument/ram:IssuerAssignedID')),
    opt('deliveryDate', cii102ToIso(text(deliveryDate), attr(deliveryDate, 'format'))),
    opt('dueDate', cii102ToIso(text(dueDate), attr(dueDate, 'format'))),
    opt('paymentTerms', text(settlement, 'ram:SpecifiedTradePaymentTerms/ram:Description')),
  );
}

function readParty(party: Element | null): CiiParty {
  const out: CiiParty = { ids: [] };
  if (!party) return out;
  for (const id of all(party, 'ram:ID')) out.ids.push(identifier(id));
  for (const id of all(party, 'ram:GlobalID')) out.ids.push(identifier(id));
  out.ids = out.ids.filter((i) => i.value);
  const legal = first(party, 'ram:SpecifiedLegalOrganization/ram:ID');
  const uri = first(party, 'ram:URIUniversalCommunication/ram:URIID');
  for (const reg of all(party, 'ram:SpecifiedTaxRegistration/ram:ID')) {
    const scheme = attr(reg, 'schemeID');
    const value = text(reg);
    if (!value) continue;
    if (scheme === 'VA' && !out.vatNumber) out.vatNumber = compact(value);
    else if (scheme === 'FC' && !out.taxNumber) out.taxNumber = value;
  }
  const address = readAddress(first(party, 'ram:PostalTradeAddress'));
  return Object.assign(
    out,
    opt('name', text(party, 'ram:Name')),
    opt('tradingName', text(party, 'ram:SpecifiedLegalOrganization/ram:TradingBusinessName')),
    opt('legalId', legal && text(legal) ? identifier(legal) : undefined),
    opt('electronicAddress', uri && text(uri) ? identifier(uri) : undefined),
    opt('email', text(party, 'ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:URIID')),
    opt('address', address),
  );
}

function identifier(el: Element): CiiIdentifier {
  return { value: text(el) ?? '', ...opt('scheme', attr(el, 'schemeID')) };
}

function readAddress(el: Element | null): CiiAddress | undefined {
  if (!el) return undefined;
  const address: CiiAddress = Object.assign(
    {},
    opt('line1', text(el, 'ram:LineOne')),
    opt('line2', text(el, 'ram:LineTwo')),
    opt('line3', text(el, 'ram:LineThree')),
    opt('postcode', text(el, 'ram:PostcodeCode')),
    opt('city', text(el, 'ram:CityName')),
    opt('countryCode', text(el, 'ram:CountryID')),
    opt('countrySubdivision', text(el, 'ram:CountrySubDivisionName')),
  );
  return Object.keys(address).length > 0 ? address : undefined;
}

function readPaymentMeans(el: Element): CiiPaymentMeans {
  const account = first(el, 'ram:PayeePartyCreditorFinancialAccount');
  const iban = text(account, 'ram:IBANID');
  return Object.assign(
    { typeCode: text(el, 'ram:TypeCode') ?? '' },
    opt('information', text(el, 'ram:Information')),
    opt('iban', iban ? compact(iban) : undefined),
    opt('proprietaryId', text(account, 'ram:ProprietaryID')),
    opt('accountName', text(account, 'ram:AccountName')),
    opt('bic', text(el, 'ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID')),
  );
}

function readVat(el: Element): CiiVatBreakdown {
  return Object.assign(
    {
      categoryCode: text(el, 'ram:CategoryCode') ?? '',
      basisCents: decimalToCents(text(el, 'ram:BasisAmount')) ?? 0,
      taxCents: decimalToCents(text(el, 'ram:CalculatedAmount')) ?? 0,
    },
    opt('ratePercent', normalizeDecimal(text(el, 'ram:RateApplicablePercent'))),
    opt('exemptionReason', text(el, 'ram:ExemptionReason')),
    opt('exemptionReasonCode', text(el, 'ram:ExemptionReasonCode')),
    opt('dueDateTypeCode', text(el, 'ram:DueDateTypeCode')),
  );
}

function readLine(el: Element): CiiLine {
  const agreement = first(el, 'ram:SpecifiedLineTradeAgreement');
  const net = first(agreement, 'ram:NetPriceProductTradePrice');
  const quantity = first(el, 'ram:SpecifiedLineTradeDelivery/ram:BilledQuantity');
  const tax = first(el, 'ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax');
  return Object.assign(
    { id: text(el, 'ram:AssociatedDocumentLineDocument/ram:LineID') ?? '' },
    opt('name', text(el, 'ram:SpecifiedTradeProduct/ram:Name')),
    opt('description', text(el, 'ram:SpecifiedTradeProduct/ram:Description')),
    opt('quantity', normalizeDecimal(text(quantity))),
    opt('unitCode', attr(quantity, 'unitCode')),
    opt('netUnitPrice', normalizeDecimal(text(net, 'ram:ChargeAmount'))),
    opt('priceBaseQuantity', normalizeDecimal(text(net, 'ram:BasisQuantity'))),
    opt(
      'grossUnitPrice',
      normalizeDecimal(text(agreement, 'ram:GrossPriceProductTradePrice/ram:ChargeAmount')),
    ),
    opt('vatCategoryCode', text(tax, 'ram:CategoryCode')),
    opt('vatRatePercent', normalizeDecimal(text(tax, 'ram:RateApplicablePercent'))),
    opt(
      'netAmountCents',
      decimalToCents(
        text(
          el,
          'ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount',
        ),
      ),
    ),
  );
}

/** Identifiers compared and reported without spaces, upper case (VAT numbers, IBAN). */
export function compact(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

/** `{ key: value }` when the value is defined, else `{}` (keeps absent terms absent). */
function opt<K extends string, V>(key: K, value: V | undefined | null): { [P in K]?: V } {
  return value === undefined || value === null ? {} : ({ [key]: value } as { [P in K]?: V });
}
