/**
 * The recognition itself, in the calling thread: bytes → `InspectionReport`. The worker pool
 * (pool.ts) runs this function off the main thread with a time and memory bound; it is exported
 * for the worker, tests and tools that want the plain function.
 */
import type { FieldKey, InspectionReport, Violation } from './types.js';
import { FIELD_KEYS } from './types.js';
import { buildChunks, type Chunk } from './layout.js';
import { analysePage } from './graphics.js';
import { isEncrypted, openPdf, readPageText, type PDFDocumentProxy } from './pdf-document.js';
import { scanFields } from './fields.js';
import { decideFields } from './decide.js';
import { checkFields, DEPOSIT_FIELDS, toRecognizedField } from './rules.js';
import { violationMessage } from './messages.js';
import { DEFAULT_LIMITS, emptyReport, fileTooLarge, precheck, type InspectLimits } from './basic-report.js';
import { readFacturxSection } from './facturx/pdfjs-read.js';
import { facturxViolations } from './facturx/section.js';
import { addLinesSection } from './lines/report.js';

export type { InspectLimits };
export { DEFAULT_LIMITS };

/** Minimum non-space characters for a page to have a usable text layer. */
const MIN_TEXT_CHARS = 20;

export async function inspectPdf(
  bytes: Uint8Array,
  fileName: string,
  limits: InspectLimits = DEFAULT_LIMITS,
): Promise<InspectionReport> {
  const early = precheck(bytes, fileName, limits);
  if (early) return early;
  const report = emptyReport(fileName);
  if (bytes.length > limits.depositMaxBytes) report.violations.push(fileTooLarge(limits));
  // pdfjs takes ownership of (and may detach) the buffer it is given.
  const opened = await openPdf(new Uint8Array(bytes));
  if (!opened.ok) {
    const rule = opened.reason === 'encrypted' ? 'encrypted-pdf' : 'unreadable-pdf';
    report.violations.push({ rule, message: violationMessage(rule) });
    return report;
  }
  const doc = opened.doc;
  try {
    await analyse(doc, report, limits);
  } catch {
    report.violations = report.violations.filter(
      (v) => v.rule === 'file-too-large' || v.rule === 'encrypted-pdf',
    );
    report.fields = {};
    report.violations.push({ rule: 'unreadable-pdf', message: violationMessage('unreadable-pdf') });
  } finally {
    await doc.destroy().catch(() => undefined);
  }
  return report;
}

async function analyse(
  doc: PDFDocumentProxy,
  report: InspectionReport,
  limits: InspectLimits,
): Promise<void> {
  report.pageCount = doc.numPages;
  report.pagesRead = Math.min(doc.numPages, limits.pagesRead);
  if (await isEncrypted(doc)) {
    report.violations.push({ rule: 'encrypted-pdf', message: violationMessage('encrypted-pdf') });
  }
  const chunks: Chunk[] = [];
  const pageViolations: Violation[] = [];
  report.pageSizes = [];
  for (let p = 1; p <= report.pagesRead; p++) {
    const page = await doc.getPage(p);
    const text = await readPageText(page);
    report.pageSizes.push({
      width: Math.round(text.width * 100) / 100,
      height: Math.round(text.height * 100) / 100,
    });
    const g = await analysePage(page, text.viewport, text, text.runs);
    if (text.charCount < MIN_TEXT_CHARS && (g.imageCoverage >= 0.3 || g.pathCount > 400)) {
      pageViolations.push({
        rule: 'scanned-page',
        page: p,
        message: violationMessage('scanned-page', { page: p }),
      });
    }
    if (g.coloredText || g.coloredBackground) {
      pageViolations.push({
        rule: 'colored-content',
        page: p,
        message: violationMessage('colored-content', { page: p }),
      });
    }
    chunks.push(...buildChunks(text.runs, p));
    page.cleanup();
  }
  let scan = scanFields(chunks);
  let chosen = decideFields(scan, report.pagesRead);
  const lastExtra = Math.min(doc.numPages, report.pagesRead + limits.extraPages);
  if (lastExtra > report.pagesRead && DEPOSIT_FIELDS.some((f) => !chosen.has(f))) {
    for (let p = report.pagesRead + 1; p <= lastExtra; p++) {
      const page = await doc.getPage(p);
      chunks.push(...buildChunks((await readPageText(page)).runs, p));
      page.cleanup();
    }
    scan = scanFields(chunks);
    chosen = decideFields(scan, report.pagesRead);
  }
  // The currency is printed next to the totals more often than announced by « Devise ».
  if (!chosen.has('currency')) {
    const total = (['totalInclTax', 'totalExclTax', 'totalTax'] as FieldKey[])
      .map((f) => chosen.get(f))
      .find((c) => c && c.page <= report.pagesRead);
    if (total) {
      chosen.set('currency', {
        ...total,
        field: 'currency',
        value: total.currency ?? 'EUR',
        keyword: undefined,
        glued: false,
      });
    }
  }
  for (const key of FIELD_KEYS) {
    const c = chosen.get(key);
    if (c && c.page <= report.pagesRead) report.fields[key] = toRecognizedField(c);
  }
  report.violations.push(
    ...pageViolations,
    ...checkFields({
      chosen,
      candidates: scan.candidates,
      pagesRead: report.pagesRead,
      vatRegime: scan.vatRegime,
    }),
  );
  report.invoiceType = scan.creditNote ? 'AVOIR' : 'FACTURE';
  const tax = chosen.get('totalTax');
  const regime =
    scan.vatRegime ?? (tax?.cents !== undefined && tax.cents > 0 ? 'TVA_SUR_ENCAISSEMENT' : undefined);
  if (regime) report.vatRegime = regime;
  addLinesSection(report, chunks);
  // Factur-X: the embedded XML beside the printed reading (validation completes later).
  report.facturx = await readFacturxSection(doc, report.fields);
  if (report.facturx) report.violations.push(...facturxViolations(report.facturx));
}
