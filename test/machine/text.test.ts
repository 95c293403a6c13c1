import { describe, expect, it } from 'vitest';
import { formatCents, parseAmountCents, parseFrenchDate, formatSiret } from '../../src/machine/format.js';
import { parseCommand } from '../../src/machine/commands.js';
import { choiceToEvent, textToEvent } from '../../src/machine/interpret.js';
import { parseField } from '../../src/machine/validate.js';
import { isCancellation, isConfirmation } from '../../src/machine/answers.js';
import { initialContext } from '../../src/machine/analysis.js';
import type { DraftContext } from '../../src/machine/types.js';

const ctx = (over: Partial<DraftContext> = {}): DraftContext => ({
  ...initialContext({ draftId: 'd', provisionalNumber: 'PROV-2026-0001', fileName: 'f.pdf', fileSize: 1 }),
  ...over,
});
const at = (block: string, sub = 'reviewing', over: Partial<DraftContext> = {}) => ({
  value: { active: { [block]: sub } },
  context: ctx(over),
});

describe('French amounts and dates', () => {
  it.each([
    ['1 250,00 €', 125000],
    ['1250.5', 125050],
    ['1.250,00', 125000],
    ['1,250.00', 125000],
    ['1.250.000', 125000000],
    ['0', 0],
    ['12 EUR', 1200],
    ['1 250,00\u202f€', 125000],
  ])('%s → %i cents', (text, cents) => expect(parseAmountCents(text)).toBe(cents));
  it.each(['abc', '-5', '1,2,3', '12.345.6', '', '1,234'])('« %s » is not an amount', (text) => {
    expect(parseAmountCents(text)).toBeNull();
  });
  it('formats cents and SIRETs the French way', () => {
    expect(formatCents(123456789)).toBe('1 234 567,89 €');
    expect(formatCents(5, 'USD')).toBe('0,05 USD');
    expect(formatSiret('21330063500017')).toBe('213 300 635 00017');
  });
  it.each([
    ['15/03/2026', '2026-03-15'],
    ['5-3-26', '2026-03-05'],
    ['2026-03-15', '2026-03-15'],
    ['1er mars 2026', '2026-03-01'],
    ['15 févr. 2026', '2026-02-15'],
    ['29/02/2024', '2024-02-29'],
  ])('%s → %s', (text, iso) => expect(parseFrenchDate(text)).toBe(iso));
  it.each(['29/02/2026', '32/01/2026', 'demain', '2026/13/01'])('%s is not a date', (t) =>
    expect(parseFrenchDate(t)).toBeNull(),
  );
});

