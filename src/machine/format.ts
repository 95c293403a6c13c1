/**
 * French parsing and display of money and dates. Money is integer cents, dates ISO
 * `YYYY-MM-DD`; nothing here uses floats.
 */
import { formatParisDateTime } from '../shared/paris-time.js';

const SPACES = /[\s\u00a0\u202f]/g;

/** Parses « 1 250,00 € », « 1250.5 », « 1.250,00 » into cents; null when it is not an amount. */
export function parseAmountCents(text: string): number | null {
  let s = text
    .trim()
    .replace(/\s*(€|eur|euros?)\s*$/i, '')
    .replace(SPACES, '');
  if (!/^\d[\d.,]*$/.test(s)) return null;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    const decimalSep = lastComma > lastDot ? ',' : '.';
    const thousandsSep = decimalSep === ',' ? '.' : ',';
    s = s.split(thousandsSep).join('').replace(decimalSep, '.');
  } else if (lastComma >= 0) {
    if (s.indexOf(',') !== lastComma) return null;
    s = s.replace(',', '.');
  } else if (lastDot >= 0 && s.indexOf('.') !== lastDot) {
    // « 1.250.000 »: dots as thousands separators only.
    if (!/^\d{1,3}(\.\d{3})+$/.test(s)) return null;
    s = s.split('.').join('');
  }
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const units = m[1] ?? '0';
  if (units.length > 13) return null;
  const decimals = (m[2] ?? '').padEnd(2, '0');
  return Number(units) * 100 + Number(decimals);
}

/** 125000 → « 1 250,00 € » (ASCII spaces, so every channel shows it the same way). */
export function formatCents(cents: number, currency = 'EUR'): string {
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const units = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  const decimals = (abs % 100).toString().padStart(2, '0');
  const symbol = currency === 'EUR' ? '€' : currency;
  return `${negative ? '-' : ''}${units},${decimals} ${symbol}`;
}

const MONTHS = [
  'janvier',
  'fevrier',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'aout',
  'septembre',
  'octobre',
  'novembre',
  'decembre',
];

function stripAccents(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

function isoIfValid(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${year.toString().padStart(4, '0')}-${month.toString().padStart(2, '0')}-${day.toString().padStart(2, '0')}`;
}

/** Parses « 15/03/2026 », « 15-03-26 », « 2026-03-15 », « 15 mars 2026 »; null when not a real date. */
export function parseFrenchDate(text: string): string | null {
  const s = stripAccents(text.trim().toLowerCase()).replace(/\s+/g, ' ');
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) return isoIfValid(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(s);
  if (m) {
    const y = Number(m[3]);
    return isoIfValid(m[3]?.length === 2 ? 2000 + y : y, Number(m[2]), Number(m[1]));
  }
  m = /^(\d{1,2})(?:er)? ([a-z]+)\.? (\d{4})$/.exec(s);
  if (m) {
    const name = m[2] ?? '';
    const month = MONTHS.findIndex((n) => n === name || (name.length >= 3 && n.startsWith(name)));
    if (month >= 0) return isoIfValid(Number(m[3]), month + 1, Number(m[1]));
  }
  return null;
}

/** « 2026-03-15 » → « 15/03/2026 ». */
export function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** « 2026-03-15T10:24:00.000Z » → « 15/03/2026 à 11:24 (heure de Paris) ». */
export const formatDateTime = formatParisDateTime;

/** « 21330063500017 » → « 213 300 635 00017 » (how a SIRET is printed). */
export function formatSiret(siret: string): string {
  return /^\d{14}$/.test(siret)
    ? `${siret.slice(0, 3)} ${siret.slice(3, 6)} ${siret.slice(6, 9)} ${siret.slice(9)}`
    : siret;
}

/** Lower-case, accents removed, spaces collapsed, surrounding punctuation dropped. */
export function normalizeAnswer(text: string): string {
  return stripAccents(text.toLowerCase())
    .replace(/[’']/g, "'")
    .replace(/[!.?;:,]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
