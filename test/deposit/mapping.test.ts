import { describe, expect, it } from 'vitest';
import { soumettreRequest } from '../../src/deposit/api/factures.js';
import {
  cadreFromCode,
  receiptFromConsult,
  toRecognition,
  toSoumettreRequest,
} from '../../src/deposit/mapping.js';
import { amountToCents, centsToAmount, formatEuros, vatRatePercent } from '../../src/deposit/money.js';
import { localRefusals } from '../../src/deposit/precheck.js';
import { backoffDelay, parseRetryAfter } from '../../src/deposit/retry.js';
import { submission } from './helpers.js';

describe('money at the wire boundary', () => {
  it('converts cents and decimals without float drift', () => {
    for (const cents of [0, 1, 10, 99, 1999, 123_456_789, 70_000_001]) {
      expect(amountToCents(centsToAmount(cents))).toBe(cents);
    }
    expect(amountToCents(0.1 + 0.2)).toBe(30);
    expect(amountToCents(1234.565)).toBe(123_457);
  });

  it('derives the VAT rate from the totals', () => {
    expect(vatRatePercent(125_000, 25_000)).toBe(20);
    expect(vatRatePercent(10_000, 550)).toBe(5.5);
    expect(vatRatePercent(10_000, 0)).toBe(0);
    expect(vatRatePercent(0, 0)).toBe(0);
  });

  it('prints euros the French way with plain spaces', () => {
    expect(formatEuros(123_456_78)).toBe('123 456,78 €');
  });
});

describe('soumettre body', () => {
  it('carries every confirmed value where Chorus expects it, and passes its own schema', () => {
    const body = toSoumettreRequest(
      submission(6921001, {
        cadre: 'A9',
        validatorSiret: '91234567500025',
        serviceCode: 'SG-DNUM',
        engagementNumber: '1300012345',
        marketNumber: '2026-MAPA-07',
        totalExclTaxCents: 300_000,
        totalTaxCents: 60_000,
        totalInclTaxCents: 360_000,
      }),
    );
    expect(soumettreRequest.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({
      modeDepot: 'DEPOT_PDF_API',
      destinataire: { codeDestinataire: '21330063500017', codeServiceExecutant: 'SG-DNUM' },
      fournisseur: { idFournisseur: 26100001, codeCoordonneesBancairesFournisseur: 116050 },
      cadreDeFacturation: {
        codeCadreFacturation: 'A9_FACTURE_SOUSTRAITANT',
        codeStructureValideur: '91234567500025',
      },
      references: {
        numeroBonCommande: '1300012345',
        numeroMarche: '2026-MAPA-07',
        modePaiement: 'VIREMENT',
        deviseFacture: 'EUR',
      },
      montantTotal: { montantHtTotal: 3000, montantTVA: 600, montantTtcTotal: 3600, montantAPayer: 3600 },
      ligneTva: [
        { ligneTvaTauxManuel: 20, ligneTvaMontantBaseHtParTaux: 3000, ligneTvaMontantTvaParTaux: 600 },
      ],
      pieceJointePrincipale: [{ pieceJointePrincipaleId: 6921001 }],
    });
  });

  it('leaves out what is not set', () => {
    const body = toSoumettreRequest(submission(1, { bankAccountId: undefined }));
    expect(body.destinataire).not.toHaveProperty('codeServiceExecutant');
    expect(body.fournisseur).not.toHaveProperty('codeCoordonneesBancairesFournisseur');
    expect(body.references).not.toHaveProperty('numeroBonCommande');
  });
});

describe('answers to domain values', () => {
  it('recognition: cents, nulls dropped', () => {
    expect(
      toRecognition({
        codeRetour: 0,
        libelle: 'GCU_MSG_01_000',
        pieceJointeId: 7,
        numeroFacture: 'F-1',
        dateFacture: '2026-03-15T00:00:00.000+0100',
        codeDestinataire: null,
        montantHtTotal: 1000.1,
        montantTVA: 200.02,
        montantTtcAvantRemiseGlobalTTC: 1200.12,
        montantAPayer: null,
      }),
    ).toEqual({
      pieceJointeId: 7,
      invoiceNumber: 'F-1',
      invoiceDate: '2026-03-15',
      totalExclTaxCents: 100_010,
      totalTaxCents: 20_002,
      totalInclTaxCents: 120_012,
    });
  });

  it('consulted invoice: cadre and amounts', () => {
    expect(cadreFromCode('A12_FACTURE_COTRAITANT')).toBe('A12');
    expect(cadreFromCode('A3_MEMOIRE_JUSTICE')).toBe('A1');
    const receipt = receiptFromConsult(
      {
        identifiantFactureCPP: 3,
        numeroFacture: 'F-3',
        statutFacture: 'MISE_A_DISPOSITION',
        cadreDeFacturation: { codeCadreFacturation: 'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE' },
        destinataire: { codeDestinataire: '21330063500017' },
        references: { dateDepot: '2026-03-15 10:12', codeDeviseFacture: 'EUR' },
        montantTotal: { montantHtTotal: 10, montantTVA: 2, montantTtcTotal: 12 },
      },
      '2026-03-16T00:00:00.000Z',
    );
    expect(receipt).toMatchObject({
      cadre: 'A2',
      totalInclTaxCents: 1200,
      status: 'MISE_A_DISPOSITION',
      recipientSiret: '21330063500017',
    });
    expect(receipt.depositedAt.startsWith('2026-03-15T')).toBe(true);
  });
});

describe('checks that need no call', () => {
  it('accepts a clean submission and flags each local rule', () => {
    expect(localRefusals(submission(1))).toEqual([]);
    expect(localRefusals(submission(1, { fileName: 'dossier/facture.pdf' })).map((r) => r.code)).toEqual([
      'file-name-too-long',
    ]);
    expect(localRefusals(submission(1, { invoiceNumber: 'F/2026+1_a-b' }))).toEqual([]);
    expect(localRefusals(submission(1, { invoiceNumber: 'F 1' })).map((r) => r.code)).toEqual([
      'invoice-number-invalid',
    ]);
    expect(localRefusals(submission(1, { invoiceNumber: 'Facture-é' })).map((r) => r.code)).toEqual([
      'invoice-number-invalid',
    ]);
  });
});

describe('retry timing helpers', () => {
  it('reads Retry-After in seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(
      parseRetryAfter(new Date(Date.UTC(2026, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2026, 0, 1)),
    ).toBe(10_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('bientôt')).toBeUndefined();
  });

  it('backs off exponentially within a cap', () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const d = backoffDelay(attempt, 100, 2_000);
      expect(d).toBeGreaterThanOrEqual(Math.min(2_000, 100 * 2 ** attempt) / 2);
      expect(d).toBeLessThanOrEqual(Math.min(2_000, 100 * 2 ** attempt));
    }
  });
});
