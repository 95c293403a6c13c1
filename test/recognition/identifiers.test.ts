import { describe, expect, it } from 'vitest';
import {
  compactIdentifier,
  frenchVatKey,
  isValidIban,
  isValidSiren,
  isValidSiret,
  isValidVatNumber,
  luhnValid,
  ribKeyValid,
} from '../../src/recognition/identifiers.js';

describe('SIRET / SIREN', () => {
  it.each([
    '73282932000074',
    '11004601800013',
    '91234567500017', // demo supplier
    '91234567500025', // its second establishment
    '21330063500017', // commune
    '11000001500013', // ministry
    '26330002200013',
    '19330001900018',
    '35600000000048', // La Poste head office (ordinary Luhn)
    '35600000049837', // La Poste establishment (digit sum multiple of 5)
  ])('accepts %s', (siret) => expect(isValidSiret(siret)).toBe(true));

  it.each([
    ['73282932000079', 'wrong check digit'],
    ['21330063500018', 'last digit changed'],
    ['35600000049838', 'La Poste establishment, digit sum not a multiple of 5'],
    ['3560000004983', '13 digits'],
    ['2133006350001A', 'letter'],
    ['', 'empty'],
  ])('rejects %s (%s)', (siret) => expect(isValidSiret(siret)).toBe(false));

  it('requires a valid SIREN inside the SIRET', () => {
    // 14 digits passing Luhn as a whole but whose first 9 digits fail the SIREN check.
    const bad = '12345678900007';
    expect(luhnValid(bad)).toBe(true);
    expect(isValidSiren(bad.slice(0, 9))).toBe(false);
    expect(isValidSiret(bad)).toBe(false);
  });

  it('compacts printed identifiers', () => {
    expect(compactIdentifier('213 300 635 00017')).toBe('21330063500017');
    expect(compactIdentifier('213.300.635-00017')).toBe('21330063500017');
    expect(compactIdentifier('fr76\u00a03000')).toBe('FR763000');
  });
});

describe('VAT numbers', () => {
  it.each([
    ['732829320', '44'],
    ['552081317', '03'],
    ['110046018', '21'],
    ['912345675', '65'],
  ])('computes the key of SIREN %s', (siren, key) => expect(frenchVatKey(siren)).toBe(key));

  it.each([
    'FR44732829320',
    'FR03552081317',
    'FR 65 912345675',
    'FR65912345675',
    'FRA1912345675',
    'BE0123456789',
  ])('accepts %s', (vat) => expect(isValidVatNumber(vat)).toBe(true));

  it.each(['FR66912345675', 'FR44732829321', 'FR4473282932', 'FRIO912345675', 'FR40852947412'])(
    'rejects %s',
    (vat) => expect(isValidVatNumber(vat)).toBe(false),
  );
});

describe('IBAN', () => {
  it.each([
    'FR7630006000011234567890189',
    'FR76 3000 6000 0112 3456 7890 189',
    'DE89370400440532013000',
    'GB82WEST12345698765432',
    'BE68539007547034',
  ])('accepts %s', (iban) => expect(isValidIban(iban)).toBe(true));

  it.each([
    ['FR7630006000011234567890188', 'mod 97 fails'],
    ['FR763000600001123456789018', 'wrong length for FR'],
    ['DE89370400440532013001', 'mod 97 fails'],
    ['XX', 'too short'],
  ])('rejects %s (%s)', (iban) => expect(isValidIban(iban)).toBe(false));

  it('checks the French RIB key', () => {
    expect(ribKeyValid('30006', '00001', '12345678901', '89')).toBe(true);
    expect(ribKeyValid('30006', '00001', '12345678901', '88')).toBe(false);
    // Letters in the account number are converted (A,J→1; B,K,S→2 …).
    expect(ribKeyValid('30002', '00550', '0000157841Z', '25')).toBe(true);
  });
});
