/** The CII reader and writer, decimals and profiles, on XML made in the test. */
import { describe, expect, it } from 'vitest';
import { readCii } from '../../../src/recognition/facturx/cii-reader.js';
import { writeCii } from '../../../src/recognition/facturx/cii-writer.js';
import { CiiWriteError } from '../../../src/recognition/facturx/errors.js';
import { facturxFields } from '../../../src/recognition/facturx/fields.js';
import {
  centsToDecimal,
  cii102ToIso,
  decimalToCents,
  normalizeDecimal,
} from '../../../src/recognition/facturx/decimal.js';
import {
  isProfileAcceptedByChorus,
  profileFromGuideline,
  profileFromXmpLevel,
} from '../../../src/recognition/facturx/profile.js';
import { findInvoiceXml } from '../../../src/recognition/facturx/detect.js';
import { readFacturxXmp } from '../../../src/recognition/facturx/xmp.js';
import { demoCiiInvoice } from '../../fixtures/facturx/demo-invoice.js';

const read = (xml: string) => {
  const r = readCii(xml);
  if (!r.ok) throw new Error(r.error.message);
  return r.invoice;
};

describe('decimals and dates', () => {
  it('turns XML decimals into integer cents without floats', () => {
    expect(decimalToCents('1250.00')).toBe(125000);
    expect(decimalToCents('0.1')).toBe(10);
    expect(decimalToCents('-12.345')).toBe(-1235);
    expect(decimalToCents('+007.5')).toBe(750);
    expect(decimalToCents('12,50')).toBeUndefined();
    expect(decimalToCents('1e3')).toBeUndefined();
    expect(centsToDecimal(-5)).toBe('-0.05');
    expect(normalizeDecimal('020.5000')).toBe('20.5');
    expect(normalizeDecimal('-0.00')).toBe('0');
  });

  it('reads format 102 dates and refuses impossible ones', () => {
    expect(cii102ToIso('20260315', '102')).toBe('2026-03-15');
    expect(cii102ToIso('20260231', '102')).toBeUndefined();
    expect(cii102ToIso('2026-03-15', '102')).toBeUndefined();
    expect(cii102ToIso('202603', '610')).toBeUndefined();
  });
});

describe('profiles', () => {
  it('reads the profile from every guideline id of the reference', () => {
    expect(profileFromGuideline('urn:factur-x.eu:1p0:minimum')).toBe('MINIMUM');
    expect(profileFromGuideline('urn:factur-x.eu:1p0:basicwl')).toBe('BASIC WL');
    expect(profileFromGuideline('urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic')).toBe('BASIC');
    expect(profileFromGuideline('urn:cen.eu:en16931:2017')).toBe('EN16931');
    expect(profileFromGuideline('urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended')).toBe(
      'EXTENDED',
    );
    expect(profileFromGuideline('urn:zugferd.de:2p0:basicwl')).toBe('BASIC WL');
    expect(profileFromGuideline('urn:cen.eu:en16931:2017#conformant#urn:zugferd.de:2p0:extended')).toBe(
      'EXTENDED',
    );
    expect(
      profileFromGuideline('urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr'),
    ).toBe('EXTENDED');
    expect(
      profileFromGuideline('urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0'),
    ).toBe('EN16931');
    expect(profileFromGuideline('urn:example:other')).toBeNull();
    expect(profileFromXmpLevel('EN 16931')).toBe('EN16931');
    expect(profileFromXmpLevel('BASIC WL')).toBe('BASIC WL');
  });

  it('takes BASIC and richer as Chorus Pro invoices', () => {
    expect(isProfileAcceptedByChorus('MINIMUM')).toBe(false);
    expect(isProfileAcceptedByChorus('BASIC WL')).toBe(false);
    expect(isProfileAcceptedByChorus('BASIC')).toBe(true);
    expect(isProfileAcceptedByChorus('EN16931')).toBe(true);
    expect(isProfileAcceptedByChorus(null)).toBe(false);
  });
});

