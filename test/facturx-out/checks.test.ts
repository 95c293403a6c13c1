/**
 * The structural checks: all pass on a produced Factur-X, and each one fails on a copy that
 * breaks exactly its requirement.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { PDFRawStream } from 'pdf-lib';
import { PDFArray, PDFDict, PDFDocument, PDFName, StandardFonts, setFillingCmykColor, rgb } from 'pdf-lib';
import { produceFacturx } from '../../src/facturx-out/produce.js';
import { checkFacturxPdf, failedChecks } from '../../src/facturx-out/checks/index.js';
import { embedFacturx } from '../../src/recognition/facturx/pdf-embed.js';
import { demoSource } from '../fixtures/facturx-out/sources.js';

const T = 180_000;
const FIXTURE = new URL('../fixtures/generated/pl-clean-commune.pdf', import.meta.url);
let good: Uint8Array;
let xml: string;

beforeAll(async () => {
  const out = await produceFacturx(new Uint8Array(readFileSync(FIXTURE)), demoSource(), {
    ghostscript: null,
    now: () => new Date('2026-03-16T10:00:00Z'),
  });
  good = out.pdf;
  xml = out.xml;
}, T);

async function mutate(fn: (doc: PDFDocument) => void | Promise<void>): Promise<Uint8Array> {
  const doc = await PDFDocument.load(good, { updateMetadata: false });
  await fn(doc);
  return doc.save({ useObjectStreams: false });
}

function xmpOf(doc: PDFDocument): string {
  const s = doc.catalog.lookup(PDFName.of('Metadata')) as PDFRawStream;
  return new TextDecoder().decode(s.getContents());
}
function setXmp(doc: PDFDocument, packet: string) {
  const stream = doc.context.stream(new TextEncoder().encode(packet), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(stream));
}
const failing = async (bytes: Uint8Array, opts = {}) =>
  failedChecks(await checkFacturxPdf(bytes, { xml, ...opts }));

describe('structural checks', () => {
  it('all pass on a produced Factur-X, and each one is listed', async () => {
    const results = await checkFacturxPdf(good, { xml });
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.map((r) => r.id).sort()).toEqual(
      [
        'header',
        'trailer-id',
        'not-encrypted',
        'output-intent',
        'xml-attachment',
        'associated-files',
        'xml-content',
        'fonts-embedded',
        'annotations-printable',
        'no-lzw',
        'no-javascript',
        'no-cmyk',
        'xmp-present',
        'xmp-pdfa-id',
        'xmp-fx-extension',
        'xmp-fx-values',
        'info-matches-xmp',
      ].sort(),
    );
  });

  it('header: fails without the binary comment line', async () => {
    const bytes = new Uint8Array(good);
    const at = new TextDecoder('latin1').decode(bytes.subarray(0, 20)).indexOf('\n%') + 2;
    bytes.set([0x41, 0x41, 0x41, 0x41], at);
    expect(await failing(bytes)).toContain('header');
  });

  it('trailer-id: fails without /ID', async () => {
    expect(await failing(await mutate((d) => void delete d.context.trailerInfo.ID))).toEqual(['trailer-id']);
  });

  it('not-encrypted: fails with /Encrypt in the trailer', async () => {
    const bytes = await mutate((d) => {
      d.context.trailerInfo.Encrypt = d.context.register(d.context.obj({ Filter: 'Standard', V: 1, R: 2 }));
    });
    expect(await failing(bytes)).toContain('not-encrypted');
  });

  it('output-intent: fails without it, and with a CMYK profile', async () => {
    expect(await failing(await mutate((d) => void d.catalog.delete(PDFName.of('OutputIntents'))))).toEqual([
      'output-intent',
    ]);
    const cmyk = await mutate((d) => {
      const intent = d.catalog.lookup(PDFName.of('OutputIntents'), PDFArray).lookup(0, PDFDict);
      const icc = new Uint8Array(128);
      icc.set(new TextEncoder().encode('CMYK'), 16);
      icc.set(new TextEncoder().encode('acsp'), 36);
      intent.set(PDFName.of('DestOutputProfile'), d.context.register(d.context.stream(icc, { N: 4 })));
    });
    expect(await failing(cmyk)).toEqual(['output-intent']);
  });

  it('xml-attachment and associated-files: fail on a wrong relationship and without /AF', async () => {
    const specOf = (d: PDFDocument) => {
      const names = d.catalog
        .lookup(PDFName.of('Names'), PDFDict)
        .lookup(PDFName.of('EmbeddedFiles'), PDFDict);
      return names.lookup(PDFName.of('Names'), PDFArray).lookup(1, PDFDict);
    };
    const rel = await mutate((d) => specOf(d).set(PDFName.of('AFRelationship'), PDFName.of('Supplement')));
    expect(await failing(rel)).toEqual(['xml-attachment']);
    const mime = await mutate((d) => {
      const ef = specOf(d).lookup(PDFName.of('EF'), PDFDict).lookup(PDFName.of('F')) as PDFRawStream;
      ef.dict.set(PDFName.of('Subtype'), PDFName.of('application/octet-stream'));
    });
    expect(await failing(mime)).toEqual(['xml-attachment']);
    expect(await failing(await mutate((d) => void d.catalog.delete(PDFName.of('AF'))))).toEqual([
      'associated-files',
    ]);
  });

  it('xml-content: fails when the attached XML is not the validated one', async () => {
    expect(await failing(good, { xml: xml.replace('F-2026-0042', 'F-2026-0043') })).toEqual(['xml-content']);
  });

  it('fonts-embedded: fails on a PDF whose standard fonts have no program', async () => {
    const plain = await embedFacturx(new Uint8Array(readFileSync(FIXTURE)), xml, { profile: 'EN16931' });
    expect(await failing(plain)).toContain('fonts-embedded');
  });

  it('annotations-printable: fails on a link without the Print flag', async () => {
    const bytes = await mutate((d) => {
      const annot = d.context.register(
        d.context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 0, 10, 10], F: 0 }),
      );
      d.getPage(0).node.set(PDFName.of('Annots'), d.context.obj([annot]));
    });
    expect(await failing(bytes)).toEqual(['annotations-printable']);
  });

  it('no-lzw, no-javascript, no-cmyk: fail on an LZW stream, a JavaScript action, a CMYK fill', async () => {
    const lzw = await mutate((d) => {
      d.context.register(
        d.context.stream(new Uint8Array([0x80, 0x0b, 0x60, 0x50, 0x22, 0x0c, 0x0c, 0x85, 0x01]), {
          Filter: 'LZWDecode',
        }),
      );
    });
    expect(await failing(lzw)).toEqual(['no-lzw']);
    const js = await mutate((d) => {
      d.catalog.set(
        PDFName.of('OpenAction'),
        d.context.obj({ S: 'JavaScript', JS: d.context.obj('app.alert(1)') }),
      );
    });
    expect(await failing(js)).toEqual(['no-javascript']);
    const cmyk = await mutate((d) => {
      d.getPage(0).pushOperators(setFillingCmykColor(0, 0, 0, 1));
    });
    expect(await failing(cmyk)).toEqual(['no-cmyk']);
  });

  it('xmp checks: fail when the packet is missing, compressed, PDF/A-2, without the extension schema, or with other fx values', async () => {
    expect(await failing(await mutate((d) => void d.catalog.delete(PDFName.of('Metadata'))))).toEqual([
      'xmp-present',
    ]);
    const flate = await mutate((d) => {
      const packet = new TextEncoder().encode(xmpOf(d));
      d.catalog.set(
        PDFName.of('Metadata'),
        d.context.register(d.context.flateStream(packet, { Type: 'Metadata', Subtype: 'XML' })),
      );
    });
    expect(await failing(flate)).toEqual(['xmp-present']);
    const part2 = await mutate((d) => setXmp(d, xmpOf(d).replace('<pdfaid:part>3<', '<pdfaid:part>2<')));
    expect(await failing(part2)).toEqual(['xmp-pdfa-id']);
    const noExt = await mutate((d) =>
      setXmp(d, xmpOf(d).replace(/<pdfaExtension:schemas>[\s\S]*<\/pdfaExtension:schemas>/, '')),
    );
    expect(await failing(noExt)).toEqual(['xmp-fx-extension']);
    const level = await mutate((d) => setXmp(d, xmpOf(d).replace('>EN 16931<', '>BASIC<')));
    expect(await failing(level)).toEqual(['xmp-fx-values']);
  });

  it('info-matches-xmp: fails when the document title differs from dc:title', async () => {
    expect(await failing(await mutate((d) => d.setTitle('Autre titre')))).toEqual(['info-matches-xmp']);
  });

  it(
    'a page drawn with Times, Courier and Symbol gets their programs and passes',
    { timeout: T },
    async () => {
      const doc = await PDFDocument.create();
      const page = doc.addPage([595, 842]);
      let y = 800;
      for (const f of [StandardFonts.TimesRoman, StandardFonts.CourierBold, StandardFonts.HelveticaOblique]) {
        page.drawText('Facture F-2026-0042 — 1 250,00 €', {
          x: 50,
          y: (y -= 30),
          size: 12,
          font: await doc.embedFont(f),
          color: rgb(0, 0, 0),
        });
      }
      page.drawText('αβγ', {
        x: 50,
        y: (y -= 30),
        size: 12,
        font: await doc.embedFont(StandardFonts.Symbol),
      });
      const out = await produceFacturx(await doc.save(), demoSource(), { ghostscript: null });
      expect(out.embeddedFonts.sort()).toEqual([
        'Courier-Bold',
        'Helvetica-Oblique',
        'Symbol',
        'Times-Roman',
      ]);
      expect(failedChecks(out.checks)).toEqual([]);
    },
  );
});

describe('a Factur-X made again', () => {
  it('carries only the new XML', { timeout: T }, async () => {
    const again = await produceFacturx(good, demoSource({ invoiceNumber: 'F-2026-0099' }), {
      ghostscript: null,
    });
    expect(failedChecks(again.checks)).toEqual([]);
    const doc = await PDFDocument.load(again.pdf);
    const names = doc.catalog
      .lookup(PDFName.of('Names'), PDFDict)
      .lookup(PDFName.of('EmbeddedFiles'), PDFDict);
    expect(names.lookup(PDFName.of('Names'), PDFArray).size()).toBe(2);
    expect(doc.catalog.lookup(PDFName.of('AF'), PDFArray).size()).toBe(1);
    expect(again.xml).toContain('F-2026-0099');
  });
});
