/**
 * Checks of the identifiers printed on an invoice (reference: recognition-rules.md §3, after
 * python-stdnum): SIREN/SIRET (Luhn, La Poste exception), French VAT number key, IBAN mod 97-10
 * with the French RIB key. Every function takes a compact value (no spaces) and is pure.
 */

/** Removes the separators print uses inside identifiers: spaces of every kind, dots, dashes. */
export function compactIdentifier(raw: string): string {
  return raw.replace(/[\s.\-\u00a0\u202f\u2009]/g, '').toUpperCase();
}

/** Luhn check over a string of digits. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function isValidSiren(siren: string): boolean {
  return /^\d{9}$/.test(siren) && luhnValid(siren);
}

const LA_POSTE_SIREN = '356000000';
const LA_POSTE_HEAD_OFFICE = '35600000000048';

/**
 * A SIRET is valid when its 14 digits pass Luhn and its SIREN is valid. La Poste's establishments
 * (SIREN 356000000, except the head office) instead have a digit sum that is a multiple of 5.
 */
export function isValidSiret(siret: string): boolean {
  if (!/^\d{14}$/.test(siret)) return false;
  if (siret.startsWith(LA_POSTE_SIREN) && siret !== LA_POSTE_HEAD_OFFICE) {
    let sum = 0;
    for (const c of siret) sum += c.charCodeAt(0) - 48;
    return sum % 5 === 0;
  }
  return luhnValid(siret) && isValidSiren(siret.slice(0, 9));
}

/** The numeric key of a French VAT number for a SIREN: (12 + 3 × (SIREN mod 97)) mod 97. */
export function frenchVatKey(siren: string): string {
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return String(key).padStart(2, '0');
}

/**
 * True when a VAT number is plausible: French numbers (`FR` + key + SIREN) are checked against
 * their key; new-style keys containing a letter are accepted (their check is not public enough to
 * reject on); other EU numbers are only checked for shape.
 */
export function isValidVatNumber(vat: string): boolean {
  const v = compactIdentifier(vat);
  if (v.startsWith('FR')) {
    const m = /^FR([0-9A-HJ-NP-Z]{2})(\d{9})$/.exec(v);
    if (!m) return false;
    const [, key, siren] = m as unknown as [string, string, string];
    // Monaco numbers (SIREN starting with 000) do not follow the SIREN Luhn rule.
    if (!siren.startsWith('000') && !isValidSiren(siren)) return false;
    if (/^\d{2}$/.test(key)) return key === frenchVatKey(siren);
    return true;
  }
  return /^[A-Z]{2}[0-9A-Z+*]{2,13}$/.test(v);
}

/** Expected IBAN lengths of the countries a French freelancer meets most (SEPA zone subset). */
const IBAN_LENGTHS: Record<string, number> = {
  FR: 27,
  MC: 27,
  BE: 16,
  DE: 22,
  ES: 24,
  IT: 27,
  LU: 20,
  NL: 18,
  PT: 25,
  CH: 21,
  GB: 22,
  IE: 22,
  AT: 20,
  DK: 18,
  FI: 18,
  SE: 24,
  NO: 15,
  PL: 28,
  GR: 27,
  CZ: 24,
  SK: 24,
  SI: 19,
  HR: 21,
  RO: 24,
  BG: 22,
  HU: 28,
  EE: 20,
  LV: 21,
  LT: 20,
  CY: 28,
  MT: 31,
  IS: 26,
  LI: 21,
  SM: 27,
  AD: 24,
};

/** ISO 7064 mod 97-10 over an alphanumeric string (letters A=10 … Z=35). */
function mod97(s: string): number {
  let rest = 0;
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const d of value) rest = (rest * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rest;
}

/** French RIB key: letters of the account converted, then 97 − ((89·bank + 15·branch + 3·account) mod 97). */
export function ribKeyValid(bank: string, branch: string, account: string, key: string): boolean {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const digits = '12345678912345678923456789';
  const acc = account.replace(/[A-Z]/g, (c) => digits[letters.indexOf(c)] ?? '0');
  const value = (89 * (Number(bank) % 97) + 15 * (Number(branch) % 97) + 3 * (Number(acc) % 97)) % 97;
  return 97 - value === Number(key);
}

/** IBAN check: shape, country length, mod 97 = 1, and the RIB key for French/Monaco accounts. */
export function isValidIban(iban: string): boolean {
  const v = compactIdentifier(iban);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(v)) return false;
  const expected = IBAN_LENGTHS[v.slice(0, 2)];
  if (expected !== undefined && v.length !== expected) return false;
  if (mod97(v.slice(4) + v.slice(0, 4)) !== 1) return false;
  if (v.startsWith('FR') || v.startsWith('MC')) {
    const m = /^..\d{2}(\d{5})(\d{5})([A-Z0-9]{11})(\d{2})$/.exec(v);
    if (!m) return false;
    return ribKeyValid(m[1] as string, m[2] as string, m[3] as string, m[4] as string);
  }
  return true;
}
