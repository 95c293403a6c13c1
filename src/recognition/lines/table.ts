/**
 * Reading the rows under a table header: each row whose amount sits in the amount column is an
 * invoice line; rows without one carry the wrapped parts of a nearby line's description. The
 * table ends at the totals (« Total HT », « Sous-total », « Net à payer »…), at the next header
 * or at the end of the page.
 */
import type { Column, TableHeader } from './header.js';
import { joinTokens, normalizeNumber, type Row, type Token } from './tokens.js';

const GLUED_QUANTITY = /^(\d+(?:[.,]\d+)?)(\p{L}[\p{L}.()]{0,9})$/u;

export interface RawLine {
  page: number;
  top: number;
  bottom: number;
  left: number;
  right: number;
  description: string[];
  quantity?: string;
  unit?: string;
  unitPrice?: string;
  vatRate?: string;
  amountCents: number;
  /** The row only adjusts the sum (a « Remise » or « Frais » row of the table). */
  adjustment?: 'discount' | 'charge';
}

export interface TableRead {
  lines: RawLine[];
  /** Why the table ended: a totals row (index in `rows`), or the end of the page. */
  end: { kind: 'totals'; row: number } | { kind: 'page-end' } | { kind: 'next-header' };
}

/** Totals and summaries that close the table. */
const STOP =
  /^(?:sous[- ]?total|total|montant (?:total|net|ht|a payer|du)|net (?:a payer|ht|total)|net total|base ht|reste a payer|a reporter|report\b|(?:detail|recapitulatif|ventilation|repartition)\b.{0,12}\b(?:tva|taxes?)|taux tva|tva\b|taxe? sur la valeur|tax\b|taxes\b|acompte|deja (?:paye|regle)|conditions de paiement)(?![a-z])/;
/** Rows inside a table that are not lines: a carried-forward sum. */
const CARRIED = /^(?:montant du report|report|a reporter|reporte)\b/;
export const DISCOUNT_LABEL = /\b(?:remise|rabais|escompte|reduction|ristourne|discount|allowance)\b/;
export const CHARGE_LABEL =
  /\b(?:frais|port|livraison|transport|emballage|majoration|supplement|charge|deplacement|shipping)\b/;

const TEXT_ROLES = new Set(['description', 'other', 'unit', 'reference']);
const isTextColumn = (c: Column): boolean => TEXT_ROLES.has(c.role);

/**
 * The zones of the columns: where a token's centre must fall to belong to each column. Text is
 * left-aligned under its header and numbers right-aligned (often wider than their header), so a
 * boundary sits just left of a column's header, at most half the gap away; between two numeric
 * columns, in the middle of the gap.
 */
export function columnZones(header: TableHeader): number[] {
  const cols = header.columns;
  const bounds: number[] = [];
  for (let i = 0; i + 1 < cols.length; i++) {
    const a = cols[i] as Column;
    const b = cols[i + 1] as Column;
    const gap = Math.max(0, b.left - a.right);
    if (!isTextColumn(a) && !isTextColumn(b)) bounds.push(a.right + gap / 2);
    else if (isTextColumn(b)) bounds.push(b.left - Math.min(gap / 2, 0.5 * header.fontSize));
    else bounds.push(b.left - Math.min(gap / 2, 1.5 * header.fontSize));
  }
  return bounds;
}

function zoneOf(t: Token, bounds: number[]): number {
  const centre = (t.left + t.right) / 2;
  let i = 0;
  while (i < bounds.length && centre >= (bounds[i] as number)) i++;
  return i;
}

/** A sentence running across columns (a footer, a note): not a row of the table. */
function isProse(row: Row, bounds: number[]): boolean {
  const spans = new Map<number, { left: number; right: number; letters: number }>();
  for (const t of row.tokens) {
    const letters = t.kind === 'text' ? t.text.replace(/[^\p{L}]/gu, '').length : 0;
    const s = spans.get(t.phrase);
    if (s) {
      s.left = Math.min(s.left, t.left);
      s.right = Math.max(s.right, t.right);
      s.letters += letters;
    } else spans.set(t.phrase, { left: t.left, right: t.right, letters });
  }
  for (const s of spans.values()) {
    if (s.letters < 12) continue;
    let crossed = 0;
    for (const b of bounds) if (s.left < b - 2 && s.right > b + 2) crossed++;
    if (crossed >= 2) return true;
  }
  return false;
}

