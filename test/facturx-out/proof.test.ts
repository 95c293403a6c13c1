/**
 * Proof of issue #13: every fixture producer (Chromium, LibreOffice, pdf-lib; credit notes,
 * franchise VAT, several rates) made into a Factur-X that passes the XSD, the EN 16931 Schematron
 * and the structural checks, reads back through Facteur's own reader with the same 14 fields and
 * lines, and deposits as a flux end to end (simulator over HTTP, integrated).
 *
 * The confirmed data are the fixtures' ground truth (what the user confirms); the lines are those
 * Facteur reads on the pages (src/recognition/lines/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { produceFacturx } from '../../src/facturx-out/produce.js';
import { sourceFromReport } from '../../src/facturx-out/source-from-report.js';
import { failedChecks } from '../../src/facturx-out/checks/index.js';
import { readInvoiceXmlFromPdf, validateFacturxXml } from '../../src/recognition/facturx/lazy-validator.js';
import { readCii } from '../../src/recognition/facturx/cii-reader.js';
import { facturxFields } from '../../src/recognition/facturx/fields.js';
import type { InspectionReport } from '../../src/recognition/types.js';
import { DEMO, startHarness, type Harness } from '../deposit/helpers.js';

const T = 300_000;
const FIXTURES: Array<[string, string]> = [
  ['cr-clean-commune', 'Chromium'],
  ['cr-avoir', 'Chromium, credit note'],
  ['cr-micro-entrepreneur', 'Chromium, franchise VAT'],
  ['cr-vat-multirate', 'Chromium, several rates'],
  ['lo-writer-facture', 'LibreOffice Writer'],
  ['lo-writer-avoir', 'LibreOffice, credit note'],
  ['lo-writer-franchise', 'LibreOffice, franchise VAT'],
  ['lo-calc-multirate', 'LibreOffice Calc, several rates'],
  ['pl-clean-commune', 'pdf-lib'],
  ['pl-credit-note', 'pdf-lib, credit note'],
  ['pl-micro-entrepreneur', 'pdf-lib, franchise VAT'],
];

interface Truth {
  fields: Record<string, string>;
  invoiceType?: 'FACTURE' | 'AVOIR';
  vatRegime?: string;
}

let h: Harness;
const deposited = new Set<string>();
beforeAll(async () => {
  h = await startHarness({ fluxTimings: { processingAfterMs: 50, doneAfterMs: 150 } });
}, 120_000);
afterAll(async () => h?.close());

const file = (name: string, ext: string) => new URL(`../fixtures/generated/${name}.${ext}`, import.meta.url);

describe('every fixture producer made into a Factur-X', () => {
  for (const [name, producer] of FIXTURES) {
    it(`${name} (${producer})`, { timeout: T }, async () => {
      const bytes = new Uint8Array(readFileSync(file(name, 'pdf')));
      const truth = JSON.parse(readFileSync(file(name, 'expected.json'), 'utf8')) as Truth;
      const report = await h.recognizer.inspect(bytes, `${name}.pdf`);
      // What the user confirmed: the true fields; the lines as Facteur read them.
      const confirmed: InspectionReport = {
        ...report,
        fields: Object.fromEntries(Object.entries(truth.fields).map(([k, value]) => [k, { value }])),
      };
      const credit = truth.invoiceType === 'AVOIR';
      const source = sourceFromReport(confirmed, {
        recipientSiret: truth.fields.recipientSiret!,
        supplierName: 'Camille Martin EI',
        creditNote: credit,
        ...(credit ? { originalInvoice: 'F-2026-0001' } : {}),
        ...(truth.vatRegime === 'SANS_TVA' ? { vatRegime: 'SANS_TVA' as const } : {}),
      });
      if (!source.ok) throw new Error(`missing ${source.missing.join(', ')}`);
      expect(source.source.lines.length).toBeGreaterThan(0);

      const out = await produceFacturx(bytes, source.source, { ghostscript: null }, `${name}.pdf`);
      expect(failedChecks(out.checks)).toEqual([]);
      const attached = await readInvoiceXmlFromPdf(out.pdf);
      expect(attached?.fileName).toBe('factur-x.xml');
      expect(await validateFacturxXml(attached!.xml, { profile: 'EN16931' })).toEqual({
        valid: true,
        errors: [],
      });

      const back = readCii(attached!.xml);
      if (!back.ok) throw new Error(back.error.message);
      const abs = (v: string) => (credit ? v.replace(/^-/, '') : v);
      const expected = Object.fromEntries(
        Object.entries(truth.fields).map(([k, v]) => [k, { value: abs(v) }]),
      );
      expect(facturxFields(back.invoice)).toEqual(expected);
      expect(back.invoice.typeCode).toBe(credit ? '381' : '380');
      expect(back.invoice.lines.map((l) => [l.name, l.quantity, l.netAmountCents])).toEqual(
        source.source.lines.map((l) => [l.description, l.quantity.replace(/\.0+$/, ''), l.amountCents]),
      );
      if (truth.vatRegime === 'SANS_TVA')
        expect(back.invoice.vatBreakdown.map((v) => [v.categoryCode, v.exemptionReasonCode])).toEqual([
          ['E', 'VATEX-FR-FRANCHISE'],
        ]);

      // Deposited as a flux (IN_DP_E2_CII_FACTURX) and integrated by the simulator.
      const s = source.source;
      // Fixtures of different producers share invoice numbers: a fresh simulator for a repeat.
      if (deposited.has(s.invoiceNumber)) {
        await h.close();
        h = await startHarness({ fluxTimings: { processingAfterMs: 50, doneAfterMs: 150 } });
        deposited.clear();
      }
      deposited.add(s.invoiceNumber);
      const flux = await h.service.depositFlux(
        DEMO,
        { fileName: out.fileName, bytes: out.pdf },
        {
          invoiceNumber: s.invoiceNumber,
          invoiceDate: s.invoiceDate,
          invoiceType: s.invoiceType,
          recipientSiret: s.buyer.siret,
          serviceCode: s.serviceCode,
          engagementNumber: s.engagement,
          marketNumber: s.market,
          currency: s.currency,
          totalExclTaxCents: s.totalExclTaxCents,
          totalTaxCents: s.totalTaxCents,
          totalInclTaxCents: s.totalInclTaxCents,
        },
      );
      const result = await h.service.awaitFlux(DEMO, flux, { timeoutMs: 30_000 });
      expect(result.report.reasons).toEqual([]);
      expect(result.outcome).toBe('integrated');
    });
  }
});
