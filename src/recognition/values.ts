/**
 * Parsers of the values printed on French invoices: amounts (to integer cents), dates (to ISO),
 * identifiers. Each `read*` function is anchored at a position of a canonical string and returns
 * the value and the end index of the text it consumed, or null.
 */

export interface Read<T> {
  value: T;
  /** Index just after the consumed text (in the same string). */
  end: number;
}

function sticky(source: string, flags = ''): RegExp {
  return new RegExp(source, 'y' + flags);
}

// 1 234,56 · 1234,56 · 1.234,56 · 1 234 · 1,234.56 · -12,50. Thousands groups may be separated
// by a space (of any kind, already canonical), a dot, or an apostrophe.
const AMOUNT = sticky(
  "(-\\s?)?(\\d{1,3}(?:[ .']\\d{3})+|\\d+)(?:([,.])(\\d{1,2}))?(?!\\d)(?:\\s?(€|eur(?:os?)?\\b))?",
  'i',
);
const AMOUNT_EN = sticky('(-\\s?)?(\\d{1,3}(?:,\\d{3})+)\\.(\\d{2})(?!\\d)(?:\\s?(€|eur(?:os?)?\\b))?', 'i');
const CURRENCY_PREFIX = sticky('(€|eur\\b)\\s?', 'i');

export interface Amount {
  cents: number;
  /** True when a currency sign or code was printed next to the amount. */
  currency: string | null;
}