function stops(row: Row): boolean {
  return row.tokens.some((t) => t.kind === 'text' && STOP.test(t.folded));
}

interface Cells {
  byRole: Map<string, Token[]>;
  /** Tokens of the description side (description and other text columns left of the numbers). */
  description: Token[];
}

function cellsOf(row: Row, header: TableHeader, bounds: number[]): Cells {
  const byRole = new Map<string, Token[]>();
  for (const t of row.tokens) {
    const i = zoneOf(t, bounds);
    const role = i === header.amount ? 'amount' : (header.columns[i] as Column).role;
    const list = byRole.get(role) ?? [];
    list.push(t);
    byRole.set(role, list);
  }
  // The description column(s); without one, the text columns left of the numbers.
  const hasDescription = header.columns.some((c) => c.role === 'description');
  const firstNumeric = header.columns.findIndex((c) => !isTextColumn(c));
  const description = row.tokens.filter((t) => {
    const i = zoneOf(t, bounds);
    const role = (header.columns[i] as Column).role;
    if (i === header.amount) return false;
    if (hasDescription) return role === 'description';
    return role === 'other' && (firstNumeric < 0 || i < firstNumeric);
  });
  return { byRole, description };
}

const isAmount = (t: Token): boolean => t.kind === 'number' && t.cents !== undefined;

/** The line amount of a row: the right-most money value in the amount column. */
function amountOf(cells: Cells): Token | undefined {
  const list = (cells.byRole.get('amount') ?? []).filter(isAmount);
  return list[list.length - 1];
}

function lineFrom(row: Row, cells: Cells, amount: Token): RawLine {
  const get = (role: string) => cells.byRole.get(role) ?? [];
  const line: RawLine = {
    page: row.page,
    top: row.top,
    bottom: row.bottom,
    left: Math.min(...row.tokens.map((t) => t.left)),
    right: Math.max(...row.tokens.map((t) => t.right)),
    description: [],
    amountCents: amount.cents as number,
  };
  const qty = get('quantity');
  const qtyNumber = qty.find((t) => t.kind === 'number');
  if (qtyNumber?.decimal) {
    line.quantity = qtyNumber.decimal;
    const after = qty.find((t) => t.kind === 'text' && t.left >= qtyNumber.right - 0.5);
    if (after && after.text.length <= 12 && /\p{L}/u.test(after.text)) line.unit = after.text;
  } else {
    // A unit glued to its quantity: « 5kg », « 2j », « 1,5h ».
    const glued = qty.map((t) => GLUED_QUANTITY.exec(t.text)).find((m) => m !== null);
    const decimal = glued ? normalizeNumber(glued[1] as string) : null;
    if (glued && decimal !== null) {
      line.quantity = decimal;
      line.unit = glued[2] as string;
    }
  }
  const unit = get('unit').find((t) => t.kind === 'text');
  if (unit && unit.text.length <= 12 && /\p{L}/u.test(unit.text)) line.unit = unit.text;
  const price = get('unitPrice').find((t) => t.kind === 'number');
  if (price?.decimal) line.unitPrice = price.decimal;
  const unitAfterPrice = get('unitPrice').find(
    (t) => t.kind === 'text' && price && t.left >= price.right - 0.5,
  );
  if (!line.unit && unitAfterPrice && unitAfterPrice.text.length <= 12 && !/[€%]/.test(unitAfterPrice.text))
    line.unit = unitAfterPrice.text;
  const rate = [...get('vatRate'), ...get('amount')].find((t) => t.kind === 'percent');
  if (rate?.decimal) line.vatRate = rate.decimal;
  else {
    const bare = get('vatRate').find(
      (t) => t.kind === 'number' && t.cents !== undefined && t.cents <= 10000 && !t.currency,
    );
    if (bare?.decimal) line.vatRate = bare.decimal;
  }
  line.description = cells.description.length > 0 ? [joinTokens(cells.description)] : [];
  const folded = line.description
    .join(' ')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
  // A row without a unit price that only adds to or takes from the sum: its « quantity » is
  // then the base it is computed on (« 5 % sur 100,00 »), not a quantity.
  if (line.unitPrice === undefined && (DISCOUNT_LABEL.test(folded) || line.amountCents < 0))
    line.adjustment = 'discount';
  else if (line.unitPrice === undefined && CHARGE_LABEL.test(folded)) line.adjustment = 'charge';
  if (line.adjustment) {
    delete line.quantity;
    delete line.unit;
  }
  return line;
}

