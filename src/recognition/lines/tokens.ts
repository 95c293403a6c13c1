/**
 * The positioned text of a page (layout.ts chunks) cut into rows of tokens for the line reader:
 * a row is one printed line; a token is a number (quantity, amount, percent) or a phrase of
 * words printed close together. Numbers keep their exact decimal form (no floats).
 */
import type { Chunk } from '../layout.js';

export type TokenKind = 'text' | 'number' | 'percent';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Accent-free lower-case copy of `text`. */
  folded: string;
  left: number;
  right: number;
  /** `number` and `percent`: the value as a '.' decimal string (`"1250.00"`, `"5.5"`). */
  decimal?: string;
  /** `number`: the value in cents when it has at most 2 decimals. */
  cents?: number;
  /** `number`: a currency sign or code was printed with it. */
  currency?: boolean;
  /** Tokens printed as one phrase (words at normal spacing) share this number within a row. */
  phrase: number;
}

/**
 * One printed line of a page. Its tokens are cut on first use only: most rows of an invoice are
 * never looked at beyond their folded text, which keeps the reading cheap.
 */
export class Row {
  readonly page: number;
  /** Index of the line on its page (layout.ts reading order). */
  readonly line: number;
  top: number;
  bottom: number;
  fontSize: number;
  /** Folded text of the whole row, chunks joined by a space. */
  folded = '';
  readonly chunks: Chunk[] = [];
  private cut: Token[] | null = null;

  constructor(first: Chunk) {
    this.page = first.page;
    this.line = first.line;
    this.top = first.top;
    this.bottom = first.bottom;
    this.fontSize = first.fontSize;
  }

  /** The row's tokens, left to right. */
  get tokens(): Token[] {
    if (!this.cut) {
      const out: Token[] = [];
      for (const c of this.chunks) out.push(...tokenize(c));
      this.cut = out.sort((a, b) => a.left - b.left);
    }
    return this.cut;
  }
}

/** A space wider than this (in em) separates two phrases; narrower ones join words. */
const PHRASE_GAP = 0.6;

// A number, possibly grouped by thousands, with a sign and a currency before or after it.
const NUMBER = new RegExp(
  "(?:(€|eur)\\s?)?([-−–]\\s?)?(\\d{1,3}(?:[ '.,’]\\d{3})+(?:[.,]\\d+)?|\\d+(?:[.,]\\d+)?)" +
    '(?:\\s?(€|eur(?:os?)?\\b|%|ht\\b))?(?=$|[\\s)])',
  'iy',
);

