/**
 * The header of a lines table: a row (or a band of rows, for headers printed on two or three
 * lines) whose cells name the columns — description, quantity, unit, unit price, VAT rate,
 * amount — and the columns' horizontal extents, which the rows below are read against.
 */
import type { Row, Token } from './tokens.js';

/** A cheap test on a row's folded text before cutting it into tokens: does it name a column? */
const HEADER_HINT =
  /\b(?:qte|quantite|qty|quantity|montant|total|amount|prix|price|p\.? ?u\b|designation|description|libelle)/;

export type ColumnRole =
  | 'description'
  | 'reference'
  | 'quantity'
  | 'unit'
  | 'unitPrice'
  | 'vatRate'
  | 'amount'
  | 'vatAmount'
  | 'discount'
  | 'other';

export interface Column {
  role: ColumnRole;
  left: number;
  right: number;
  /** Folded header text. */
  label: string;
}

export interface TableHeader {
  page: number;
  /** Rows of the band, first to last. */
  top: number;
  bottom: number;
  /** Line index (on its page) of the band's last row. */
  lastLine: number;
  fontSize: number;
  columns: Column[];
  /** Index in `columns` of the line amount column. */
  amount: number;
}

const UNIT_PRICE =
  /\b(?:prix unit|prix u\b|prix ht unit|p\.? ?u\.?(?:\s|$|\b)|pu\b|unit price|unit cost|tarif|taux horaire|prix par|prix\/|cout unit|(?<!tax |vat )\brate\b)/;
const QUANTITY = /\b(?:qte|quantite|qty|quantity|qt|nombre|nb|nbre|jours|heures|passages)\b/;
const VAT_AMOUNT = /\b(?:montant (?:de (?:la )?)?tva|tva montant|vat amount|tax amount)\b/;
const AMOUNT = /\b(?:montant|total|amount|prix total|price w|net|valeur|sous-total|prix|price)\b/;
const VAT_RATE = /\b(?:tva|taux|taxes?|tax|vat)\b/;
const UNIT = /^(?:unite|unit|u|unites|units)\.?$/;
const DISCOUNT = /\b(?:remise|rabais|disc|reduction|charge)\b/;
const DESCRIPTION =
  /\b(?:designation|description|libelle|produit|product|article|prestations?|intitule|objet|detail|nature|services?|items?|intervention)\b/;
/** An item code column (« Réf. », « Code », « SKU »): not part of the description. */
const REFERENCE = /^(?:ref(?:erence)?|code|sku|n°|no|#)\b/;
/** A total amount label, never a column of the lines. */
const AMOUNT_TTC = /\bttc\b|incl/;

function roleOf(label: string): ColumnRole {
  if (UNIT_PRICE.test(label)) return 'unitPrice';
  if (VAT_AMOUNT.test(label)) return 'vatAmount';
  if (QUANTITY.test(label)) return 'quantity';
  if (AMOUNT.test(label)) return 'amount';
  if (VAT_RATE.test(label)) return 'vatRate';
  if (UNIT.test(label.trim())) return 'unit';
  if (DISCOUNT.test(label)) return 'discount';
  if (DESCRIPTION.test(label)) return 'description';
  if (REFERENCE.test(label)) return 'reference';
  return 'other';
}

function isHeaderish(row: Row): boolean {
  return row.tokens.length > 0 && row.tokens.every((t) => t.kind === 'text' || t.text.length <= 2);
}

/** The columns of a band of header rows: cells that overlap horizontally form one column. */
function columnsOf(band: Row[]): Column[] {
  const cells: Array<{ left: number; right: number; texts: Array<{ top: number; text: string }> }> = [];
  const tokens: Array<Token & { top: number }> = [];
  for (const r of band) for (const t of r.tokens) tokens.push({ ...t, top: r.top });
  tokens.sort((a, b) => a.left - b.left);
  for (const t of tokens) {
    const hit = cells.find((c) => t.left < c.right - 1 && t.right > c.left + 1);
    if (hit) {
      hit.left = Math.min(hit.left, t.left);
      hit.right = Math.max(hit.right, t.right);
      hit.texts.push({ top: t.top, text: t.folded });
    } else {
      cells.push({ left: t.left, right: t.right, texts: [{ top: t.top, text: t.folded }] });
    }
  }
  // Merging may have widened a cell over a later one: merge again until stable.
  cells.sort((a, b) => a.left - b.left);
  for (let i = 0; i + 1 < cells.length;) {
    const a = cells[i] as (typeof cells)[number];
    const b = cells[i + 1] as (typeof cells)[number];
    if (b.left < a.right - 1) {
      a.right = Math.max(a.right, b.right);
      a.texts.push(...b.texts);
      cells.splice(i + 1, 1);
    } else i++;
  }
  return cells.map((c) => {
    const label = c.texts
      .sort((x, y) => x.top - y.top)
      .map((t) => t.text)
      .join(' ');
    return { role: roleOf(label), left: c.left, right: c.right, label };
  });
}

/** The column holding the line amount (excl. tax): the right-most amount column not TTC. */
function amountColumn(columns: Column[]): number {
  let best = -1;
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i] as Column;
    if (c.role !== 'amount') continue;
    if (AMOUNT_TTC.test(c.label) && best >= 0) continue;
    if (
      best >= 0 &&
      /\b(?:ht|hors|excl|w\/o|net)\b/.test((columns[best] as Column).label) &&
      !/\b(?:ht|hors|excl|w\/o|net)\b/.test(c.label)
    )
      continue;
    best = i;
  }
  return best;
}

