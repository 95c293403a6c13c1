/**
 * Factur-X out (issue #13): what the producer takes (the confirmed deposit data and the invoice
 * lines) and what it gives back. Money is integer cents; quantities and rates are decimal strings
 * (`"1"`, `"2.5"`, `"5.5"`), never floats.
 */
import type { Cadre, InvoiceType, VatRegime } from '../deposit/port.js';

/**
 * One invoice line as the user confirmed it (the `lines` room reads them from the PDF; the
 * conversation lets the user fix them). A discount is a line with a negative amount only when
 * the PDF prints it as such; `kind` says what it is.
 */
export interface FacturxLine {
  description: string;
  /** Decimal string, e.g. `"5"`, `"2.5"`. */
  quantity: string;
  /** Free unit as printed (`jour`, `h`, `forfait`…); mapped to UN/ECE rec. 20. */
  unit?: string;
  /** Net unit price excl. VAT, decimal string (`"250"`, `"0.1047"`: BT-146 may carry 4 decimals). */
  unitPrice: string;
  /** VAT rate in percent as a decimal string (`"20"`, `"5.5"`, `"0"`). */
  vatRate: string;
  /** Line amount excl. VAT, cents (quantity × unit price, as printed). */
  amountCents: number;
}

/** A document-level charge or discount (BG-20 / BG-21), excl. VAT. */
export interface FacturxAllowanceCharge {
  kind: 'allowance' | 'charge';
  reason: string;
  amountCents: number;
  vatRate: string;
}

export interface FacturxParty {
  siret: string;
  name: string;
  /** Intra-EU VAT number (BT-31 / BT-48), compact. */
  vatNumber?: string;
  address?: { line1?: string; postcode?: string; city?: string; countryCode?: string };
  email?: string;
}

/** The confirmed deposit data, as the conversation (or the CLI) holds it. */
export interface FacturxSource {
  cadre: Cadre;
  invoiceNumber: string;
  /** ISO `YYYY-MM-DD`. */
  invoiceDate: string;
  invoiceType: InvoiceType;
  seller: FacturxParty;
  buyer: FacturxParty;
  /** Chorus Pro service code (BT-10). */
  serviceCode?: string;
  /** Chorus Pro engagement / purchase order (BT-13). */
  engagement?: string;
  /** Chorus Pro market number (BT-12). */
  market?: string;
  currency: string;
  vatRegime: VatRegime;
  totalExclTaxCents: number;
  totalTaxCents: number;
  totalInclTaxCents: number;
  /** Already paid (BT-113), default 0. */
  prepaidCents?: number;
  /** Printed IBAN of the supplier (BT-84); without it the payment means is « not defined ». */
  iban?: string;
  bic?: string;
  /**
   * ISO date of the service or delivery (BT-72). French invoices print it only when it differs
   * from the invoice date (CGI annexe II art. 242 nonies A), so it defaults to the invoice date.
   */
  deliveryDate?: string;
  /** ISO date (BT-9). */
  dueDate?: string;
  /** BT-20. */
  paymentTerms?: string;
  /** For a credit note (AVOIR): the invoice it corrects (BT-25). */
  precedingInvoice?: { number: string; issueDate?: string };
  lines: FacturxLine[];
  allowancesCharges?: FacturxAllowanceCharge[];
}

/** What went into the file and how it was made. */
export interface FacturxOutput {
  pdf: Uint8Array;
  xml: string;
  fileName: string;
  /** How the pages were made PDF/A-3: kept as they are (pdf-lib) or rewritten by Ghostscript. */
  converter: 'pdf-lib' | 'ghostscript';
  /** Standard fonts given an embedded program (their names in the input). */
  embeddedFonts: string[];
}
