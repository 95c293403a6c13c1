/** Parsing « Version Factur-X » requests and choices. */
import { describe, expect, it } from 'vitest';
import { facturxOutChoice, parseFacturxOutText } from '../../src/machine/facturx-out-commands.js';

describe('« Version Factur-X » requests', () => {
  it('reads the typed forms, with or without an invoice reference', () => {
    expect(parseFacturxOutText('Version Factur-X')).toEqual({ kind: 'facturx-version' });
    expect(parseFacturxOutText('facturx')).toEqual({ kind: 'facturx-version' });
    expect(parseFacturxOutText('/facturx')).toEqual({ kind: 'facturx-version' });
    expect(parseFacturxOutText('version factur-x de la facture F-2026-0042')).toEqual({
      kind: 'facturx-version',
      reference: 'F-2026-0042',
    });
    expect(parseFacturxOutText('factur-x PROV-2026-0007')).toEqual({
      kind: 'facturx-version',
      reference: 'PROV-2026-0007',
    });
  });

  it('leaves other texts alone', () => {
    expect(parseFacturxOutText('factur-x auto')).toBeUndefined();
    expect(parseFacturxOutText('qu’est-ce que factur-x ?')).toBeUndefined();
    expect(parseFacturxOutText('confirmer')).toBeUndefined();
  });

  it('reads the buttons', () => {
    expect(facturxOutChoice('fxo:abcDEF123_-')).toEqual({ kind: 'facturx-version', draftId: 'abcDEF123_-' });
    expect(facturxOutChoice('fxo:cancel')).toBe('cancel');
    expect(facturxOutChoice('status')).toBeUndefined();
  });
});
