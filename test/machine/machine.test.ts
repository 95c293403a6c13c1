import { describe, expect, it } from 'vitest';
import { cleanAnalysis, MINISTRY, SUPPLIERS, BANKS, say, startDraft } from './fakes.js';
import { renderDraft, stepOf } from '../../src/machine/render.js';
import { MAX_SUBMIT_ATTEMPTS } from '../../src/machine/machine.js';

const lastView = (views: ReturnType<typeof renderDraft>) => views[views.length - 1]!;

describe('draft machine, block by block', () => {
  it('confirms a clean invoice block by block, submits once and renders the receipt', async () => {
    const d = await startDraft();
    const first = renderDraft(d.snapshot);
    expect(first.map((v) => v.kind)).toEqual(['report', 'block']);
    expect(stepOf(d.snapshot.value)).toEqual({ kind: 'block', block: 'cadre', mode: 'reviewing' });
    for (const block of ['identification', 'destinataire', 'references']) {
      await say(d, 'ok');
      expect(stepOf(d.snapshot.value)).toMatchObject({ kind: 'block', block });
    }
    await say(d, "c'est bon");
    expect(d.snapshot.value).toEqual({ active: 'summary' });
    const receipt = await say(d, 'confirmer');
    expect(d.snapshot.value).toBe('submitted');
    expect(d.calls.precheck).toBe(1);
    expect(d.calls.submit).toHaveLength(1);
    expect(d.calls.submit[0]).toMatchObject({
      cadre: 'A1',
      invoiceNumber: 'F-2026-001',
      invoiceDate: '2026-03-15',
      recipientSiret: '21330063500017',
      supplierId: 7001,
      bankAccountId: 31,
      totalExclTaxCents: 125000,
      totalTaxCents: 25000,
      totalInclTaxCents: 150000,
      pieceJointeId: 9001,
      currency: 'EUR',
    });
    expect(receipt[0]).toMatchObject({ kind: 'receipt' });
    expect(receipt[0]!.lines.join('\n')).toContain('1 500,00 €');
  });

  it('rejects an invalid SIRET with a precise error, then accepts a valid one and shows the name', async () => {
    const d = await startDraft({
      analysis: cleanAnalysis({
        recognized: {
          invoiceNumber: 'A-1',
          invoiceDate: '2026-03-01',
          totalExclTax: 100,
          totalTax: 0,
          totalInclTax: 100,
        },
        recipient: null,
      }),
    });
    await say(d, 'ok');
    await say(d, 'ok');
    expect(stepOf(d.snapshot.value)).toEqual({ kind: 'block', block: 'destinataire', mode: 'editing' });
    let views = await say(d, '21330063500018');
    expect(lastView(views).lines[0]).toContain('clé de contrôle');
    expect(lastView(views).blocks?.find((b) => b.id === 'destinataire')?.fields[0]?.status).toBe('invalid');
    views = await say(d, 'SIRET inconnu');
    expect(lastView(views).lines[0]).toContain('14 chiffres');
    views = await say(d, '213 300 635 00017');
    expect(stepOf(d.snapshot.value)).toEqual({ kind: 'block', block: 'destinataire', mode: 'reviewing' });
    expect(lastView(views).lines[0]).toContain('Commune de Saint-Aubin-sur-Garonne');
    expect(d.snapshot.context.values.recipient).toBe('21330063500017');
    expect(d.snapshot.context.status.recipient).toBe('corrected');
  });

  it('refuses an inactive recipient and an unknown one', async () => {
    const d = await startDraft({
      analysis: cleanAnalysis({
        recognized: { invoiceNumber: 'A-1', invoiceDate: '2026-03-01' },
        recipient: null,
      }),
    });
    await say(d, 'ok');
    await say(d, 'ok');
    let views = await say(d, '21330099900017');
    expect(lastView(views).lines[0]).toContain('n’est plus active');
    views = await say(d, '73282932000074');
    expect(lastView(views).lines[0]).toContain('Aucune structure publique active');
    expect(stepOf(d.snapshot.value)).toMatchObject({ block: 'destinataire', mode: 'editing' });
  });

  it('offers the structures matching a typed prefix and takes the chosen one', async () => {
    const d = await startDraft({
      analysis: cleanAnalysis({
        recognized: { invoiceNumber: 'A-1', invoiceDate: '2026-03-01' },
        recipient: null,
      }),
    });
    await say(d, 'ok');
    await say(d, 'ok');
    const views = await say(d, '2133');
    expect(stepOf(d.snapshot.value)).toMatchObject({ block: 'destinataire', mode: 'choosing' });
    const ids = lastView(views).choices.map((c) => c.id);
    expect(ids).toContain('set:recipient:21330063500017');
    expect(ids).toContain('set:recipient:21330099900017');
    await d.send({ type: 'SET', field: 'recipient', value: '21330063500017' });
    expect(d.snapshot.context.recipientInfo?.structure.name).toBe('Commune de Saint-Aubin-sur-Garonne');
  });

  it('asks the service code (list of active services) and the engagement a ministry requires', async () => {
    const d = await startDraft({
      analysis: cleanAnalysis({
        recognized: {
          invoiceNumber: 'M-7',
          invoiceDate: '2026-03-02',
          recipient: MINISTRY.structure.siret,
          totalExclTax: 1000,
          totalTax: 200,
          totalInclTax: 1200,
        },
        recipient: MINISTRY,
      }),
    });
    await say(d, 'ok');
    const views = await say(d, 'ok');
    expect(stepOf(d.snapshot.value)).toMatchObject({ block: 'destinataire', mode: 'editing' });
    expect(d.snapshot.context.editing).toBe('service');
    const choices = lastView(views).choices.map((c) => c.id);
    expect(choices).toEqual(expect.arrayContaining(['set:service:501', 'set:service:502']));
    expect(choices).not.toContain('set:service:503');
    expect(lastView(await say(d, 'OLD')).lines[0]).toContain('fermé');
    await d.send({ type: 'SET', field: 'service', value: '502' });
    expect(d.snapshot.context.values.service).toBe('SG-ACHATS');
    await say(d, 'ok');
    expect(d.snapshot.context.editing).toBe('engagement');
    expect(lastView(await say(d, 'ok')).lines[0]).toContain('exige un numéro d’engagement');
    await say(d, '1234567890');
    expect(d.snapshot.context.values.engagement).toBe('1234567890');
    await say(d, 'ok');
    expect(d.snapshot.value).toEqual({ active: 'summary' });
    await say(d, 'oui');
    expect(d.calls.submit[0]).toMatchObject({ serviceCode: 'SG-ACHATS', engagementNumber: '1234567890' });
  });

  it('lets the user choose among two supplier SIRETs and a factor’s bank details', async () => {
    const d = await startDraft({
      analysis: cleanAnalysis({
        suppliers: SUPPLIERS,
        bankAccounts: BANKS[7001]!,
        recognized: { ...cleanAnalysis().recognized, supplierSiret: undefined },
      }),
    });
    await say(d, 'ok');
    await say(d, 'ok');
    await say(d, 'ok');
    expect(stepOf(d.snapshot.value)).toMatchObject({ kind: 'block', block: 'fournisseur' });
    await d.send({ type: 'SET', field: 'supplier', value: '7002' });
    expect(d.snapshot.context.bankAccounts.map((b) => b.id)).toEqual([41]);
    await d.send({ type: 'SET', field: 'supplier', value: '91234567500017' });
    expect(d.snapshot.context.values.supplier).toBe(7001);
    expect(d.snapshot.context.values.bankAccount).toBeUndefined();
    await say(d, 'ok');
    expect(stepOf(d.snapshot.value)).toMatchObject({ block: 'references', mode: 'editing' });
    expect(d.snapshot.context.editing).toBe('bankAccount');
    const views = renderDraft(d.snapshot);
    const factor = lastView(views).choices.find((c) => c.id === 'set:bankAccount:32');
    expect(factor?.label).toContain('affactureur');
    await d.send({ type: 'SET', field: 'bankAccount', value: '32' });
    await say(d, 'ok');
    await say(d, 'confirmer');
    expect(d.calls.submit[0]).toMatchObject({ supplierId: 7001, bankAccountId: 32 });
  });

  it('corrects amounts with French formats and refuses incoherent totals', async () => {
    const d = await startDraft();
    for (let i = 0; i < 3; i++) await say(d, 'ok');
    let views = await say(d, 'ttc 1 600,00 €');
    expect(d.snapshot.context.values.totalInclTax).toBe(160000);
    views = await say(d, 'ok');
    expect(lastView(views).lines[0]).toContain('ne sont pas cohérents');
    expect(d.snapshot.context.editing).toBe('totalInclTax');
    views = await say(d, 'douze euros');
    expect(lastView(views).lines[0]).toContain('Montant non reconnu');
    await say(d, '1500');
    await say(d, 'ok');
    expect(d.snapshot.value).toEqual({ active: 'summary' });
  });

  it('corrects identification fields: invalid number, future date, then valid values', async () => {
    const d = await startDraft();
    await say(d, 'ok');
    await say(d, 'corriger le numéro');
    expect(d.snapshot.context.editing).toBe('invoiceNumber');
    expect(lastView(await say(d, 'FACTURE N° 2026 / 42 !!')).lines[0]).toContain('20 caractères au plus');
    await say(d, 'F-2026-099');
    expect(d.snapshot.context.values.invoiceNumber).toBe('F-2026-099');
    expect(lastView(await say(d, 'date 31/12/2099')).lines[0]).toContain('futur');
    expect(lastView(await say(d, '31/02/2026')).lines[0]).toContain('n’existe pas');
    await say(d, '1er mars 2026');
    expect(d.snapshot.context.values.invoiceDate).toBe('2026-03-01');
    await say(d, 'avoir');
    expect(d.snapshot.context.values.invoiceType).toBe('AVOIR');
  });

  it('asks for the validator SIRET of an A9 invoice', async () => {
    const d = await startDraft();
    await d.send({ type: 'SET', field: 'cadre', value: 'A9' });
    expect(d.snapshot.context.editing).toBe('validator');
    await say(d, '21330063500017');
    await say(d, 'ok');
    expect(stepOf(d.snapshot.value)).toMatchObject({ block: 'identification' });
  });

  it('cancels at confirmation only after « oui », and « non » returns exactly where it was', async () => {
    const d = await startDraft();
    for (let i = 0; i < 4; i++) await say(d, 'ok');
    expect(d.snapshot.value).toEqual({ active: 'summary' });
    let views = await say(d, 'annuler');
    expect(views[0]!.kind).toBe('cancel-confirm');
    await say(d, 'non');
    expect(d.snapshot.value).toEqual({ active: 'summary' });
    await say(d, 'annuler');
    views = await say(d, 'oui');
    expect(d.snapshot.value).toBe('cancelled');
    expect(views[0]!.kind).toBe('cancelled');
    expect(d.calls.submit).toHaveLength(0);
  });

  it('goes back from the summary to a block and returns to the summary', async () => {
    const d = await startDraft();
    for (let i = 0; i < 4; i++) await say(d, 'ok');
    await d.send({ type: 'EDIT', block: 'identification' });
    expect(stepOf(d.snapshot.value)).toMatchObject({ block: 'identification', mode: 'reviewing' });
    await say(d, 'ok');
    expect(d.snapshot.value).toEqual({ active: 'summary' });
  });

  it('shows Chorus refusals before submitting and routes to the block to fix', async () => {
    let refuse = true;
    const d = await startDraft({
      precheck: () =>
        refuse
          ? [
              {
                code: 'invoice-number-used',
                message: 'Vous avez déjà déposé une facture avec ce numéro sur Chorus Pro.',
              },
            ]
          : [],
    });
    for (let i = 0; i < 4; i++) await say(d, 'ok');
    const views = await say(d, 'confirmer');
    expect(d.snapshot.value).toEqual({ active: 'refused' });
    expect(views[0]!.choices[0]!.id).toBe('block:identification');
    expect(d.calls.submit).toHaveLength(0);
    await d.send({ type: 'EDIT', block: 'identification' });
    await say(d, 'numero F-2026-002');
    refuse = false;
    await say(d, 'ok');
    await say(d, 'confirmer');
    expect(d.snapshot.value).toBe('submitted');
    expect(d.calls.submit[0]?.invoiceNumber).toBe('F-2026-002');
  });

  it('retries a transient submit failure without asking', async () => {
    const d = await startDraft({
      submitFailures: [{ code: 'chorus-unreachable', message: 'Chorus Pro ne répond pas', transient: true }],
    });
    for (let i = 0; i < 4; i++) await say(d, 'ok');
    await say(d, 'confirmer');
    expect(d.snapshot.value).toBe('submitted');
    expect(d.calls.submit).toHaveLength(2);
  });

  it('stops after repeated failures, says what to do, then succeeds on « réessayer »', async () => {
    const down = {
      code: 'chorus-unreachable',
      message: 'Chorus Pro ne répond pas pour le moment.',
      transient: true,
    };
    const d = await startDraft({ submitFailures: Array.from({ length: MAX_SUBMIT_ATTEMPTS }, () => down) });
    for (let i = 0; i < 4; i++) await say(d, 'ok');
    const views = await say(d, 'confirmer');
    expect(d.snapshot.value).toEqual({ active: 'submitFailed' });
    expect(views[0]!.lines[0]).toContain('ne répond pas');
    expect(d.calls.submit).toHaveLength(MAX_SUBMIT_ATTEMPTS);
    await say(d, 'réessayer');
    expect(d.snapshot.value).toBe('submitted');
    expect(d.calls.submit).toHaveLength(MAX_SUBMIT_ATTEMPTS + 1);
  });

  it('ends an unusable PDF with its advice, and expires an inactive draft', async () => {
    const bad = await startDraft({
      analysis: {
        ...cleanAnalysis(),
        unusable: true,
        advice: [{ rule: 'encrypted-pdf', message: 'Le PDF est protégé par un mot de passe.' }],
      },
    });
    expect(bad.snapshot.value).toBe('rejected');
    expect(renderDraft(bad.snapshot)[0]!.lines.join(' ')).toContain('mot de passe');
    const d = await startDraft();
    await d.send({ type: 'EXPIRE' });
    expect(d.snapshot.value).toBe('expired');
  });

  it('keeps a not-understood answer as a notice without moving', async () => {
    const d = await startDraft();
    const views = await say(d, 'banane');
    expect(lastView(views).lines[0]).toContain('Je n’ai pas compris');
    expect(stepOf(d.snapshot.value)).toMatchObject({ block: 'cadre', mode: 'reviewing' });
    expect(d.snapshot.context.notice).toBeNull();
  });
});
