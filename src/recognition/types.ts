/**
 * The recognition engine's public types. `InspectionReport` is the stable JSON contract of
 * `facteur inspect --json` (the project reference « inspect-report.md »): add keys, never rename or drop.
 */

import type { FacturxReport } from './facturx/types.js';
import type { InvoiceLine, LineIssue } from './lines/types.js';

export const FIELD_KEYS = [
  'invoiceNumber',
  'invoiceDate',
  'recipientSiret',
  'recipientServiceCode',
  'recipientName',
  'supplierSiret',
  'supplierVatNumber',
  'engagementNumber',
  'marketNumber',
  'currency',
  'totalExclTax',
  'totalTax',
  'totalInclTax',
  'supplierIban',
] as const;
export type FieldKey = (typeof FIELD_KEYS)[number];

export const RULE_IDS = [
  'not-pdf',
  'unreadable-pdf',
  'encrypted-pdf',
  'file-too-large',
  'scanned-page',
  'colored-content',
  'no-space-after-keyword',
  'missing-keyword',
  'beyond-page-3',
  'invalid-siret',
  'invalid-iban',
  'invalid-vat-number',
  'totals-mismatch',
  'facturx-invalid',
  'facturx-mismatch',
  'facturx-profile-refused',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** A rectangle on a page, in PDF points, origin at the page's top-left corner. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface RecognizedField {
  /** Normalized value: ISO date, 14-digit SIRET, decimal string with '.' and 2 decimals for amounts… */
  value: string;
  /** 1-based page number. */
  page: number;
  /** The keyword as printed on the PDF that announced the value, when there was one. */
  keyword?: string;
  /** Where the value (and its keyword) sits on the page, for the preview image. Extra key. */
  box?: Box;
  /**
   * Other values printed for this field with comparable evidence (two invoice numbers, two
   * addressee names…): `value` is the best one, the conversation offers these as choices. Extra key.
   */
  alternatives?: string[];
}

export interface Violation {
  rule: RuleId;
  field?: FieldKey;
  page?: number;
  /** One short French sentence telling the freelancer how to fix the invoice template. */
  message: string;
}

export interface InspectionReport {
  file: string;
  pageCount: number;
  pagesRead: number;
  fields: Partial<Record<FieldKey, RecognizedField | null>>;
  violations: Violation[];
  /** Extra keys (allowed by the contract): document type and VAT regime hints Chorus also reads. */
  invoiceType?: 'FACTURE' | 'AVOIR';
  vatRegime?: 'TVA_SUR_DEBIT' | 'TVA_SUR_ENCAISSEMENT' | 'EXONERATION' | 'SANS_TVA';
  /** Page sizes in points (width, height) of the pages read, for previews. */
  pageSizes?: Array<{ width: number; height: number }>;
  /**
   * The embedded Factur-X invoice (src/recognition/facturx/); null when the PDF carries none.
   * Absent only from reports of files that could not be parsed at all.
   */
  facturx?: FacturxReport | null;
  /**
   * The invoice lines read on the pages (src/recognition/lines/), in printed order; `[]` when no
   * lines table was found. Absent only from reports of files that could not be parsed at all.
   */
  lines?: InvoiceLine[];
  /** Whether `lines` add up to the totals, and why not. Absent when `lines` is. */
  linesCheck?: { consistent: boolean; issues: LineIssue[] };
}

/** True when the report says the file itself cannot be used (exit code 2 of `facteur inspect`). */
export function isUnusable(report: InspectionReport): boolean {
  return report.violations.some(
    (v) => v.rule === 'not-pdf' || v.rule === 'unreadable-pdf' || v.rule === 'encrypted-pdf',
  );
}

export type PreviewFormat = 'png' | 'jpeg';

export interface PreviewOptions {
  format?: PreviewFormat;
  /** Pixels per PDF point (default 1.5; the image stays under 2400 px whatever the page). */
  scale?: number;
}

/**
 * What the rest of Facteur uses: one async call from bytes to report, run off the main thread.
 * Created with `createRecognizer(deps)` (src/recognition/index.ts); `close()` ends the worker pool.
 */
export interface Recognizer {
  inspect(bytes: Uint8Array, fileName: string): Promise<InspectionReport>;
  /**
   * Page 1 with a labelled box around each recognized field: PNG at scale 1.5 by default; chats
   * ask for a lighter JPEG. Runs after every waiting `inspect` (low priority in the pool).
   */
  renderPreview(bytes: Uint8Array, report: InspectionReport, options?: PreviewOptions): Promise<Uint8Array>;
  /**
   * Completes the `facturx` section of a report from `inspect` (XSD + Schematron of its profile,
   * in the worker pool): returns a copy with `facturx.valid`/`errors` filled and the
   * `facturx-invalid` violation when it fails. Any other report is returned as it is.
   */
  validateFacturx(bytes: Uint8Array, report: InspectionReport): Promise<InspectionReport>;
  /**
   * Starts the workers and has each read a small built-in document, at low priority (real
   * documents go first), so that the first users after a start do not pay for module loading and
   * compilation. Resolves when done; never rejects. Optional: test doubles need none.
   */
  warmUp?(): Promise<void>;
  close(): Promise<void>;
}
