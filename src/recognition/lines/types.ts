/**
 * The invoice lines read from the printed pages (issue #13) and their check against the totals.
 * Stable: the Factur-X producer (src/facturx-out/) and the `lines` section of
 * `facteur inspect --json` code against these types.
 *
 * Money is integer cents. Quantities, unit prices and VAT rates are decimal strings
 * (`-?\d+(\.\d+)?`, '.' separator, as printed: `"3"`, `"1.5"`, `"0.1047"`), never floats: a unit
 * price may carry more than 2 decimals, like Factur-X's BT-146.
 */
import type { Box } from '../types.js';

/** A decimal number written with '.' (`"12.5"`, `"0.0125"`, `"-3"`). */
export type DecimalString = string;

/**
 * `line`: an invoiced item; `discount`: a reduction (remise, rabais, escompte) printed as its own
 * row, amount negative on an invoice; `charge`: a charge added to the sum of the lines (frais de
 * port, de déplacement…), printed as a row of the table or between the sub-total and the total HT.
 */
export type InvoiceLineKind = 'line' | 'discount' | 'charge';

export interface InvoiceLine {
  kind: InvoiceLineKind;
  /** The description as printed, wrapped lines joined with a space. */
  description: string;
  /** Quantity, when a quantity column (or `5 kg` style cell) is printed. */
  quantity?: DecimalString;
  /** Unit as printed (`jour`, `h`, `kg`, `PCE`, `Unit(s)`), when printed. */
  unit?: string;
  /** Unit price excl. tax, when printed. */
  unitPrice?: DecimalString;
  /** VAT rate in percent (`"20"`, `"5.5"`, `"0"`). */
  vatRate?: DecimalString;
  /** `line`: printed on the row; `document`: the one rate of the invoice (totals box, franchise). */
  vatRateFrom?: 'line' | 'document';
  /** Line amount excl. tax in cents, as printed (negative on a credit note printed with signs). */
  amountCents: number;
  /** 1-based page of the row. */
  page: number;
  /** Where the row sits on its page (points, top-left origin). Extra, for previews. */
  box?: Box;
}

/** Why the lines do not add up (or could not be read); `message` is one short French sentence. */
export type LineIssueCode = 'no-lines' | 'no-total' | 'sum-mismatch' | 'vat-mismatch' | 'vat-rate-unknown';

export interface LineIssue {
  code: LineIssueCode;
  message: string;
  /** Index in `lines` of the line concerned, when one is. */
  line?: number;
  /** Expected and found amounts in cents (sum, VAT), when the issue compares two amounts. */
  expectedCents?: number;
  foundCents?: number;
}

/** What `readLines` returns. */
export interface LinesReading {
  lines: InvoiceLine[];
  /**
   * True when lines were read and they add up: the lines (with charges and discounts) sum to the
   * total excl. tax, and the VAT per rate sums to the VAT total.
   */
  consistent: boolean;
  /** Every reason the lines are not consistent; `[]` when consistent. */
  issues: LineIssue[];
}

/** The totals the lines are checked against: the report's `fields` fit (decimal strings). */
export interface LineTotals {
  totalExclTax?: { value: string } | null;
  totalTax?: { value: string } | null;
  totalInclTax?: { value: string } | null;
}

export interface ReadLinesOptions {
  /** Pages read (the lines are read on pages 1..pagesRead); default 3. */
  pagesRead?: number;
  /** The VAT regime read on the page: franchise and exemption mean rate 0. */
  vatRegime?: 'TVA_SUR_DEBIT' | 'TVA_SUR_ENCAISSEMENT' | 'EXONERATION' | 'SANS_TVA';
  /** A credit note: lines printed positive under negative totals (or the reverse) still add up. */
  creditNote?: boolean;
}
