/**
 * Text normalisation for matching. Extracted text is first made canonical (NFKC: ligatures
 * `ﬁ` → `fi`, `Nº` → `No`; every kind of space → a plain space); `fold` then lower-cases and strips
 * accents **character by character**, so an index in the folded string is the same index in the
 * canonical one (keywords are matched on the folded text, values read from the canonical text).
 */

// Control characters come from fonts without a Unicode mapping (parentheses printed as NUL…).
// eslint-disable-next-line no-control-regex
const SPACES = /[\u0000-\u001f\u00a0\u2000-\u200a\u202f\u205f\u3000]/g;
const APOSTROPHES = new Set(['\u2018', '\u2019', '\u02bc', '\u00b4', '`']);
// Hyphens that print like `-` (inside references); en and em dashes stay (names, prose) and fold.
const DASHES = /[\u2010\u2011\u2212]/g;
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;

/** Canonical form of a piece of extracted text (same length rules as the original are not kept). */
export function canonical(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').replace(SPACES, ' ').replace(DASHES, '-');
}

const foldCache = new Map<string, string>();

function foldChar(c: string): string {
  let f = foldCache.get(c);
  if (f === undefined) {
    const base = c.normalize('NFD').charAt(0).toLowerCase();
    f = base.length === 1 ? base : c;
    foldCache.set(c, f);
  }
  return f;
}

/** Lower-case, accent-free copy of a canonical string, with exactly the same length. */
export function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    const code = c.charCodeAt(0);
    if (code < 128) out += c === '`' ? "'" : c.toLowerCase();
    else if (code === 0x2013 || code === 0x2014) out += '-';
    else if (APOSTROPHES.has(c)) out += "'";
    else out += foldChar(c);
  }
  return out;
}
