import { describe, expect, it } from 'vitest';
import { buildChunks, type TextRun } from '../../src/recognition/layout.js';
import { scanFields, chooseFields } from '../../src/recognition/fields.js';

/** Runs of a 10 pt Helvetica-like font: 5 pt per character is close enough for layout tests. */
function run(text: string, x: number, baseline: number, size = 10): TextRun {
  return { text, x, baseline, width: text.length * size * 0.5, fontSize: size };
}

describe('line rebuilding', () => {
  it('joins runs split mid-word without adding spaces, and adds them at real gaps', () => {
    const chunks = buildChunks(
      [run('SIR', 50, 100), run('ET', 65, 100), run('client', 78, 100), run(':', 110, 100)],
      1,
    );
    expect(chunks.map((c) => c.text)).toEqual(['SIRET client :']);
  });

  it('orders lines top to bottom whatever the order of the runs', () => {
    const chunks = buildChunks([run('second', 50, 120), run('first', 50, 100), run('third', 50, 140)], 1);
    expect(chunks.map((c) => c.text)).toEqual(['first', 'second', 'third']);
  });

  it('keeps slightly shifted runs of one line together (superscripts, baselines off by a point)', () => {
    const chunks = buildChunks([run('Total', 50, 100), run('HT', 78, 101.2)], 1);
    expect(chunks.map((c) => c.text)).toEqual(['Total HT']);
  });

  it('splits two columns sharing baselines into separate chunks', () => {
    const chunks = buildChunks(
      [run('SIRET 912 345 675 00017', 50, 100), run('SIRET 213 300 635 00017', 320, 100)],
      1,
    );
    expect(chunks.map((c) => c.text)).toEqual(['SIRET 912 345 675 00017', 'SIRET 213 300 635 00017']);
  });

  it('expands ligatures and normalises no-break spaces', () => {
    const chunks = buildChunks([run('Déﬁnition\u202f: 1\u00a0250,00', 50, 100)], 1);
    expect(chunks[0]?.text).toBe('Définition : 1 250,00');
  });
});

describe('field finding on rebuilt lines', () => {
  const fields = (runs: TextRun[]) => {
    const scan = scanFields(buildChunks(runs, 1));
    return Object.fromEntries([...chooseFields(scan.candidates, 3)].map(([k, c]) => [k, c.value]));
  };

  it('reads a value in the next cell of a table row', () => {
    expect(fields([run('Total TTC', 350, 400), run('1 500,00 €', 480, 400)])).toMatchObject({
      totalInclTax: '1500.00',
    });
  });

  it('reads a value under its label', () => {
    expect(fields([run('SIRET client', 300, 100), run('21330063500017', 300, 114)])).toMatchObject({
      recipientSiret: '21330063500017',
    });
  });

  it('tells the recipient SIRET from the supplier SIRET by block', () => {
    const result = fields([
      run('SIRET 91234567500017', 50, 100),
      run('Destinataire', 320, 150),
      run('Commune de Saint-Aubin', 320, 164),
      run('SIRET 21330063500017', 320, 178),
    ]);
    expect(result).toMatchObject({ supplierSiret: '91234567500017', recipientSiret: '21330063500017' });
  });

  it('does not take the due date or the order date for the invoice date', () => {
    const result = fields([
      run('Date d’échéance : 14/04/2026', 50, 100),
      run('Date de commande : 01/03/2026', 50, 114),
      run('Date : 15/03/2026', 50, 128),
    ]);
    expect(result).toMatchObject({ invoiceDate: '2026-03-15' });
    expect(result).not.toHaveProperty('engagementNumber');
  });

  it('flags a keyword glued to its value', () => {
    const scan = scanFields(
      buildChunks([run('EJ1300012345', 50, 100), run('SIRET client : 21330063500017', 50, 114)], 1),
    );
    const glued = scan.candidates.filter((c) => c.glued).map((c) => c.field);
    expect(glued).toEqual(['engagementNumber']);
  });

  it('does not read a keyword inside a longer word', () => {
    expect(fields([run('Facturation 2026', 50, 100), run('Servicesdivers SG-12', 50, 114)])).toEqual({});
  });
});

describe('keyword variants with a number sign after them', () => {
  const fields = (lines: string[]) => {
    const scan = scanFields(
      buildChunks(
        lines.map((l, i) => run(l, 50, 100 + 14 * i)),
        1,
      ),
    );
    return Object.fromEntries([...chooseFields(scan.candidates, 3)].map(([k, c]) => [k, c.value]));
  };

  it('reads « SIRET n° », « Engagement n° », « TVA intracommunautaire n° »', () => {
    expect(
      fields([
        'SIRET n° 912 345 675 00017',
        'Engagement n° 1300012345',
        'TVA intracommunautaire n° FR65912345675',
      ]),
    ).toMatchObject({
      supplierSiret: '91234567500017',
      engagementNumber: '1300012345',
      supplierVatNumber: 'FR65912345675',
    });
  });

  it('reads upper-case totals with the currency in parentheses and a rate with « à »', () => {
    expect(
      fields(['TOTAL HT (EUR) : 1 250,00', 'TVA à 20 % : 250,00', 'MONTANT TOTAL TTC (EUR) : 1 500,00']),
    ).toMatchObject({
      totalExclTax: '1250.00',
      totalTax: '250.00',
      totalInclTax: '1500.00',
    });
  });
});
