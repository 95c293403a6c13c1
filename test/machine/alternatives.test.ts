/**
 * The recognition's alternatives reach the conversation: merged from the report, kept in the
 * draft by the analysis, offered as one-tap choices that set the field.
 */
import { describe, expect, it } from 'vitest';
import { alternativeChoices, alternativesOf } from '../../src/machine/alternatives.js';
import { applyAnalysis, initialContext } from '../../src/machine/analysis.js';
import { choiceToEvent } from '../../src/machine/interpret.js';
import { mergeRecognition } from '../../src/machine/recognition-merge.js';
import type { InspectionReport } from '../../src/recognition/types.js';
import type { Analysis, DraftContext } from '../../src/machine/types.js';

const report: InspectionReport = {
  file: 'f.pdf',
  pageCount: 1,
  pagesRead: 1,
  fields: {
    invoiceNumber: { value: 'F-2026-001', page: 1, keyword: 'Facture n°', alternatives: ['F-2026-002'] },
    invoiceDate: { value: '2026-03-15', page: 1, keyword: 'Date', alternatives: ['2026-03-16'] },
    recipientSiret: { value: '21330063500017', page: 1, alternatives: ['12345678901234', '11000001500013'] },
    totalInclTax: { value: '1500.00', page: 1, alternatives: ['1250.00'] },
  },
  violations: [],
};

function analysedContext(): DraftContext {
  const ctx = initialContext({
    draftId: 'd',
    provisionalNumber: 'PROV-2026-0001',
    fileName: 'f.pdf',
    fileSize: 1,
  });
  const analysis: Analysis = {
    unusable: false,
    advice: [],
    recognized: mergeRecognition(report, null),
    pieceJointeId: 1,
    suppliers: [],
    bankAccounts: [],
    recipient: null,
  };
  return { ...ctx, ...applyAnalysis(ctx, analysis) };
}

describe('alternatives in the conversation', () => {
  it('keeps the report’s alternatives by draft field, valid SIRETs only', () => {
    expect(alternativesOf(report)).toEqual({
      invoiceNumber: ['F-2026-002'],
      invoiceDate: ['2026-03-16'],
      recipient: ['11000001500013'],
      totalInclTax: ['1250.00'],
    });
    expect(alternativesOf({ ...report, fields: { invoiceNumber: { value: 'A', page: 1 } } })).toBeUndefined();
  });

  it('offers each alternative as a choice that sets the field', () => {
    const ctx = analysedContext();
    const choices = alternativeChoices(ctx, ['invoiceNumber', 'invoiceDate', 'totalInclTax']);
    expect(choices.map((c) => c.label)).toEqual([
      'Numéro de facture : F-2026-002',
      'Date de facture : 16/03/2026',
      expect.stringMatching(/^Montant TTC.*1\s?250,00/),
    ]);
    expect(choiceToEvent(choices[0]?.id ?? '')).toEqual({
      type: 'SET',
      field: 'invoiceNumber',
      value: 'F-2026-002',
    });
  });

  it('offers nothing once the field holds the alternative, nor for drafts without any', () => {
    const ctx = analysedContext();
    const picked = { ...ctx, values: { ...ctx.values, invoiceNumber: 'F-2026-002' } };
    expect(alternativeChoices(picked, ['invoiceNumber']).map((c) => c.label)).toEqual([]);
    const { alternatives: _none, ...older } = ctx;
    expect(alternativeChoices(older as DraftContext, ['invoiceNumber'])).toEqual([]);
  });
});
