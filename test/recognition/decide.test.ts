/**
 * The decision layer on rebuilt lines: header grids, totals decided by their consistency, the
 * addressee block, the supplier's VAT number matched to its SIREN, the document's date order and
 * the alternatives of a field.
 */
import { describe, expect, it } from 'vitest';
import { buildChunks, type TextRun } from '../../src/recognition/layout.js';
import { scanFields } from '../../src/recognition/fields.js';
import { decideFields } from '../../src/recognition/decide.js';

/** Runs of a 10 pt Helvetica-like font: 5 pt per character. */
function run(text: string, x: number, baseline: number, size = 10): TextRun {
  return { text, x, baseline, width: text.length * size * 0.5, fontSize: size };
}

function decide(runs: TextRun[]) {
  return decideFields(scanFields(buildChunks(runs, 1)), 3);
}
function values(runs: TextRun[]): Record<string, string> {
  return Object.fromEntries([...decide(runs)].map(([k, c]) => [k, c.value]));
}

describe('header grids', () => {
  it('reads the values in the row under the labels, by column, even offset from their label', () => {
    const result = values([
      run('Facture n°', 50, 100),
      run('Date', 160, 100),
      run('Échéance', 260, 100),
      run('Code client', 360, 100),
      run('FA-2026-118', 50, 114),
      run('12/03/2026', 180, 114),
      run('11/04/2026', 270, 114),
      run('C0042', 360, 114),
    ]);
    expect(result).toMatchObject({ invoiceNumber: 'FA-2026-118', invoiceDate: '2026-03-12' });
  });

  it('joins a label wrapped on two lines (« Date de » / « facture ») and keeps the due date apart', () => {
    const result = values([
      run('Date de', 50, 100),
      run('Conditions de', 150, 100),
      run('Date', 300, 100),
      run('facture', 50, 110),
      run('paiement', 150, 110),
      run('d’échéance', 300, 110),
      run('31/03/2026', 50, 126),
      run('Virement', 150, 126),
      run('30/04/2026', 300, 126),
    ]);
    expect(result.invoiceDate).toBe('2026-03-31');
  });

  it('reads a value after dot leaders', () => {
    expect(values([run('N° de facture ............', 50, 100), run('FA_2026_0113', 250, 100)])).toMatchObject(
      {
        invoiceNumber: 'FA_2026_0113',
      },
    );
  });
});

describe('totals decided by HT + TVA = TTC', () => {
  it('takes the TTC total, not the amount due after an advance', () => {
    const result = values([
      run('Sous-total', 300, 100),
      run('1 000,00 €', 450, 100),
      run('Total HT', 300, 114),
      run('900,00 €', 450, 114),
      run('TVA 20 %', 300, 128),
      run('180,00 €', 450, 128),
      run('Total TTC', 300, 142),
      run('1 080,00 €', 450, 142),
      run('Acompte versé', 300, 156),
      run('-300,00 €', 450, 156),
      run('Net à payer', 300, 170),
      run('780,00 €', 450, 170),
    ]);
    expect(result).toMatchObject({ totalExclTax: '900.00', totalTax: '180.00', totalInclTax: '1080.00' });
  });

  it('reads totals under column headers and sums a VAT column of several rates', () => {
    const result = values([
      run('Base HT', 300, 100),
      run('Taux', 360, 100),
      run('TVA', 400, 100),
      run('Total TTC', 450, 100),
      run('1000,00', 300, 114),
      run('20 %', 360, 114),
      run('200,00', 400, 114),
      run('1200,00', 450, 114),
      run('100,00', 300, 126),
      run('5,5 %', 360, 126),
      run('5,50', 400, 126),
      run('105,50', 450, 126),
      run('Total HT', 300, 150),
      run('1100,00', 450, 150),
      run('Total TTC', 300, 164),
      run('1305,50', 450, 164),
    ]);
    expect(result).toMatchObject({ totalExclTax: '1100.00', totalTax: '205.50', totalInclTax: '1305.50' });
  });

  it('reads a VAT amount of 0.00 under the franchise, keyed by the mention', () => {
    const chosen = decide([
      run('Total HT', 300, 100),
      run('650,00 €', 450, 100),
      run('Net à payer', 300, 114),
      run('650,00 €', 450, 114),
      run('TVA non applicable, art. 293 B du CGI', 50, 200),
    ]);
    expect(chosen.get('totalTax')).toMatchObject({
      value: '0.00',
      keyword: 'TVA non applicable, art. 293 B du CGI',
    });
    expect(chosen.get('totalInclTax')?.value).toBe('650.00');
  });

  it('pairs a wrapped VAT label with the value beside its second line', () => {
    const result = values([
      run('Montant HT', 300, 100),
      run('1 241,03 €', 450, 100),
      run('Montant TVA (payée sur', 300, 112),
      run('les débits)', 300, 122),
      run('238,82 €', 450, 122),
      run('Montant TTC', 300, 136),
      run('1 479,85 €', 450, 136),
    ]);
    expect(result).toMatchObject({ totalTax: '238.82', totalInclTax: '1479.85' });
  });
});

