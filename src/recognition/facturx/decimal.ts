/**
 * Decimal strings of the XML ↔ integer cents, without floats. A CII amount is `-?\d+(\.\d+)?`
 * (the XSD's decimal); amounts with more than 2 decimals are rounded half away from zero (the
 * Schematron reports them: BR-DEC rules).
 */

/** Normalizes an xs:decimal lexical form (`+01.50` → `1.5`); undefined when it is not one. */
export function normalizeDecimal(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const s = raw.trim();
  const sign = s.startsWith('-') ? '-' : '';
  const body = s.startsWith('-') || s.startsWith('+') ? s.slice(1) : s;
  const dot = body.indexOf('.');
  const intPart = dot === -1 ? body : body.slice(0, dot);
  const fracPart = dot === -1 ? '' : body.slice(dot + 1);
  if (intPart.length + fracPart.length === 0 || !isDigits(intPart) || !isDigits(fracPart)) return undefined;
  const int = intPart.replace(/^0+(?=\d)/, '') || '0';
  const frac = fracPart.replace(/0+$/, '');
  const out = frac ? `${int}.${frac}` : int;
  return out === '0' ? '0' : sign + out;
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `"1250.5"` → 125050; undefined when not a decimal. */
export function decimalToCents(raw: string | undefined): number | undefined {
  const d = normalizeDecimal(raw);
  if (d === undefined) return undefined;
  const negative = d.startsWith('-');
  const [int = '0', frac = ''] = (negative ? d.slice(1) : d).split('.');
  let cents = Number(int) * 100 + Number((frac + '00').slice(0, 2));
  if (frac.length > 2 && Number(frac[2]) >= 5) cents += 1;
  if (!Number.isSafeInteger(cents)) return undefined;
  return negative ? -cents : cents;
}

/** 125050 → `"1250.50"` (the report's normal form of an amount). */
export function centsToDecimal(cents: number): string {
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const s = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return negative ? `-${s}` : s;
}

/** CII date `format="102"` (`YYYYMMDD`) → ISO `YYYY-MM-DD`; undefined when not a real date. */
export function cii102ToIso(raw: string | undefined, format: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const s = raw.trim();
  if ((format !== undefined && format !== '102') || s.length !== 8 || !isDigits(s)) return undefined;
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : undefined;
}

/** ISO `YYYY-MM-DD` → CII `YYYYMMDD`. */
export function isoToCii102(iso: string): string {
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}
