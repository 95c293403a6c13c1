/**
 * « factur-x auto » with real parts (createApp: SQLite store, recognition, the simulator over
 * HTTP): the account setting, the Factur-X made before the deposit and deposited as a flux the
 * simulator integrates; a flux the simulator rejects → the PDF deposit with a clear message;
 * lines that do not add up → shown and asked before anything is deposited. Never twice.
 */
import { describe, expect, it } from 'vitest';
import { TERMINAL_IDENTITY } from '../../src/app/create-app.js';
import { createFacturxProducer } from '../../src/facturx-out/produce.js';
import type { FacturxSource } from '../../src/facturx-out/types.js';
import { parseFacturxAutoText } from '../../src/machine/facturx-out-commands.js';
import type { View } from '../../src/machine/view.js';
import { invoiceLines, renderPdf } from '../fixtures/pdf-lib-invoice.js';
import { useRealApp } from './helpers/real-app.js';

const producer = createFacturxProducer();
/** Invoice numbers whose Factur-X names a seller this Chorus account does not own: Chorus Pro rejects the flux. */
const foreignSeller = new Set<string>();
const bench = useRealApp('facteur-fxauto-', () => ({
  facturxOut: {
    produce: (pdf: Uint8Array, source: FacturxSource, name: string) =>
      producer.produce(
        pdf,
        foreignSeller.has(source.invoiceNumber)
          ? { ...source, seller: { ...source.seller, siret: '39876543800013' } }
          : source,
        name,
      ),
  },
}));
const { say, deposit } = bench;
const me = TERMINAL_IDENTITY;

const invoicesNumbered = (n: string) => bench.app.simulator!.listInvoices().filter((i) => i.number === n);
const fluxesOf = async (n: string) =>
  (await bench.app.simulator!.listFluxes()).filter((f) => f.fileName.includes(n));

describe('« factur-x auto » commands', () => {
  it('reads on and off, and nothing else', () => {
    expect(parseFacturxAutoText('factur-x auto')).toBe('on');
    expect(parseFacturxAutoText('Factur-X auto on')).toBe('on');
    expect(parseFacturxAutoText('facturx auto off')).toBe('off');
    expect(parseFacturxAutoText('factur-x auto désactivé')).toBe('off');
    expect(parseFacturxAutoText('factur-x F-2026-0001')).toBeUndefined();
    expect(parseFacturxAutoText('version factur-x')).toBeUndefined();
  });
});

describe('« factur-x auto » at submit', { timeout: 300_000 }, () => {
  it('off by default: the plain PDF, no flux', async () => {
    await deposit({ number: 'F-2026-0801' });
    expect(invoicesNumbered('F-2026-0801')).toEqual([
      expect.objectContaining({ modeDepot: 'DEPOT_PDF_API' }),
    ]);
    expect(await fluxesOf('F-2026-0801')).toEqual([]);
  });

  it('on: the Factur-X is made and deposited as a flux the simulator integrates, once', async () => {
    const on = await say('factur-x auto');
    expect(on[0]!.lines[0]).toMatch(/^Factur-X automatique activé/);
    const account = await bench.app.store.accounts.getByName('demo');
    expect(await bench.app.store.accounts.facturxAuto(account!.id)).toBe(true);
    const receipt = await deposit({ number: 'F-2026-0802' });
    expect(receipt.lines).toContain(
      'Déposée au format Factur-X (factur-x auto) : Chorus Pro a lu les données exactes de la facture.',
    );
    const fluxes = await fluxesOf('F-2026-0802');
    expect(fluxes).toEqual([
      expect.objectContaining({ state: 'IN_INTEGRE', syntax: 'IN_DP_E2_CII_FACTURX' }),
    ]);
    const invoices = invoicesNumbered('F-2026-0802');
    expect(invoices).toHaveLength(1);
    expect(invoices[0]!.fluxNumber).toBe(fluxes[0]!.number);
    const flux = await bench.app.store.fluxDeposits.get(receipt.draftId!);
    expect(flux?.state).toBe('integrated');
  });

  it('a flux Chorus Pro rejects: the PDF is deposited instead, with the reason, and nothing twice', async () => {
    foreignSeller.add('F-2026-0803');
    const receipt = await deposit({ number: 'F-2026-0803' });
    const notice = receipt.lines.find((l) => l.startsWith('Chorus Pro a refusé la version Factur-X'));
    expect(notice).toMatch(/n’est pas référencé/);
    expect(notice).toMatch(/la facture a été déposée en PDF, comme d’habitude\.$/);
    expect((await fluxesOf('F-2026-0803')).map((f) => f.state)).toEqual(['IN_REJETE']);
    expect(invoicesNumbered('F-2026-0803')).toEqual([
      expect.objectContaining({ modeDepot: 'DEPOT_PDF_API' }),
    ]);
    expect((await bench.app.store.deposits.get(receipt.draftId!))?.state).toBe('deposited');
  });

  it('lines that do not add up: shown and asked at submit; typed, the Factur-X goes as a flux', async () => {
    const bytes = await renderPdf(
      invoiceLines({
        number: 'F-2026-0804',
        items: [
          { label: 'Développement du portail citoyen', qty: '3', unit: '250,00 €', total: '1 250,00 €' },
        ],
      }),
    );
    await bench.app.conversations.handle(me, {
      type: 'file',
      fileName: 'F-2026-0804.pdf',
      mimeType: 'application/pdf',
      bytes,
    });
    let views: View[] = [];
    for (let i = 0; i < 8 && views.at(-1)?.kind !== 'summary'; i++) views = await say('ok');
    const asked = (await say('confirmer')).at(-1)!;
    const shown = asked.lines.join('\n');
    expect(shown).toContain('Lignes lues sur la facture');
    expect(shown).toContain('Développement du portail citoyen');
    expect(shown).toContain('envoyez ses lignes');
    // Nothing deposited while the lines are asked.
    expect(await fluxesOf('F-2026-0804')).toEqual([]);
    expect(invoicesNumbered('F-2026-0804')).toEqual([]);
    const noted = await say('une seule ligne : Développement du portail citoyen, 1 250,00 € HT, TVA 20 %');
    expect(noted[0]!.lines.at(-1)).toMatch(/^Ligne notée pour la version Factur-X/);
    const receipt = (await say('confirmer')).at(-1)!;
    expect(receipt.kind).toBe('receipt');
    expect(receipt.lines.join('\n')).toContain('Déposée au format Factur-X (factur-x auto)');
    expect((await fluxesOf('F-2026-0804')).map((f) => f.state)).toEqual(['IN_INTEGRE']);
    expect(invoicesNumbered('F-2026-0804')).toHaveLength(1);
  });

  it('off again: the plain PDF', async () => {
    expect((await say('factur-x auto off'))[0]!.lines[0]).toMatch(/désactivé/);
    await deposit({ number: 'F-2026-0805' });
    expect(await fluxesOf('F-2026-0805')).toEqual([]);
    expect(invoicesNumbered('F-2026-0805')).toEqual([
      expect.objectContaining({ modeDepot: 'DEPOT_PDF_API' }),
    ]);
  });
});
