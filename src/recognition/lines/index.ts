/** The invoice lines room (issue #13): reading the lines of the printed pages and checking them. */
export type {
  DecimalString,
  InvoiceLine,
  InvoiceLineKind,
  LineIssue,
  LineIssueCode,
  LinesReading,
  LineTotals,
  ReadLinesOptions,
} from './types.js';
export { readLines } from './read-lines.js';
export { addLinesSection } from './report.js';
export { lineIssueMessage } from './messages.js';
