import { describe, expect, it } from 'vitest';
import { findKeywords, KEYWORD_FAMILIES, type KeywordMatch } from '../../src/recognition/keywords.js';

/** The matching rule written plainly (every family scanned, no shortcut): the oracle. */
function reference(folded: string): Array<[string, number, number]> {
  const all: KeywordMatch[] = [];
  KEYWORD_FAMILIES.forEach((family, familyIndex) => {
    const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${family.pattern})`, 'gu');
    for (const m of folded.matchAll(re)) {
      if (m[0].length > 0) all.push({ family, familyIndex, start: m.index, end: m.index + m[0].length });
    }
  });
  all.sort((a, b) => a.start - b.start || b.end - a.end || a.familyIndex - b.familyIndex);
  const kept: Array<[string, number, number]> = [];
  let reach = -1;
  for (const m of all) {
    if (m.start < reach) continue;
    reach = m.end;
    if (!m.family.blocker) kept.push([m.family.name, m.start, m.end]);
  }
  return kept;
}

const found = (folded: string) => findKeywords(folded).map((m) => [m.family.name, m.start, m.end]);

/** Folded chunks as invoices give them: labels, values, addresses, sentences. */
const CHUNKS = [
  'facture n° f-2026-0042',
  'date de facture : 12/03/2026',
  "date d'echeance 11/04/2026",
  'total ht 1 250,00 €',
  'tva 20 % 250,00',
  'total ttc 1 500,00 €',
  'net a payer 1 500,00 eur',
  'montant deja paye 200,00',
  'siret 123 456 789 00012',
  'n° tva intracommunautaire fr12345678901',
  'iban fr76 3000 6000 0112 3456 7890 189',
  'destinataire : universite de rennes',
  'ministere de la culture',
  'engagement juridique 1300012345',
  'bon de commande bc-778',
  'tva non applicable, art. 293 b du cgi',
  'conditions de paiement : 30 jours',
  '12 rue des lilas 35000 rennes',
  'jean dupont',
  '1 250,00',
  'prestations de services informatiques',
  'reference client c-1234',
  'avoir n° av-2026-01',
  'subtotal 10.00 vat 2.00 amount due 12.00',
  'soustotal, sous-total: 10', // keyword after punctuation, inside a word
  'attotal 12', // inside a word: no keyword
  '',
];

describe('findKeywords', () => {
  it('finds, on every sample chunk, exactly what scanning every family finds', () => {
    for (const chunk of CHUNKS) expect(found(chunk), chunk).toEqual(reference(chunk));
  });

  it('also on chunks cut at every position (keywords at the edges, half keywords)', () => {
    for (const chunk of CHUNKS) {
      for (let cut = 1; cut < chunk.length; cut += 3) {
        for (const part of [chunk.slice(0, cut), chunk.slice(cut), `x${chunk.slice(cut)}`]) {
          expect(found(part), part).toEqual(reference(part));
        }
      }
    }
  });

  it('reads the longest keyword and none inside a word', () => {
    expect(found('date de facture : 12/03/2026').map(([name]) => name)).not.toContain('invoice-word');
    expect(found('attotal 12')).toEqual([]);
    expect(found('12 rue des lilas 35000 rennes')).toEqual([]);
  });
});
