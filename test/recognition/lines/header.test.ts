/** Column roles named by table headers, on positioned text built by hand (no PDF needed). */
import { describe, expect, it } from 'vitest';
import { buildChunks, type TextRun } from '../../../src/recognition/layout.js';
import { readLines } from '../../../src/recognition/lines/index.js';

const run = (text: string, x: number, baseline: number): TextRun => ({
  text,
  x,
  baseline,
  width: text.length * 5,
  fontSize: 10,
});

/** A header and one row, cells at the given x positions. */
function table(header: string[], row: string[], xs: number[]): ReturnType<typeof buildChunks> {
  return buildChunks(
    [
      ...header.map((h, i) => run(h, xs[i] as number, 300)),
      ...row.map((v, i) => run(v, xs[i] as number, 320)),
    ],
    1,
  );
}

describe('table headers', () => {
  it('reads « Prix HT » beside « Total HT » as the unit price', () => {
    const chunks = table(
      ['Désignation', 'Quantité', 'Prix HT', 'Total HT'],
      ['Audit', '2', '300,00', '600,00'],
      [50, 300, 380, 480],
    );
    const { lines } = readLines(chunks, { totalExclTax: { value: '600.00' }, totalTax: { value: '120.00' } });
    expect(lines).toMatchObject([
      { description: 'Audit', quantity: '2', unitPrice: '300.00', amountCents: 60000, vatRate: '20' },
    ]);
  });

  it('reads an English « Item | Qty | Rate | Amount » table', () => {
    const chunks = table(
      ['Item', 'Qty', 'Rate', 'Amount'],
      ['Hosting', '12', '10.00', '120.00'],
      [50, 300, 380, 480],
    );
    const { lines, consistent } = readLines(chunks, {
      totalExclTax: { value: '120.00' },
      totalTax: { value: '0.00' },
    });
    expect(lines).toMatchObject([
      { description: 'Hosting', quantity: '12', unitPrice: '10.00', amountCents: 12000, vatRate: '0' },
    ]);
    expect(consistent).toBe(true);
  });

  it('finds no lines without a table header, and says so', () => {
    const chunks = buildChunks([run('Prestation de conseil', 50, 300), run('1 250,00 €', 480, 300)], 1);
    const reading = readLines(chunks, { totalExclTax: { value: '1250.00' } });
    expect(reading.lines).toEqual([]);
    expect(reading.issues.map((i) => i.code)).toEqual(['no-lines']);
  });
});

describe('cells', () => {
  it('splits a unit glued to its quantity and keeps « Totalité » as a description', () => {
    const chunks = table(
      ['Désignation', 'Qté', 'PU HT', 'Montant HT'],
      ['Totalité de la recette', '3j', '500,00', '1 500,00'],
      [50, 300, 380, 480],
    );
    const { lines } = readLines(chunks, {
      totalExclTax: { value: '1500.00' },
      totalTax: { value: '300.00' },
    });
    expect(lines).toMatchObject([
      { description: 'Totalité de la recette', quantity: '3', unit: 'j', amountCents: 150000 },
    ]);
  });
});