describe('the CII reader', () => {
  const xml = writeCii(demoCiiInvoice(), 'EN16931');

  it('reads back everything the writer wrote', () => {
    const invoice = read(xml);
    expect(invoice).toEqual({ ...demoCiiInvoice(), guideline: 'urn:cen.eu:en16931:2017' });
  });

  it('reads by namespace whatever the prefixes, after a byte order mark', () => {
    const renamed =
      '\uFEFF' +
      xml
        .replaceAll('rsm:', 'inv:')
        .replaceAll('xmlns:rsm', 'xmlns:inv')
        .replaceAll('ram:', 'a:')
        .replaceAll('xmlns:ram', 'xmlns:a');
    expect(read(renamed).number).toBe('F-2026-0042');
    expect(read(new TextEncoder().encode(renamed) as unknown as string).totals.grandTotalCents).toBe(150000);
  });

  it('takes the VAT total in the invoice currency when the accounting currency differs', () => {
    const two = xml.replace(
      '<ram:TaxTotalAmount currencyID="EUR">250.00</ram:TaxTotalAmount>',
      '<ram:TaxTotalAmount currencyID="USD">270.00</ram:TaxTotalAmount><ram:TaxTotalAmount currencyID="EUR">250.00</ram:TaxTotalAmount>',
    );
    expect(read(two).totals.taxTotalCents).toBe(25000);
  });

  it('tells a SIREN from a SIRET and reads a SIRET global id (0009)', () => {
    const i = demoCiiInvoice();
    i.seller.legalId = { value: '912345675', scheme: '0002' };
    i.seller.ids = [{ value: '91234567500017', scheme: '0009' }];
    i.buyer.legalId = { value: '213300635', scheme: '0002' };
    const fields = facturxFields(read(writeCii(i, 'EN16931')));
    expect(fields.supplierSiret).toEqual({ value: '91234567500017' });
    expect(fields.recipientSiret).toBeUndefined();
  });

  it('reports what is not a CII invoice instead of throwing', () => {
    expect(readCii('<a><b></a>')).toMatchObject({
      ok: false,
      error: { source: 'xml', rule: 'not-well-formed' },
    });
    expect(readCii('<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>')).toMatchObject({
      ok: false,
      error: { source: 'xml' },
    });
    expect(
      readCii('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'),
    ).toMatchObject({
      ok: false,
      error: { rule: 'not-cii' },
    });
    const zugferd1 =
      '<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12"><rsm:SpecifiedExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:ferd:CrossIndustryDocument:invoice:1p0:comfort</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:SpecifiedExchangedDocumentContext></rsm:CrossIndustryDocument>';
    expect(readCii(zugferd1)).toMatchObject({
      ok: false,
      guideline: 'urn:ferd:CrossIndustryDocument:invoice:1p0:comfort',
      error: { source: 'profile', rule: 'unsupported-syntax' },
    });
  });
});

describe('the CII writer', () => {
  it('leaves out of poorer profiles what they cannot carry', () => {
    const minimum = read(writeCii(demoCiiInvoice(), 'MINIMUM'));
    expect(minimum.profile).toBe('MINIMUM');
    expect(minimum.lines).toEqual([]);
    expect(minimum.paymentMeans).toEqual([]);
    expect(minimum.notes).toEqual([]);
    const basicWl = read(writeCii(demoCiiInvoice(), 'BASIC WL'));
    expect(basicWl.lines).toEqual([]);
    expect(basicWl.paymentMeans).toEqual([{ typeCode: '30', iban: 'FR7630006000011234567890189' }]);
    expect(read(writeCii(demoCiiInvoice(), 'BASIC')).lines).toHaveLength(1);
  });

  it('escapes text and refuses an invoice missing required terms', () => {
    const i = demoCiiInvoice();
    i.buyer.name = 'Dupont & Fils <SARL>';
    expect(read(writeCii(i)).buyer.name).toBe('Dupont & Fils <SARL>');
    const incomplete = demoCiiInvoice();
    delete incomplete.number;
    incomplete.lines = [];
    expect(() => writeCii(incomplete, 'EN16931')).toThrow(CiiWriteError);
    try {
      writeCii(incomplete, 'EN16931');
    } catch (error) {
      expect((error as CiiWriteError).missing).toEqual([
        'BT-1 (numéro de facture)',
        'BG-25 (lignes de facture)',
      ]);
      expect((error as CiiWriteError).userMessage).toContain('il manque');
    }
  });
});

describe('detection', () => {
  const cii = new TextEncoder().encode(writeCii(demoCiiInvoice()));
  it('prefers the standard names, then any XML whose root is a CII invoice', () => {
    const other = new TextEncoder().encode('<note/>');
    expect(findInvoiceXml([{ name: 'note.xml', content: other }])).toBeNull();
    expect(findInvoiceXml([{ name: 'facture-42.xml', content: cii }])?.fileName).toBe('facture-42.xml');
    expect(
      findInvoiceXml([
        { name: 'facture-42.xml', content: cii },
        { name: 'ZUGFeRD-invoice.xml', content: cii },
      ])?.fileName,
    ).toBe('ZUGFeRD-invoice.xml');
    expect(findInvoiceXml([{ name: 'factur-x.xml', content: null }])).toBeNull();
  });

  it('reads fx: properties written as attributes too', () => {
    const xmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:fx="urn:zugferd:pdfa:CrossIndustryDocument:invoice:2p0#" fx:ConformanceLevel="BASIC" fx:DocumentFileName="zugferd-invoice.xml"/></rdf:RDF></x:xmpmeta>`;
    expect(readFacturxXmp(xmp)).toEqual({
      conformanceLevel: 'BASIC',
      documentFileName: 'zugferd-invoice.xml',
    });
    expect(readFacturxXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>')).toBeNull();
  });
});
