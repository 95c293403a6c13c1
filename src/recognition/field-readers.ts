/**
 * How each field's value is read right after its keyword (values.ts does the parsing; this file
 * says which parser each field uses and the few field-specific rules around it).
 */
import type { FieldKey } from './types.js';
import type { Chunk } from './layout.js';
import {
  formatCents,
  readAmount,
  readDate,
  readIban,
  readReference,
  readSiret,
  readVatNumber,
} from './values.js';

/** A VAT rate between the « TVA » keyword and its amount (`20 %`, `(5,5 %)`, `à 20 %`). */
export const RATE = /\(? ?(?:a |au taux de )?\d{1,2}(?:[,.]\d{1,3})? ?% ?\)? ?:? ?/y;

export interface ValueRead {
  value: string;
  end: number;
  cents?: number;
  currency?: string | null;
}

export type Reader = (chunk: Chunk, start: number, rank: number) => ValueRead | null;

function amountReader(skipRate: boolean): Reader {
  return (chunk, start) => {
    let pos = start;
    if (skipRate) {
      RATE.lastIndex = pos;
      if (RATE.exec(chunk.folded)) pos = RATE.lastIndex;
    }
    const a = readAmount(chunk.text, pos);
    if (!a) return null;
    // A percentage is a rate, not an amount.
    if (/^ ?%/.test(chunk.text.slice(a.end, a.end + 2))) return null;
    return {
      value: formatCents(a.value.cents),
      end: a.end,
      cents: a.value.cents,
      currency: a.value.currency,
    };
  };
}

/** A reference that is not a date (a number is never a date). */
function referenceReader(maxLength: number): Reader {
  return (c, s) => {
    const r = readReference(c.text, s, { maxLength });
    return r && !readDate(c.text, c.folded, s) ? r : null;
  };
}

export const READERS: Record<FieldKey, Reader> = {
  invoiceNumber: referenceReader(20),
  invoiceDate: (c, s) => readDate(c.text, c.folded, s),
  recipientSiret: (c, s) => readSiret(c.text, s),
  supplierSiret: (c, s) => readSiret(c.text, s),
  supplierVatNumber: (c, s) => readVatNumber(c.text, s),
  engagementNumber: referenceReader(50),
  marketNumber: referenceReader(50),
  recipientServiceCode: (c, s, rank) => {
    const r = readReference(c.text, s, { maxLength: 100, allowUpperWord: true });
    if (!r || r.value.includes('/')) return null;
    // The bare word « service » is common prose: only accept code-shaped values after it.
    if (rank > 0 && !/[\d_-]/.test(r.value)) return null;
    return r;
  },
  totalExclTax: amountReader(false),
  totalTax: amountReader(true),
  totalInclTax: amountReader(false),
  supplierIban: (c, s) => readIban(c.text, s),
  currency: (c, s) => {
    const m = /(EUR|USD|GBP|CHF|€|\$|£)(?![A-Za-z])/iy;
    m.lastIndex = s;
    const r = m.exec(c.text);
    if (!r) return null;
    const sym: Record<string, string> = { '€': 'EUR', $: 'USD', '£': 'GBP' };
    const v = r[1] as string;
    return { value: sym[v] ?? v.toUpperCase(), end: m.lastIndex };
  },
  recipientName: (c, s) => {
    const rest = c.text.slice(s).trim();
    if (rest.length < 3 || !/^\p{L}/u.test(rest) || /^(?:siret|siren|tva|n°|adresse)/i.test(rest))
      return null;
    return { value: rest.slice(0, 120), end: c.text.length };
  },
};
