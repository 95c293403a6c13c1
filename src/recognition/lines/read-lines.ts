/**
 * `readLines`: the invoice lines of pages 1–3 from the positioned text the recognition already
 * extracted (layout.ts chunks), checked against the totals. Pure and cheap (no PDF access): it
 * runs on every inspection. Never invents a line: only rows printed with an amount in the amount
 * column of a table are lines.
 */
import type { Chunk } from '../layout.js';
import { buildRows, joinTokens, type Row, type Token } from './tokens.js';
import { findHeaders, type TableHeader } from './header.js';
import { CHARGE_LABEL, DISCOUNT_LABEL, readTable, type RawLine } from './table.js';
import { checkLines, completeRates, type DocumentRates } from './check.js';
import type { InvoiceLine, LinesReading, LineTotals, ReadLinesOptions } from './types.js';

const SUBTOTAL = /^(?:sous[- ]?total|total (?:brut|des lignes|lignes|articles|prestations))/;
const TOTAL_HT = /^(?:total|montant|net)\b.*\b(?:ht|hors taxes?|h\.t\.?)\b|^(?:total|montant) net\b/;
const PRINTED_RATE = /\b(?:tva|t\.v\.a|vat|taxe?s?)\b/;

const round = (n: number): number => Math.round(n * 100) / 100;

function toLine(raw: RawLine): InvoiceLine {
  const line: InvoiceLine = {
    kind: raw.adjustment ?? 'line',
    description: raw.description.join(' ').replace(/\s+/g, ' ').trim(),
    amountCents: raw.amountCents,
    page: raw.page,
    box: {
      x: round(raw.left),
      y: round(raw.top),
      width: round(raw.right - raw.left),
      height: round(raw.bottom - raw.top),
    },
  };
  if (raw.quantity !== undefined) line.quantity = raw.quantity;
  if (raw.unit !== undefined) line.unit = raw.unit;
  if (raw.unitPrice !== undefined) line.unitPrice = raw.unitPrice;
  if (raw.vatRate !== undefined) {
    line.vatRate = trimRate(raw.vatRate);
    line.vatRateFrom = 'line';
  }
  return line;
}

/**
 * Charges and discounts printed between a sub-total and the total excl. tax
 * (« Sous-total … Frais de port … Remise 5 % … Total HT »).
 */
function readAdjustments(rows: Row[], subtotalRow: number): RawLine[] {
  const first = rows[subtotalRow] as Row;
  const label = first.tokens.find((t) => t.kind === 'text');
  if (!label || !SUBTOTAL.test(label.folded)) return [];
  const out: RawLine[] = [];
  for (let i = subtotalRow + 1; i < rows.length; i++) {
    const row = rows[i] as Row;
    if (row.page !== first.page || row.top - first.bottom > 12 * first.fontSize) break;
    const text = row.tokens.filter((t) => t.kind === 'text');
    const amount = [...row.tokens].reverse().find((t) => t.kind === 'number' && t.cents !== undefined);
    const folded = text.map((t) => t.folded).join(' ');
    if (!amount || text.length === 0 || TOTAL_HT.test(folded)) break;
    const discount = DISCOUNT_LABEL.test(folded);
    if (!discount && !CHARGE_LABEL.test(folded)) break;
    const rate = row.tokens.find((t) => t.kind === 'percent' && PRINTED_RATE.test(folded));
    const cents = amount.cents as number;
    out.push({
      page: row.page,
      top: row.top,
      bottom: row.bottom,
      left: Math.min(...row.tokens.map((t) => t.left)),
      right: Math.max(...row.tokens.map((t) => t.right)),
      description: [joinTokens(row.tokens.filter((t) => t !== amount))],
      amountCents: discount ? -Math.abs(cents) : cents,
      adjustment: discount ? 'discount' : 'charge',
      ...(rate?.decimal && !discount ? { vatRate: rate.decimal } : {}),
    });
  }
  return out;
}

/**
 * VAT rates printed outside the tables (`TVA 20 %`, `TVA 5,5 % : 16,50`), distinct, with the
 * amounts printed on their rows.
 */
function printedRates(rows: Row[], inTables: Set<Row>): DocumentRates {
  const amountsByRate = new Map<string, number[]>();
  // A VAT summary table: a heading row naming the VAT (« Base HT | Taux | Montant TVA »), then
  // one row per rate without the word.
  let heading: Row | null = null;
  for (const r of rows) {
    if (inTables.has(r)) continue;
    const named = PRINTED_RATE.test(r.folded) || /\btaux\b/.test(r.folded);
    const hasPercent = r.folded.includes('%');
    if (named && !hasPercent) {
      heading = r;
      continue;
    }
    const underHeading =
      heading !== null &&
      heading.page === r.page &&
      r.top - heading.bottom < 4 * Math.max(r.fontSize, heading.fontSize);
    if (!named && !underHeading) continue;
    if (underHeading && heading) heading = r;
    const percents = r.tokens.filter((t) => t.kind === 'percent' && t.decimal);
    if (percents.length !== 1) continue;
    const rate = trimRate((percents[0] as Token).decimal as string);
    if (Number(rate) > 30) continue;
    const amounts = amountsByRate.get(rate) ?? [];
    for (const t of r.tokens) if (t.kind === 'number' && t.cents !== undefined) amounts.push(t.cents);
    amountsByRate.set(rate, amounts);
  }
  return { printed: [...amountsByRate.keys()], amountsByRate };
}

const trimRate = (decimal: string): string => decimal.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');

export function readLines(
  chunks: readonly Chunk[],
  totals: LineTotals,
  options: ReadLinesOptions = {},
): LinesReading {
  const pagesRead = options.pagesRead ?? 3;
  const rows = buildRows(chunks.filter((c) => c.page <= pagesRead));
  const headers = findHeaders(rows);
  const raw: RawLine[] = [];
  const tableRows = new Set<Row>();
  for (let k = 0; k < headers.length; k++) {
    const { header, lastRow } = headers[k] as (typeof headers)[number];
    const next = headers[k + 1];
    const stopAt = next ? next.firstRow : rows.length;
    const table = readTable(rows, lastRow + 1, stopAt, header);
    raw.push(...table.lines);
    const endRow = table.end.kind === 'totals' ? table.end.row : stopAt;
    for (let i = lastRow + 1; i < endRow && i < rows.length; i++) tableRows.add(rows[i] as Row);
    if (table.end.kind === 'totals') raw.push(...readAdjustments(rows, table.end.row));
    if (table.end.kind === 'page-end' && table.lines.length > 0)
      raw.push(...continueOnNextPage(rows, header, next));
  }
  const doc = printedRates(rows, tableRows);
  const lines = completeRates(raw.map(toLine), totals, doc, options);
  const issues = checkLines(lines, totals, options);
  return { lines, consistent: issues.length === 0, issues };
}

/**
 * A table that runs to the bottom of its page without totals continues at the top of the next
 * page, in the same columns, when that page does not repeat the header before its rows.
 */
function continueOnNextPage(
  rows: Row[],
  header: TableHeader,
  next: { header: TableHeader; firstRow: number } | undefined,
): RawLine[] {
  const page = header.page + 1;
  const from = rows.findIndex((r) => r.page === page);
  if (from < 0) return [];
  if (next && next.header.page === page) return [];
  const stopAt = next ? next.firstRow : rows.length;
  const moved: TableHeader = { ...header, page };
  return readTable(rows, from, stopAt, moved).lines;
}