/** `1 234,56` / `1,234.56` / `1.234,56` / `750.00` → `1234.56`; null when it is not a number. */
export function normalizeNumber(raw: string): string | null {
  const s = raw.replace(/[ '’]/g, '');
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  let intPart: string;
  let frac = '';
  if (lastComma >= 0 && lastDot >= 0) {
    const decimalSep = lastComma > lastDot ? ',' : '.';
    const at = Math.max(lastComma, lastDot);
    intPart = s.slice(0, at).replace(/[.,]/g, '');
    frac = s.slice(at + 1);
    if (s.slice(0, at).includes(decimalSep)) return null;
  } else if (lastComma >= 0 || lastDot >= 0) {
    const sep = lastComma >= 0 ? ',' : '.';
    const parts = s.split(sep);
    if (parts.length > 2) {
      // Only thousands groups: 1.234.567
      if (parts.slice(1).some((p) => p.length !== 3)) return null;
      intPart = parts.join('');
    } else {
      intPart = parts[0] as string;
      frac = parts[1] as string;
    }
  } else {
    intPart = s;
  }
  if (!/^\d+$/.test(intPart) || !/^\d*$/.test(frac)) return null;
  const int = intPart.replace(/^0+(?=\d)/, '');
  return frac ? `${int}.${frac}` : int;
}

/** Cents of a decimal string with at most 2 decimals; undefined otherwise. */
export function decimalToCents(decimal: string): number | undefined {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(decimal);
  if (!m) return undefined;
  const cents = Number(m[2]) * 100 + Number(((m[3] ?? '') + '00').slice(0, 2));
  if (!Number.isSafeInteger(cents)) return undefined;
  return m[1] ? -cents : cents;
}

interface Word {
  start: number;
  end: number;
}

/** Words of a chunk and, for each gap before a word, its width in em. */
function words(chunk: Chunk): Array<Word & { gapBefore: number }> {
  const out: Array<Word & { gapBefore: number }> = [];
  const text = chunk.text;
  let i = 0;
  let prevEnd = -1;
  while (i < text.length) {
    while (i < text.length && text.charAt(i) === ' ') i++;
    if (i >= text.length) break;
    const start = i;
    while (i < text.length && text.charAt(i) !== ' ') i++;
    const gap =
      prevEnd < 0 ? Infinity : ((chunk.xs[start] as number) - (chunk.xs[prevEnd] as number)) / chunk.fontSize;
    out.push({ start, end: i, gapBefore: gap });
    prevEnd = i;
  }
  return out;
}

function tokenFrom(chunk: Chunk, start: number, end: number, kind: TokenKind): Token {
  const text = chunk.text.slice(start, end);
  return {
    kind,
    text,
    folded: chunk.folded.slice(start, end),
    left: chunk.xs[start] as number,
    right: chunk.xs[end] as number,
    phrase: 0,
  };
}

/** Cuts one phrase (chunk text between wide gaps) into number tokens and text tokens. */
function tokenizePhrase(chunk: Chunk, start: number, end: number, out: Token[]): void {
  const text = chunk.text;
  let textStart = -1;
  let i = start;
  const flushText = (until: number) => {
    if (textStart >= 0) {
      let e = until;
      while (e > textStart && text.charAt(e - 1) === ' ') e--;
      if (e > textStart) out.push(tokenFrom(chunk, textStart, e, 'text'));
      textStart = -1;
    }
  };
  while (i < end) {
    const atWord = i === start || text.charAt(i - 1) === ' ';
    if (atWord && text.charAt(i) !== ' ') {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (m && m.index === i && NUMBER.lastIndex <= end) {
        const decimal = normalizeNumber(m[3] as string);
        if (decimal !== null) {
          flushText(i);
          const suffix = (m[4] ?? '').toLowerCase();
          const negative = Boolean(m[2]);
          const value = negative && decimal !== '0' ? `-${decimal}` : decimal;
          const tok = tokenFrom(chunk, i, NUMBER.lastIndex, suffix === '%' ? 'percent' : 'number');
          tok.decimal = value;
          if (tok.kind === 'number') {
            tok.cents = decimalToCents(value);
            tok.currency = Boolean(m[1]) || (suffix !== '' && suffix !== 'ht');
          }
          out.push(tok);
          i = NUMBER.lastIndex;
          continue;
        }
      }
    }
    if (textStart < 0 && text.charAt(i) !== ' ') textStart = i;
    i++;
  }
  flushText(end);
}

let phraseCounter = 0;

/** Tokens of a chunk, left to right. */
export function tokenize(chunk: Chunk): Token[] {
  const out: Token[] = [];
  const cut = (from: number, to: number) => {
    const before = out.length;
    tokenizePhrase(chunk, from, to, out);
    phraseCounter++;
    for (let k = before; k < out.length; k++) (out[k] as Token).phrase = phraseCounter;
  };
  const ws = words(chunk);
  let phraseStart = -1;
  let phraseEnd = -1;
  for (const w of ws) {
    if (phraseStart >= 0 && w.gapBefore > PHRASE_GAP) {
      cut(phraseStart, phraseEnd);
      phraseStart = -1;
    }
    if (phraseStart < 0) phraseStart = w.start;
    phraseEnd = w.end;
  }
  if (phraseStart >= 0) cut(phraseStart, phraseEnd);
  return out;
}

/** Rows of the given pages (chunks in reading order). */
export function buildRows(chunks: readonly Chunk[]): Row[] {
  const rows: Row[] = [];
  let current: Row | null = null;
  for (const c of chunks) {
    if (!current || current.page !== c.page || current.line !== c.line) {
      current = new Row(c);
      rows.push(current);
    }
    current.top = Math.min(current.top, c.top);
    current.bottom = Math.max(current.bottom, c.bottom);
    current.fontSize = Math.max(current.fontSize, c.fontSize);
    current.chunks.push(c);
  }
  for (const r of rows) r.folded = r.chunks.map((c) => c.folded).join(' ');
  return rows;
}

/** The text of tokens of one row as printed: a space only where the page leaves a gap. */
export function joinTokens(tokens: readonly Token[]): string {
  let out = '';
  let prev: Token | null = null;
  for (const t of tokens) {
    if (prev && (t.phrase !== prev.phrase || t.left - prev.right > 0.5)) out += ' ';
    out += t.text;
    prev = t;
  }
  return out;
}