/** Reads an amount at `start`; accepts a currency sign before or after it. */
export function readAmount(text: string, start: number): Read<Amount> | null {
  let pos = start;
  let prefix: string | null = null;
  CURRENCY_PREFIX.lastIndex = pos;
  const p = CURRENCY_PREFIX.exec(text);
  if (p) {
    prefix = 'EUR';
    pos = CURRENCY_PREFIX.lastIndex;
  }
  AMOUNT_EN.lastIndex = pos;
  const en = AMOUNT_EN.exec(text);
  if (en) {
    const units = Number((en[2] as string).replace(/,/g, ''));
    const cents = units * 100 + Number(en[3]);
    return {
      value: { cents: en[1] ? -cents : cents, currency: en[4] ? 'EUR' : prefix },
      end: AMOUNT_EN.lastIndex,
    };
  }
  AMOUNT.lastIndex = pos;
  const m = AMOUNT.exec(text);
  if (!m) return null;
  const intPart = (m[2] as string).replace(/[ .']/g, '');
  // A lone `.` or `,` followed by three digits is a thousands separator, which the group regex
  // above already consumed; what remains after [,.] is 1-2 decimals.
  if (intPart.length > 12) return null;
  const decimals = m[4] ? (m[4].length === 1 ? m[4] + '0' : m[4]) : '00';
  const cents = Number(intPart) * 100 + Number(decimals);
  return {
    value: { cents: m[1] ? -cents : cents, currency: m[5] ? 'EUR' : prefix },
    end: AMOUNT.lastIndex,
  };
}

/** Integer cents → the contract's decimal string (`1250.00`). */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const MONTHS: Record<string, number> = {
  janvier: 1,
  janv: 1,
  jan: 1,
  fevrier: 2,
  fevr: 2,
  fev: 2,
  mars: 3,
  mar: 3,
  avril: 4,
  avr: 4,
  mai: 5,
  juin: 6,
  juillet: 7,
  juil: 7,
  aout: 8,
  septembre: 9,
  sept: 9,
  sep: 9,
  octobre: 10,
  oct: 10,
  novembre: 11,
  nov: 11,
  decembre: 12,
  dec: 12,
};

const DATE_NUMERIC = sticky('(\\d{1,2})\\s?([/.-])\\s?(\\d{1,2})\\s?\\2\\s?(\\d{4}|\\d{2})(?!\\d)');
const DATE_ISO = sticky('(\\d{4})-(\\d{2})-(\\d{2})(?!\\d)');
const DATE_WORDS = sticky(
  '(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche),?\\s)?(\\d{1,2})(?:er)?\\s([a-z]{3,9})\\.?\\s(\\d{4}|\\d{2})(?!\\d)',
);

function isoDate(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2199) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Reads a French date at `start`: `15/03/2026`, `15-03-2026`, `15.03.26`, `15 mars 2026`,
 * `1er mars 2026`, `lundi 2 mars 2026`, or ISO `2026-03-15`. `folded` is the accent-free
 * lower-case copy of `text` (same indices), used for month names.
 */
export function readDate(text: string, folded: string, start: number): Read<string> | null {
  DATE_ISO.lastIndex = start;
  const iso = DATE_ISO.exec(text);
  if (iso) {
    const v = isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    return v ? { value: v, end: DATE_ISO.lastIndex } : null;
  }
  DATE_NUMERIC.lastIndex = start;
  const n = DATE_NUMERIC.exec(text);
  if (n) {
    let y = Number(n[4]);
    if ((n[4] as string).length === 2) y += 2000;
    const v = isoDate(y, Number(n[3]), Number(n[1]));
    return v ? { value: v, end: DATE_NUMERIC.lastIndex } : null;
  }
  DATE_WORDS.lastIndex = start;
  const w = DATE_WORDS.exec(folded);
  if (w) {
    const month = MONTHS[w[2] as string];
    if (month === undefined) return null;
    const y = Number(w[3]) + ((w[3] as string).length === 2 ? 2000 : 0);
    const v = isoDate(y, month, Number(w[1]));
    return v ? { value: v, end: DATE_WORDS.lastIndex } : null;
  }
  return null;
}

const TOKEN = sticky('[A-Za-z0-9][A-Za-z0-9_/+.\\-]*');

/**
 * Reads a reference (invoice, order, market number, service code): a run of letters, digits and
 * `_ / + - .` that contains at least one digit (or, when `lettersOnly` is allowed, is upper case).
 */
export function readReference(
  text: string,
  start: number,
  opts: { maxLength: number; allowUpperWord?: boolean },
): Read<string> | null {
  TOKEN.lastIndex = start;
  const m = TOKEN.exec(text);
  if (!m) return null;
  const value = m[0].replace(/[.\-/]+$/, '');
  const end = start + value.length;
  if (value.length === 0 || value.length > opts.maxLength) return null;
  // A number followed by decimals is an amount, not a reference (`1479,85`).
  if (/^,\d/.test(text.slice(end, end + 2))) return null;
  const hasDigit = /\d/.test(value);
  const upperCode = /^[A-Z0-9_\-/+.]{2,}$/.test(value) && /[A-Z]/.test(value);
  if (!hasDigit && !(opts.allowUpperWord && upperCode)) return null;
  return { value, end };
}

const SIRET_PRINT = sticky('(\\d(?:[ .]?\\d){13})(?![\\d])');
const SIRET_GLUED_BY_LETTER = /^\d{14}$/;

/** Reads a 14-digit SIRET printed with or without spaces/dots (`213 300 635 00017`). */
export function readSiret(text: string, start: number): Read<string> | null {
  SIRET_PRINT.lastIndex = start;
  const m = SIRET_PRINT.exec(text);
  if (!m) return null;
  const digits = (m[1] as string).replace(/[ .]/g, '');
  if (!SIRET_GLUED_BY_LETTER.test(digits)) return null;
  return { value: digits, end: SIRET_PRINT.lastIndex };
}

const VAT_PRINT = sticky(
  '([A-Za-z]{2})\\s?([0-9A-Za-z]{2})\\s?(\\d{3})\\s?(\\d{3})\\s?(\\d{3})(?![0-9A-Za-z])',
);
const VAT_OTHER = sticky('([A-Z]{2})\\s?([0-9A-Z]{2,13})(?![0-9A-Za-z])');

/** Reads an intra-community VAT number (`FR 65 912345675`, `FR65912345675`, `BE0123456789`). */
export function readVatNumber(text: string, start: number): Read<string> | null {
  VAT_PRINT.lastIndex = start;
  const m = VAT_PRINT.exec(text);
  if (m) {
    const value = m.slice(1).join('').toUpperCase();
    return { value, end: VAT_PRINT.lastIndex };
  }
  VAT_OTHER.lastIndex = start;
  const o = VAT_OTHER.exec(text);
  if (o && /\d{4}/.test(o[2] as string) && o[1] !== 'FR') {
    return { value: (o[1] as string) + (o[2] as string), end: VAT_OTHER.lastIndex };
  }
  return null;
}

const IBAN_PRINT = sticky(
  '([A-Za-z]{2}\\d{2})((?:\\s?[A-Za-z0-9]{4}){2,7})(\\s?[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])',
);

/** Reads an IBAN printed in groups of four or in one block; returns it compact and upper case. */
export function readIban(text: string, start: number): Read<string> | null {
  IBAN_PRINT.lastIndex = start;
  const m = IBAN_PRINT.exec(text);
  if (!m) return null;
  const value = m[0].replace(/\s/g, '').toUpperCase();
  if (value.length < 15 || value.length > 34) return null;
  return { value, end: IBAN_PRINT.lastIndex };
}
