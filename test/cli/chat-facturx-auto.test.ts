/**
 * « factur-x auto » by terminal, end to end: `node bin/facteur.js chat` in a child process
 * (compiled dist/, embedded simulator persisted in FACTEUR_DATA_DIR, SQLite). The setting is kept
 * by the account across runs; a plain PDF then goes as a Factur-X flux the simulator integrates;
 * a PDF whose lines do not add up: the lines are asked, typed, then the flux; off: the PDF.
 */
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { invoiceLines, renderPdf } from '../fixtures/pdf-lib-invoice.js';
import { chatOutput as chat, simulatorState, useTempBase } from './helpers/chat-pipe.js';

const EXAMPLE = 'examples/facture-exemple.pdf';
const inBase = useTempBase('facteur-chat-fxauto-');

describe('« factur-x auto » through facteur chat', () => {
  it('turned on, a plain PDF is deposited as a Factur-X flux the simulator integrates, once', async () => {
    const dir = inBase('auto');
    expect(await chat(dir, [], ['factur-x auto'])).toContain('Factur-X automatique activé');
    const out = await chat(dir, [EXAMPLE], ['ok', 'ok', 'ok', 'ok', 'ok', 'confirmer']);
    expect(out).toContain('Facture déposée sur Chorus Pro');
    expect(out).toContain('Déposée au format Factur-X (factur-x auto)');
    const { invoices, fluxes } = await simulatorState(dir);
    expect(fluxes).toHaveLength(1);
    expect(fluxes[0]).toMatchObject({ state: 'IN_INTEGRE', syntax: 'IN_DP_E2_CII_FACTURX' });
    expect(invoices).toHaveLength(1);
    expect(invoices[0]!.fluxNumber).toBe(fluxes[0]!.number);
  }, 240_000);

  it('lines that do not add up: asked, typed, then the flux; off again: the PDF', async () => {
    const dir = inBase('lines');
    const file = inBase('lignes-fausses.pdf');
    await writeFile(
      file,
      await renderPdf(
        invoiceLines({
          number: 'F-2026-0904',
          items: [
            { label: 'Développement du portail citoyen', qty: '3', unit: '250,00 €', total: '1 250,00 €' },
          ],
        }),
      ),
    );
    await chat(dir, [], ['factur-x auto']);
    const out = await chat(
      dir,
      [file],
      [
        'ok',
        'ok',
        'ok',
        'ok',
        'ok',
        'confirmer',
        'une seule ligne : Développement du portail citoyen, 1 250,00 € HT, TVA 20 %',
        'confirmer',
      ],
    );
    expect(out).toContain('Lignes lues sur la facture');
    expect(out).toContain('Ligne notée pour la version Factur-X');
    expect(out).toContain('Facture déposée sur Chorus Pro');
    expect(out).toContain('Déposée au format Factur-X (factur-x auto)');
    let { invoices, fluxes } = await simulatorState(dir);
    expect(fluxes.map((f) => f.state)).toEqual(['IN_INTEGRE']);
    expect(invoices).toEqual([
      expect.objectContaining({ number: 'F-2026-0904', fluxNumber: fluxes[0]!.number }),
    ]);
    expect(await chat(dir, [], ['factur-x auto off'])).toContain('Factur-X automatique désactivé');
    await chat(dir, [EXAMPLE], ['ok', 'ok', 'ok', 'ok', 'ok', 'confirmer']);
    ({ invoices, fluxes } = await simulatorState(dir));
    expect(fluxes).toHaveLength(1);
    expect(invoices).toHaveLength(2);
    expect(invoices.at(-1)).toMatchObject({ modeDepot: 'DEPOT_PDF_API' });
  }, 240_000);
});
