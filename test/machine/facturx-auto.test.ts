/**
 * « factur-x auto » with real parts (createApp: SQLite store, recognition, the simulator over
 * HTTP): the account setting, the Factur-X made before the deposit and deposited as a flux the
 * simulator integrates; a flux the simulator rejects → the PDF deposit with a clear message;
 * lines that do not add up → shown and asked before anything is deposited. Never twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, TERMINAL_IDENTITY, type App } from '../../src/app/create-app.js';
import { createConfig } from '../../src/config/schema.js';
import { createFacturxProducer } from '../../src/facturx-out/produce.js';
import type { FacturxSource } from '../../src/facturx-out/types.js';
import type { UserInput } from '../../src/machine/conversation-port.js';
import { parseFacturxAutoText } from '../../src/machine/facturx-out-commands.js';
import type { View } from '../../src/machine/view.js';
import { createRecognizer } from '../../src/recognition/index.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { invoiceLines, renderPdf, type InvoiceOptions } from '../fixtures/pdf-lib-invoice.js';

const recognizer = createRecognizer({ poolSize: 1 });
const producer = createFacturxProducer();
/** Invoice numbers whose Factur-X names a seller this Chorus account does not own: Chorus Pro rejects the flux. */
const foreignSeller = new Set<string>();
let dir: string;
let app: App;
const me = TERMINAL_IDENTITY;
const text = (t: string): UserInput => ({ type: 'text', text: t });
const say = async (t: string) => (await app.conversations.handle(me, text(t))).views;

async function deposit(options: InvoiceOptions): Promise<View> {
  const bytes = await renderPdf(invoiceLines(options));
  await app.conversations.handle(me, {
    type: 'file',
    fileName: `${options.number}.pdf`,
    mimeType: 'application/pdf',
    bytes,
  });
  let views: View[] = [];
  for (let i = 0; i < 8 && views.at(-1)?.kind !== 'summary'; i++) views = await say('ok');
  expect(views.at(-1)?.kind).toBe('summary');
  views = await say('confirmer');
  expect(views.at(-1)?.kind).toBe('receipt');
  return views.at(-1)!;
}

const invoicesNumbered = (n: string) => app.simulator!.listInvoices().filter((i) => i.number === n);
const fluxesOf = async (n: string) =>
  (await app.simulator!.listFluxes()).filter((f) => f.fileName.includes(n));

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'facteur-fxauto-'));
  app = await createApp(createConfig({ FACTEUR_DATA_DIR: dir }), {
    logger: createSilentLogger(),
    recognizer,
    withChannels: false,
    submitRetryDelayMs: 5,
    deposit: { lookupDelayMs: 10 },
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
  });
  await app.start();
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await recognizer.close();
  await rm(dir, { recursive: true, force: true });
});

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
    const account = await app.store.accounts.getByName('demo');
    expect(await app.store.accounts.facturxAuto(account!.id)).toBe(true);
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
    const flux = await app.store.fluxDeposits.get(receipt.draftId!);
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
    expect((await app.store.deposits.get(receipt.draftId!))?.state).toBe('deposited');
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
    await app.conversations.handle(me, {
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