describe('the addressee block', () => {
  it('takes the organisation under its heading, never the contact line', () => {
    const result = values([
      run('Adresse de facturation', 50, 150),
      run('Contact : Mme Nadia Benali', 50, 163),
      run('Agence régionale des achats publics', 50, 176),
      run('5 rue Esprit-des-Lois', 50, 189),
      run('33000 Bordeaux', 50, 202),
    ]);
    expect(result.recipientName).toBe('Agence régionale des achats publics');
  });

  it('reads the unlabelled block in the envelope window, before « À l’attention de »', () => {
    const result = values([
      run('Camille Martin EI', 50, 60),
      run('12 rue des Remparts', 50, 73),
      run('33000 Bordeaux', 50, 86),
      run('Tél. 06 12 34 56 78', 50, 99),
      run('COMMUNE DE SAINT-AUBIN', 320, 160),
      run('A L’ATTENTION DE M DUPONT', 320, 173),
      run('1 PLACE DE LA MAIRIE', 320, 186),
      run('33210 SAINT-AUBIN', 320, 199),
      run('Facture n° F-1', 50, 300),
    ]);
    expect(result.recipientName).toBe('COMMUNE DE SAINT-AUBIN');
  });
});

describe('document-wide consistency', () => {
  it('takes the VAT number whose SIREN is the supplier’s, not the customer’s in a grid', () => {
    const result = values([
      run('N° Client', 50, 100),
      run('N° TVA Intracommunautaire', 150, 100),
      run('7848-575758', 50, 114),
      run('FR87444567127', 150, 114),
      run('TVA CE : FR65912345675', 50, 400),
      run('SAS au capital de 1 000 € - RCS Bordeaux B 912 345 675', 50, 414),
    ]);
    expect(result.supplierVatNumber).toBe('FR65912345675');
  });

  it('reads digit dates month first when the document prints one that can only be', () => {
    const result = values([
      run('Invoice Date', 50, 100),
      run('11/03/2017', 150, 100),
      run('Paid on 11/17/2017', 50, 300),
    ]);
    expect(result.invoiceDate).toBe('2017-11-03');
  });

  it('lists a competing value of equal evidence as an alternative', () => {
    const chosen = decide([run('Facture n° F-2026-001', 50, 100), run('Facture n° F-2026-002', 50, 400)]);
    expect(chosen.get('invoiceNumber')).toMatchObject({ value: 'F-2026-001', alternatives: ['F-2026-002'] });
  });

  it('reads a letter-spaced IBAN and fake-bold text once', () => {
    const result = values([
      run('F R 7 6 3 0 0 0 6 0 0 0 0 1 1 2 3 4 5 6 7 8 9 0 1 8 9', 50, 100),
      run('Total TTC', 300, 200),
      run('Total TTC', 300.4, 200),
      run('1 500,00 €', 450, 200),
    ]);
    expect(result).toMatchObject({ supplierIban: 'FR7630006000011234567890189', totalInclTax: '1500.00' });
  });
});
