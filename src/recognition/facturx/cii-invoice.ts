/**
 * The CII invoice model (`rsm:CrossIndustryInvoice`, EN 16931): what the reader fills from the
 * XML and the writer (#13) emits. types.ts re-exports it as part of the Factur-X contract.
 *
 * Money is integer cents; quantities, unit prices and rates are the XML's decimal strings
 * (`DecimalString`), never floats: a unit price may carry 4 decimals and a quantity 3.
 */
import type { FacturxProfile } from './types.js';

/** A decimal number as the XML writes it, normalized: `-?\d+(\.\d+)?` (`"12.5"`, `"0.0125"`). */
export type DecimalString = string;

/** An identifier with its scheme (ISO 6523 ICD: `0002` SIREN/SIRET, `0009` SIRET, `0088` GLN…). */
export interface CiiIdentifier {
  value: string;
  scheme?: string;
}

export interface CiiAddress {
  line1?: string;
  line2?: string;
  line3?: string;
  postcode?: string;
  city?: string;
  /** ISO 3166-1 alpha-2 (BT-40 / BT-55). */
  countryCode?: string;
  countrySubdivision?: string;
}

export interface CiiParty {
  /** BT-27 / BT-44. */
  name?: string;
  /** BT-28 / BT-45. */
  tradingName?: string;
  /** BT-29 / BT-46: `ram:ID` (no scheme) and `ram:GlobalID` (with scheme), in document order. */
  ids: CiiIdentifier[];
  /** BT-30 / BT-47: `SpecifiedLegalOrganization/ID` with its schemeID (`0002` = SIREN or SIRET). */
  legalId?: CiiIdentifier;
  /** BT-31 / BT-48: VAT identifier (`SpecifiedTaxRegistration/ID[@schemeID='VA']`), compact. */
  vatNumber?: string;
  /** BT-32: tax registration without VAT number (`schemeID='FC'`). */
  taxNumber?: string;
  address?: CiiAddress;
  /** BT-34 / BT-49: electronic address (`URIUniversalCommunication/URIID`). */
  electronicAddress?: CiiIdentifier;
  /** Contact e-mail (BT-43 / BT-58), EN 16931 and richer. */
  email?: string;
}

export interface CiiPaymentMeans {
  /** BT-81, UNTDID 4461: `30` credit transfer (what Chorus Pro takes), `58` SEPA transfer, `49` direct debit… */
  typeCode: string;
  /** BT-82. */
  information?: string;
  /** BT-84 when it is an IBAN (compact, upper case). */
  iban?: string;
  /** BT-84 when it is not an IBAN (`ProprietaryID`). */
  proprietaryId?: string;
  /** BT-85. */
  accountName?: string;
  /** BT-86. */
  bic?: string;
}

/** One VAT breakdown line (BG-23). */
export interface CiiVatBreakdown {
  /** BT-118, UNCL 5305: `S` standard, `E` exempt, `Z` zero, `AE` reverse charge, `K` intra-EU, `O` out of scope… */
  categoryCode: string;
  /** BT-119, percent (`"20"`, `"5.5"`); absent for category `O`. */
  ratePercent?: DecimalString;
  /** BT-116. */
  basisCents: number;
  /** BT-117. */
  taxCents: number;
  /** BT-120. */
  exemptionReason?: string;
  /** BT-121 (`VATEX-FR-FRANCHISE`, `VATEX-EU-IC`…). */
  exemptionReasonCode?: string;
  /** BT-8: `5` invoice date (débits), `29` delivery, `72` payment (encaissements). */
  dueDateTypeCode?: string;
}

