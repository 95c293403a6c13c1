import { describe, expect, it } from 'vitest';
import {
  formatCents,
  readAmount,
  readDate,
  readIban,
  readReference,
  readSiret,
  readVatNumber,
} from '../../src/recognition/values.js';
import { canonical, fold } from '../../src/recognition/text-fold.js';

const amount = (s: string) => readAmount(canonical(s), 0)?.value.cents ?? null;
const date = (s: string) => {
  const c = canonical(s);
  return readDate(c, fold(c), 0)?.value ?? null;
};

describe('amounts', () => {
  it.each([
    ['1 234,56 €', 123456],
    ['1\u00a0234,56\u00a0€', 123456],
    ['1\u202f234,56\u202f€', 123456],
    ['1234,56 EUR', 123456],
    ['1.234,56', 123456],
    ['1,234.56', 123456],
    ['12 345 678,90', 1234567890],
    ['250,5', 25050],
    ['250', 25000],
    ['0,00 €', 0],
    ['€ 99,99', 9999],
    ['-12,50', -1250],
  ])('reads %s', (text, cents) => expect(amount(text)).toBe(cents));

  it('rejects text that is not an amount', () => {
    expect(amount('FR65912345675')).toBeNull();
    expect(amount('abc')).toBeNull();
  });

  it('prints the contract decimal form', () => {
    expect(formatCents(125000)).toBe('1250.00');
    expect(formatCents(5)).toBe('0.05');
    expect(formatCents(-1250)).toBe('-12.50');
  });
});

describe('dates', () => {
  it.each([
    ['15/03/2026', '2026-03-15'],
    ['15-03-2026', '2026-03-15'],
    ['15.03.2026', '2026-03-15'],
    ['5/3/26', '2026-03-05'],
    ['15 mars 2026', '2026-03-15'],
    ['1er mars 2026', '2026-03-01'],
    ['15 MARS 2026', '2026-03-15'],
    ['3 février 2026', '2026-02-03'],
    ['21 août 2026', '2026-08-21'],
    ['lundi 2 mars 2026', '2026-03-02'],
    ['12 déc. 2026', '2026-12-12'],
    ['2026-03-15', '2026-03-15'],
  ])('reads %s', (text, iso) => expect(date(text)).toBe(iso));

  it.each(['31/02/2026', '15/13/2026', '15 brumaire 2026', '2026'])('rejects %s', (text) =>
    expect(date(text)).toBeNull(),
  );
});

describe('identifiers and references', () => {
  it('reads a SIRET with or without spaces, not a longer number', () => {
    expect(readSiret('213 300 635 00017', 0)?.value).toBe('21330063500017');
    expect(readSiret('21330063500017 suite', 0)?.value).toBe('21330063500017');
    expect(readSiret('213300635000170', 0)).toBeNull();
    expect(readSiret('2133006350001', 0)).toBeNull();
  });

  it('reads VAT numbers printed with spaces', () => {
    expect(readVatNumber('FR 65 912345675', 0)?.value).toBe('FR65912345675');
    expect(readVatNumber('FR65 912 345 675', 0)?.value).toBe('FR65912345675');
    expect(readVatNumber('BE0123456789', 0)?.value).toBe('BE0123456789');
  });

  it('reads an IBAN in groups of four and stops before the BIC', () => {
    const text = 'FR76 3000 6000 0112 3456 7890 189 BIC BNPAFRPPXXX';
    expect(readIban(text, 0)?.value).toBe('FR7630006000011234567890189');
    expect(readIban('fr7630006000011234567890189', 0)?.value).toBe('FR7630006000011234567890189');
  });

  it('reads references with a digit, within the length limit', () => {
    expect(readReference('F-2026-0042 du 15/03', 0, { maxLength: 20 })?.value).toBe('F-2026-0042');
    expect(readReference('FA2026/042.', 0, { maxLength: 20 })?.value).toBe('FA2026/042');
    expect(readReference('Bordeaux', 0, { maxLength: 20 })).toBeNull();
    expect(readReference('A'.repeat(21) + '1', 0, { maxLength: 20 })).toBeNull();
    expect(readReference('SG-DNUM', 0, { maxLength: 100, allowUpperWord: true })?.value).toBe('SG-DNUM');
  });
});

describe('text folding', () => {
  it('keeps indices aligned while removing accents and case', () => {
    const c = canonical('Numéro de facture ﬁnale Nº\u00a01');
    const f = fold(c);
    expect(f.length).toBe(c.length);
    expect(f).toBe('numero de facture finale no 1');
  });
});
