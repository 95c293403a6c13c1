/** Exact decimal × cents arithmetic (BigInt), rounding half away from zero: no float ever. */

/** `"020.50"` → `"20.5"`, `"0.00"` → `"0"`. Throws on anything but a plain decimal. */
export function normalizeRate(rate: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(rate.trim().replace(',', '.'));
  if (!m) throw new RangeError(`not a decimal: ${rate}`);
  const int = m[2]!.replace(/^0+(?=\d)/, '');
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const out = frac ? `${int}.${frac}` : int;
  return out === '0' ? '0' : `${m[1]}${out}`;
}

/** round(decimal × cents / divisor), half away from zero, as an integer number of cents. */
export function rateTimesCents(decimal: string, cents: number, divisor = 1): number {
  const norm = normalizeRate(decimal);
  const negative = norm.startsWith('-');
  const [int, frac = ''] = norm.replace('-', '').split('.');
  const scale = 10n ** BigInt(frac.length);
  const num = BigInt(`${int}${frac}`) * BigInt(Math.abs(cents));
  const den = scale * BigInt(divisor);
  const q = (num * 2n + den) / (den * 2n);
  const sign = (negative ? -1 : 1) * (cents < 0 ? -1 : 1);
  return sign * Number(q);
}

/** Cents as a unit price decimal (`12345` → `"123.45"`). */
export function centsToPrice(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** round(a × b × 100) for two decimal strings: a quantity times a unit price, in cents. */
export function productCents(a: string, b: string): number {
  const parse = (d: string) => {
    const n = normalizeRate(d);
    const [int, frac = ''] = n.replace('-', '').split('.');
    return { v: BigInt(`${int}${frac}`) * (n.startsWith('-') ? -1n : 1n), scale: 10n ** BigInt(frac.length) };
  };
  const x = parse(a);
  const y = parse(b);
  const num = x.v * y.v * 100n;
  const den = x.scale * y.scale;
  const abs = num < 0n ? -num : num;
  const q = (abs * 2n + den) / (den * 2n);
  return Number(num < 0n ? -q : q);
}