describe('forgiving answers', () => {
  it.each(['ok', 'OK !', 'Oui', "C'est bon", 'c’est bon', 'confirmer', 'Valider.'])(
    '« %s » confirms',
    (t) => {
      expect(textToEvent(at('cadre'), t)).toEqual({ type: 'CONFIRM' });
    },
  );
  it('« corriger » and « modifier la date » open corrections', () => {
    expect(textToEvent(at('identification'), 'corriger')).toEqual({ type: 'EDIT' });
    expect(textToEvent(at('identification'), 'modifier la date')).toEqual({
      type: 'EDIT',
      field: 'invoiceDate',
    });
    expect(textToEvent({ value: { active: 'summary' }, context: ctx() }, 'corriger destinataire')).toEqual({
      type: 'EDIT',
      block: 'destinataire',
    });
    expect(textToEvent({ value: { active: 'summary' }, context: ctx() }, 'corriger le siret')).toEqual({
      type: 'EDIT',
      field: 'recipient',
    });
  });
  it('a bare 14-digit number in the destinataire block is the SIRET; fewer digits search', () => {
    expect(textToEvent(at('destinataire'), '213 300 635 00017')).toMatchObject({
      type: 'SET',
      field: 'recipient',
      value: '21330063500017',
    });
    expect(textToEvent(at('destinataire'), '2133')).toEqual({ type: 'SEARCH', prefix: '2133' });
  });
  it('« champ valeur » sets that field anywhere, keeping the typed case', () => {
    expect(textToEvent(at('references'), 'TTC 1 500,00')).toMatchObject({
      type: 'SET',
      field: 'totalInclTax',
      value: '1 500,00',
    });
    expect(textToEvent(at('identification'), 'numéro F-ab/12')).toMatchObject({
      type: 'SET',
      field: 'invoiceNumber',
      value: 'F-ab/12',
    });
  });
  it('while editing, the text is the value of the field being corrected', () => {
    expect(
      textToEvent(at('identification', 'editing', { editing: 'invoiceNumber' }), 'FAC-001'),
    ).toMatchObject({ type: 'SET', field: 'invoiceNumber', value: 'FAC-001' });
  });
  it('at the cancel confirmation, « oui » deletes and « non » goes back', () => {
    const s = { value: 'cancelConfirm', context: ctx() };
    expect(textToEvent(s, 'oui')).toEqual({ type: 'CONFIRM' });
    expect(textToEvent(s, 'non')).toEqual({ type: 'BACK' });
  });
  it('anything else is not understood', () => {
    expect(textToEvent(at('cadre'), 'bonjour')).toEqual({ type: 'NOT_UNDERSTOOD', text: 'bonjour' });
  });
  it('maps choice ids to events', () => {
    expect(choiceToEvent('ok')).toEqual({ type: 'CONFIRM' });
    expect(choiceToEvent('set:vatRegime:sans')).toEqual({ type: 'SET', field: 'vatRegime', value: 'sans' });
    expect(choiceToEvent('block:references')).toEqual({ type: 'EDIT', block: 'references' });
    expect(choiceToEvent('drafts')).toBeUndefined();
  });
  it('recognizes global commands', () => {
    expect(parseCommand('Aide')).toEqual({ kind: 'help' });
    expect(parseCommand('/brouillons')).toEqual({ kind: 'drafts' });
    expect(parseCommand('reprendre 42')).toEqual({ kind: 'resume', reference: '42' });
    expect(parseCommand('reprendre PROV-2026-0042')).toEqual({ kind: 'resume', reference: 'PROV-2026-0042' });
    expect(parseCommand('statut')).toEqual({ kind: 'status' });
    expect(parseCommand('ok')).toBeUndefined();
  });
});

describe('parseField', () => {
  it('tells a date that is not in the calendar from one it cannot read', () => {
    const impossible = parseField('invoiceDate', '31/02/2026', ctx(), '2026-11-26');
    expect(impossible).toMatchObject({ ok: false });
    expect(JSON.stringify(impossible)).toContain('n’existe pas');
    const unreadable = parseField('invoiceDate', 'la semaine dernière', ctx(), '2026-11-26');
    expect(JSON.stringify(unreadable)).toContain('Date non reconnue');
    expect(parseField('invoiceDate', '29/02/2028', ctx(), '2028-12-01')).toMatchObject({ ok: true });
  });
});

describe('isConfirmation / isCancellation', () => {
  it.each([
    'Oui, je confirme !',
    'ok merci',
    "Oui c'est bon",
    'Parfait, merci.',
    'OK.',
    'd’accord, je confirme',
  ])('« %s » is a yes', (t) => expect(isConfirmation(t)).toBe(true));
  it.each(['oui mais non', 'non', 'confirmer le 12', 'ok pour la date mais pas le montant', ''])(
    '« %s » is not a yes',
    (t) => expect(isConfirmation(t)).toBe(false),
  );
  it('cancels the draft, not a field', () => {
    expect(isCancellation('Annuler le brouillon.')).toBe(true);
    expect(isCancellation('supprimer ce brouillon')).toBe(true);
    expect(isCancellation('annuler la date')).toBe(false);
  });
  it('a doubled yes confirms the open block', () => {
    expect(textToEvent(at('cadre'), 'Oui, je confirme !')).toEqual({ type: 'CONFIRM' });
  });
});