/** One invoice line (BG-25); BASIC profile and richer. */
export interface CiiLine {
  /** BT-126. */
  id: string;
  /** BT-153. */
  name?: string;
  /** BT-154. */
  description?: string;
  /** BT-129. */
  quantity?: DecimalString;
  /** BT-130, UN/ECE rec. 20 (`C62` unit, `HUR` hour, `DAY` day…). */
  unitCode?: string;
  /** BT-146: net price of one unit (of `priceBaseQuantity` units when given). */
  netUnitPrice?: DecimalString;
  /** BT-149. */
  priceBaseQuantity?: DecimalString;
  /** BT-148. */
  grossUnitPrice?: DecimalString;
  /** BT-151. */
  vatCategoryCode?: string;
  /** BT-152. */
  vatRatePercent?: DecimalString;
  /** BT-131. */
  netAmountCents?: number;
}

/** A document-level allowance (BG-20) or charge (BG-21), excl. VAT. */
export interface CiiAllowanceCharge {
  /** False: allowance (discount); true: charge. */
  charge: boolean;
  amountCents: number;
  /** BT-97 / BT-104. */
  reason?: string;
  /** BT-95 / BT-102. */
  vatCategoryCode: string;
  /** BT-96 / BT-103. */
  vatRatePercent?: DecimalString;
}

/** BG-22. Amounts absent from the XML stay absent. */
export interface CiiTotals {
  /** BT-106. */
  lineTotalCents?: number;
  /** BT-107. */
  allowanceTotalCents?: number;
  /** BT-108. */
  chargeTotalCents?: number;
  /** BT-109. */
  taxBasisTotalCents?: number;
  /** BT-110, in the invoice currency. */
  taxTotalCents?: number;
  /** BT-112. */
  grandTotalCents?: number;
  /** BT-113. */
  prepaidCents?: number;
  /** BT-114. */
  roundingCents?: number;
  /** BT-115. */
  duePayableCents?: number;
}

export interface CiiNote {
  content: string;
  /** UNTDID 4451 (`REG`, `ABL`, `AAB`, `PMT`, `PMD`…). */
  subjectCode?: string;
}

/**
 * A CII invoice (`rsm:CrossIndustryInvoice`) as a typed model. The reader fills what the XML
 * states; the writer (`writeCii`) emits what the target profile allows and refuses to write a
 * document missing a term that profile requires. Optional everywhere the XML can lack it.
 */
export interface CiiInvoice {
  /** BT-24, as written. */
  guideline: string;
  /** The Factur-X profile the guideline names, null when it names none. */
  profile: FacturxProfile | null;
  /** BT-23: Chorus Pro's « cadre de facturation » (`A1`…). */
  businessProcess?: string;
  /** BT-1. */
  number?: string;
  /** BT-3, UNTDID 1001: `380` invoice, `381` credit note, `384` corrected, `386` prepayment, `389` self-billed. */
  typeCode?: string;
  /** BT-2, ISO date. */
  issueDate?: string;
  /** BT-5, ISO 4217. */
  currency?: string;
  /** BT-6 (VAT accounting currency), when different from BT-5. */
  taxCurrency?: string;
  notes: CiiNote[];
  seller: CiiParty;
  buyer: CiiParty;
  /** BT-10: the buyer reference; Chorus Pro's service code (`codeServiceExecutant`). */
  buyerReference?: string;
  /** BT-13: purchase order; Chorus Pro's engagement number (EJ). */
  orderReference?: string;
  /** BT-12: contract; Chorus Pro's market number. */
  contractReference?: string;
  /** BT-25 / BT-26: invoices a credit note or corrected invoice refers to. */
  precedingInvoices: Array<{ number: string; issueDate?: string }>;
  /** BT-72, ISO date. */
  deliveryDate?: string;
  /** BT-9, ISO date. */
  dueDate?: string;
  /** BT-20. */
  paymentTerms?: string;
  paymentMeans: CiiPaymentMeans[];
  vatBreakdown: CiiVatBreakdown[];
  totals: CiiTotals;
  lines: CiiLine[];
  /** BG-20 / BG-21 (written by the Factur-X producer; the reader leaves it out). */
  allowancesCharges?: CiiAllowanceCharge[];
}
