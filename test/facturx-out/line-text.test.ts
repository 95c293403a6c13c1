/** Lines typed by the user: the phone forms and the script form, nothing guessed. */
import { describe, expect, it } from 'vitest';
import { parseLinesText } from '../../src/facturx-out/line-text.js';
import { fromReadLines } from '../../src/facturx-out/from-lines.js';

describe('parseLinesText', () => {
  it('reads « une seule ligne : Prestation de mars, 1 250,00 € HT, TVA 20 % »', () => {
    expect(parseLinesText('une seule ligne : Prestation de mars, 1 250,00 € HT, TVA 20 %')).toEqual({
      ok: true,
      lines: [
        {
          description: 'Prestation de mars',
          quantity: '1',
          unitPrice: '1250.00',
          vatRate: '20',
          amountCents: 125000,
        },
      ],
    });
  });

  it('reads quantity × unit price, and several lines', () => {
    const r = parseLinesText('Formation, 2 jours × 900 €, TVA 20 %\nManuels, 30 × 30,00 €, TVA 5,5 %');
    expect(r).toEqual({
      ok: true,
      lines: [
        {
          description: 'Formation',
          quantity: '2',
          unit: 'jours',
          unitPrice: '900',
          vatRate: '20',
          amountCents: 180000,
        },
        { description: 'Manuels', quantity: '30', unitPrice: '30.00', vatRate: '5.5', amountCents: 90000 },
      ],
    });
  });

  it('reads the semicolon form of scripts', () => {
    expect(parseLinesText('Formation ; 2 ; jours ; 900 ; 20')).toMatchObject({
      ok: true,
      lines: [{ quantity: '2', unit: 'jours', amountCents: 180000 }],
    });
    expect(parseLinesText('Atelier ; 800 ; 0')).toMatchObject({
      ok: true,
      lines: [{ vatRate: '0', amountCents: 80000 }],
    });
  });

  it('refuses a line without amount or VAT rate, unless the invoice is VAT-free', () => {
    expect(parseLinesText('Prestation de mars, 1 250,00 €')).toEqual({ ok: false, line: 1 });
    expect(parseLinesText('Prestation de mars, 1 250,00 €', { vatFree: true })).toMatchObject({
      ok: true,
      lines: [{ vatRate: '0' }],
    });
    expect(parseLinesText('A, 10 €, TVA 20 %\nB sans montant, TVA 20 %')).toEqual({ ok: false, line: 2 });
    expect(parseLinesText('  ')).toEqual({ ok: false, line: 1 });
  });
});

describe('fromReadLines', () => {
  it('turns discounts and charges into allowances and charges, drops a credit note’s signs', () => {
    const out = fromReadLines(
      [
        {
          kind: 'line',
          description: 'Jour',
          quantity: '-2',
          unitPrice: '250',
          vatRate: '20',
          amountCents: -50000,
          page: 1,
        },
        { kind: 'discount', description: 'Remise', vatRate: '20', amountCents: 5000, page: 1 },
        { kind: 'charge', description: 'Port', amountCents: 1000, page: 1 },
      ],
      { creditNote: true, vatRegime: 'TVA_SUR_DEBIT' },
    );
    expect(out.lines).toEqual([
      { description: 'Jour', quantity: '2', unitPrice: '250', vatRate: '20', amountCents: 50000 },
    ]);
    expect(out.allowancesCharges).toEqual([
      { kind: 'allowance', reason: 'Remise', amountCents: 5000, vatRate: '20' },
      { kind: 'charge', reason: 'Port', amountCents: 1000, vatRate: '' },
    ]);
  });
});