/** A header made of `band`, or null when its cells do not name a lines table. */
function headerOf(band: Row[]): TableHeader | null {
  const columns = columnsOf(band);
  // « Prix » alone names the amount only when no other column does.
  const amount = amountColumn(columns);
  if (amount < 0) return null;
  // Another « Prix HT » column beside the amount's is the unit price.
  columns.forEach((c, i) => {
    if (
      i !== amount &&
      c.role === 'amount' &&
      /\b(?:prix|price|tarif)\b/.test(c.label) &&
      !AMOUNT_TTC.test(c.label)
    )
      c.role = 'unitPrice';
  });
  const roles = new Set(columns.map((c) => c.role));
  const named = ['description', 'quantity', 'unitPrice'].filter((r) => roles.has(r as ColumnRole)).length;
  if (named === 0) return null;
  if (!roles.has('description') && !roles.has('quantity')) return null;
  const first = band[0] as Row;
  const last = band[band.length - 1] as Row;
  return {
    page: first.page,
    top: first.top,
    bottom: last.bottom,
    lastLine: last.line,
    fontSize: Math.max(...band.map((r) => r.fontSize)),
    columns,
    amount,
  };
}

/** A row that may continue a header over several lines: header words, no data. */
function bandRow(row: Row): boolean {
  if (!isHeaderish(row) || row.tokens.some((t) => /\d{3}/.test(t.text))) return false;
  return row.tokens.some((t) => roleOf(t.folded) !== 'other') || row.tokens.every((t) => t.text.length <= 12);
}

/** Rows close enough above or below `row` to belong to the same header band. */
function band(rows: Row[], index: number): Row[] {
  const row = rows[index] as Row;
  const out = [row];
  const near = (a: Row, b: Row) => b.top - a.bottom < 0.9 * Math.max(a.fontSize, b.fontSize);
  for (let i = index - 1; i >= 0; i--) {
    const r = rows[i] as Row;
    if (r.page !== row.page || !near(r, out[0] as Row) || !bandRow(r)) break;
    out.unshift(r);
  }
  for (let i = index + 1; i < rows.length; i++) {
    const r = rows[i] as Row;
    if (r.page !== row.page || !near(out[out.length - 1] as Row, r) || !bandRow(r)) break;
    out.push(r);
  }
  return out;
}

export interface FoundHeader {
  header: TableHeader;
  /** Indexes in `rows` of the band's first and last rows. */
  firstRow: number;
  lastRow: number;
}

/** Every lines-table header of the rows, in reading order. */
export function findHeaders(rows: Row[]): FoundHeader[] {
  const found: FoundHeader[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Row;
    if (!HEADER_HINT.test(row.folded) || !isHeaderish(row)) continue;
    const roles = row.tokens.map((t) => roleOf(t.folded));
    if (!roles.some((r) => r === 'amount' || r === 'unitPrice' || r === 'quantity')) continue;
    const rowsOfBand = band(rows, i);
    const header = headerOf(rowsOfBand);
    if (!header) continue;
    const firstRow = rows.indexOf(rowsOfBand[0] as Row);
    const lastRow = rows.indexOf(rowsOfBand[rowsOfBand.length - 1] as Row);
    found.push({ header, firstRow, lastRow });
    i = lastRow;
  }
  return found;
}
