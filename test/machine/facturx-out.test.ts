/**
 * « Version Factur-X » in the conversation, with real parts (createApp: SQLite store, recognition,
 * the simulator over HTTP): the button on the receipt sends the Factur-X back with one sentence;
 * lines that do not add up are shown and typed by the user; the default deposit path is unchanged.
 */
import { describe, expect, it } from 'vitest';
import type { View } from '../../src/machine/view.js';
import { checkFacturxPdf, failedChecks } from '../../src/facturx-out/checks/index.js';
import { readInvoiceXmlFromPdf } from '../../src/recognition/facturx/lazy-validator.js';
import { readCii } from '../../src/recognition/facturx/cii-reader.js';
import { useRealApp } from './helpers/real-app.js';

const bench = useRealApp('facteur-fxo-');
const { say, press, deposit } = bench;

async function facturxOf(views: View[]) {
  const a = views.flatMap((v) => v.attachments ?? []).find((x) => x.kind === 'facturx-pdf');
  expect(a?.fileName).toMatch(/-facturx\.pdf$/);
  expect(failedChecks(await checkFacturxPdf(a!.bytes))).toEqual([]);
  const xml = await readInvoiceXmlFromPdf(a!.bytes);
  const cii = readCii(xml!.xml);
  if (!cii.ok) throw new Error(cii.error.message);
  return cii.invoice;
}

describe('« Version Factur-X »', { timeout: 240_000 }, () => {
  it('the receipt offers it; pressed, the Factur-X comes back with one sentence and the confirmed data', async () => {
    const receipt = await deposit({ number: 'F-2026-0701' });
    const choice = receipt.choices.find((c) => c.label === 'Version Factur-X');
    expect(choice?.id).toBe(`fxo:${receipt.draftId}`);
    const views = await press(choice!.id, receipt.draftId);
    expect(views).toHaveLength(1);
    expect(views[0]!.lines).toEqual([expect.stringMatching(/^Voici votre facture au format Factur-X/)]);
    const invoice = await facturxOf(views);
    expect(invoice.number).toBe('F-2026-0701');
    expect(invoice.buyer.legalId).toEqual({ value: '21330063500017', scheme: '0002' });
    expect(invoice.lines).toHaveLength(1);
    // Typed, for the current invoice, it works the same.
    await facturxOf(await say('version Factur-X'));
  });

  it('lines that do not add up are shown, the user types them, and nothing is invented', async () => {
    const receipt = await deposit({
      number: 'F-2026-0702',
      items: [{ label: 'Développement du portail citoyen', qty: '3', unit: '250,00 €', total: '1 250,00 €' }],
    });
    const asked = await press(`fxo:${receipt.draftId}`, receipt.draftId);
    expect(asked.flatMap((v) => v.attachments ?? [])).toEqual([]);
    const lines = asked[0]!.lines.join('\n');
    expect(lines).toContain('Lignes lues sur la facture');
    expect(lines).toContain('Développement du portail citoyen');
    expect(lines).toMatch(/quantité × prix unitaire/);
    expect(asked[0]!.expectsText?.field).toBe('facturx-lines');
    const unreadable = await say('je ne sais pas');
    expect(unreadable[0]!.lines[0]).toMatch(/Je n’ai pas compris la ligne 1/);
    const done = await say('une seule ligne : Développement du portail citoyen, 1 250,00 € HT, TVA 20 %');
    const invoice = await facturxOf(done);
    expect(invoice.lines.map((l) => [l.name, l.quantity, l.netAmountCents])).toEqual([
      ['Développement du portail citoyen', '1', 125000],
    ]);
    // The question is answered: « merci » is small talk again.
    expect((await say('merci'))[0]!.lines[0]).not.toMatch(/ligne/);
    // Any deposited invoice, by its number.
    expect((await facturxOf(await say('version factur-x F-2026-0701'))).number).toBe('F-2026-0701');
    expect((await say('version factur-x F-1999-0001'))[0]!.lines[0]).toMatch(/Je ne trouve pas la facture/);
  });
});
