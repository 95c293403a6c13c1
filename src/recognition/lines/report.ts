/** The `lines` and `linesCheck` sections of the inspection report (issue #13), from its chunks. */
import type { Chunk } from '../layout.js';
import type { InspectionReport } from '../types.js';
import { readLines } from './read-lines.js';

/** Adds `lines` and `linesCheck` to a report whose fields are already chosen. */
export function addLinesSection(report: InspectionReport, chunks: readonly Chunk[]): void {
  const reading = readLines(chunks, report.fields, {
    pagesRead: report.pagesRead,
    ...(report.vatRegime ? { vatRegime: report.vatRegime } : {}),
    creditNote: report.invoiceType === 'AVOIR',
  });
  report.lines = reading.lines;
  report.linesCheck = { consistent: reading.consistent, issues: reading.issues };
}