/**
 * Reads the rows `rows[from..]` under `header` (same page), until totals, another header
 * (`stopAt`, exclusive) or the end of the page.
 */
export function readTable(rows: Row[], from: number, stopAt: number, header: TableHeader): TableRead {
  const anchors: Array<{ line: RawLine; row: Row }> = [];
  const loose: Array<{ row: Row; text: string[] }> = [];
  let end: TableRead['end'] = { kind: 'page-end' };
  const bounds = columnZones(header);
  let i = from;
  for (; i < rows.length && i < stopAt; i++) {
    const row = rows[i] as Row;
    if (row.page !== header.page) break;
    if (CARRIED.test(row.folded)) continue;
    const cells = cellsOf(row, header, bounds);
    const amount = amountOf(cells);
    if (stops(row)) {
      end = { kind: 'totals', row: i };
      break;
    }
    if (isProse(row, bounds)) continue;
    // A line shows something besides its amount: a description (here or on a wrapped row
    // nearby, with another text cell here), a quantity or a unit price. A lone amount is a sum.
    const hasContent =
      cells.description.length > 0 ||
      (cells.byRole.get('quantity') ?? []).length > 0 ||
      (cells.byRole.get('unitPrice') ?? []).length > 0 ||
      row.tokens.some((t) => t.kind === 'text' && !(cells.byRole.get('amount') ?? []).includes(t));
    if (amount && hasContent) {
      anchors.push({ line: lineFrom(row, cells, amount), row });
    } else if (!amount && cells.description.length > 0) {
      loose.push({ row, text: [joinTokens(cells.description)] });
    }
  }
  if (i >= stopAt && i < rows.length && (rows[i] as Row).page === header.page) end = { kind: 'next-header' };
  attachContinuations(anchors, loose);
  return { lines: anchors.map((a) => a.line), end };
}

/**
 * Wrapped description parts go to the nearest line above or below (by the vertical gap), only
 * when close (within two line heights of it or of a part already attached): closest parts first,
 * so that a part two lines away chains through the one in between.
 */
function attachContinuations(
  anchors: Array<{ line: RawLine; row: Row }>,
  loose: Array<{ row: Row; text: string[] }>,
): void {
  if (anchors.length === 0) return;
  const extra = new Map<RawLine, Array<{ top: number; text: string[] }>>();
  const nearest = (l: { row: Row }) => {
    let best: { line: RawLine; gap: number } | null = null;
    for (const a of anchors) {
      const below = l.row.top >= a.row.top;
      const gap = below ? l.row.top - a.line.bottom : (a.line.top - l.row.bottom) * 1.25;
      if (!best || gap < best.gap) best = { line: a.line, gap };
    }
    return best as { line: RawLine; gap: number };
  };
  const pending = [...loose];
  while (pending.length > 0) {
    let pick = 0;
    let pickBest = nearest(pending[0] as { row: Row });
    for (let k = 1; k < pending.length; k++) {
      const b = nearest(pending[k] as { row: Row });
      if (b.gap < pickBest.gap) {
        pick = k;
        pickBest = b;
      }
    }
    const l = pending.splice(pick, 1)[0] as { row: Row; text: string[] };
    if (pickBest.gap > 2.2 * l.row.fontSize) break;
    const line = pickBest.line;
    line.top = Math.min(line.top, l.row.top);
    line.bottom = Math.max(line.bottom, l.row.bottom);
    const list = extra.get(line) ?? [];
    list.push({ top: l.row.top, text: l.text });
    extra.set(line, list);
  }
  for (const a of anchors) {
    const parts = [...(extra.get(a.line) ?? []), { top: a.row.top, text: a.line.description }];
    parts.sort((x, y) => x.top - y.top);
    a.line.description = parts.flatMap((p) => p.text);
  }
}
