/**
 * Structural checks of the XMP packet: PDF/A-3 identification, the Factur-X extension schema
 * and its `fx:` values, and the agreement of the document information with the XMP.
 */
import type { Document, Element } from '@xmldom/xmldom';
import { PDFDict, PDFName, PDFRawStream, PDFString, PDFHexString, type PDFDocument } from 'pdf-lib';
import { parseXml } from '../../recognition/facturx/xml-dom.js';
import { FACTURX_XMP_NS } from '../../recognition/facturx/xmp.js';
import type { CheckResult } from './types.js';

const NS = {
  pdfaid: 'http://www.aiim.org/pdfa/ns/id/',
  dc: 'http://purl.org/dc/elements/1.1/',
  pdf: 'http://ns.adobe.com/pdf/1.3/',
  xmp: 'http://ns.adobe.com/xap/1.0/',
  ext: 'http://www.aiim.org/pdfa/ns/extension/',
  schema: 'http://www.aiim.org/pdfa/ns/schema#',
  property: 'http://www.aiim.org/pdfa/ns/property#',
};
const FX_PROPERTIES = ['DocumentFileName', 'DocumentType', 'Version', 'ConformanceLevel'];

/** A property's value, written as an element or as an attribute of an rdf:Description. */
function value(xmp: Document, ns: string, local: string): string | undefined {
  const el = xmp.getElementsByTagNameNS(ns, local)[0];
  if (el) return (el.textContent ?? '').trim();
  const descriptions = xmp.getElementsByTagNameNS(
    'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
    'Description',
  );
  for (let i = 0; i < descriptions.length; i++) {
    const d = descriptions[i] as Element;
    if (d.hasAttributeNS(ns, local)) return d.getAttributeNS(ns, local)?.trim();
  }
  return undefined;
}

export function readXmp(doc: PDFDocument): { xmp: Document | null; filtered: boolean } {
  const m = doc.catalog.lookup(PDFName.of('Metadata'));
  const stream = m instanceof PDFRawStream ? m : undefined;
  if (!stream) return { xmp: null, filtered: false };
  try {
    return { xmp: parseXml(stream.getContents()), filtered: stream.dict.has(PDFName.of('Filter')) };
  } catch {
    return { xmp: null, filtered: false };
  }
}

export function xmpChecks(doc: PDFDocument, level: string): CheckResult[] {
  const { xmp, filtered } = readXmp(doc);
  const out: CheckResult[] = [];
  const add = (id: string, ok: boolean, detail: string) => out.push({ id, ok, detail });
  add('xmp-present', xmp !== null && !filtered, 'catalog /Metadata: an unfiltered, well-formed XMP packet');
  if (!xmp) return out;
  const part = value(xmp, NS.pdfaid, 'part');
  const conformance = value(xmp, NS.pdfaid, 'conformance');
  add(
    'xmp-pdfa-id',
    part === '3' && ['A', 'B', 'U'].includes(conformance ?? ''),
    `pdfaid:part=${part} conformance=${conformance}`,
  );

  const schemas = xmp.getElementsByTagNameNS(NS.schema, 'namespaceURI');
  let declared = false;
  for (let i = 0; i < schemas.length; i++) {
    const li = schemas[i]!.parentNode as Element | null;
    if ((schemas[i]!.textContent ?? '').trim() !== FACTURX_XMP_NS || !li) continue;
    const prefix = li.getElementsByTagNameNS(NS.schema, 'prefix')[0]?.textContent?.trim();
    const names = Array.from({ length: li.getElementsByTagNameNS(NS.property, 'name').length }, (_, j) =>
      (li.getElementsByTagNameNS(NS.property, 'name')[j]!.textContent ?? '').trim(),
    );
    if (prefix === 'fx' && FX_PROPERTIES.every((p) => names.includes(p))) declared = true;
  }
  add(
    'xmp-fx-extension',
    declared,
    'pdfaExtension:schemas declares the fx: namespace, prefix and its four properties',
  );

  const fx = (p: string) => value(xmp, FACTURX_XMP_NS, p);
  add(
    'xmp-fx-values',
    fx('DocumentType') === 'INVOICE' &&
      fx('DocumentFileName') === 'factur-x.xml' &&
      fx('Version') === '1.0' &&
      fx('ConformanceLevel') === level,
    `fx:DocumentType=${fx('DocumentType')} DocumentFileName=${fx('DocumentFileName')} Version=${fx('Version')} ConformanceLevel=${fx('ConformanceLevel')}`,
  );
  add('info-matches-xmp', infoMatches(doc, xmp), 'document information entries equal their XMP counterparts');
  return out;
}

const infoText = (info: PDFDict | undefined, key: string): string | undefined => {
  const v = info?.lookup(PDFName.of(key));
  return v instanceof PDFString || v instanceof PDFHexString ? v.decodeText() : undefined;
};
const infoDate = (info: PDFDict | undefined, key: string): number | undefined => {
  const v = info?.lookup(PDFName.of(key));
  try {
    return v instanceof PDFString || v instanceof PDFHexString ? v.decodeDate().getTime() : undefined;
  } catch {
    return undefined;
  }
};

function infoMatches(doc: PDFDocument, xmp: Document): boolean {
  const ref = doc.context.trailerInfo.Info;
  const info = ref ? doc.context.lookupMaybe(ref, PDFDict) : undefined;
  if (!info) return true;
  const pairs: Array<[string | undefined, string | undefined]> = [
    [infoText(info, 'Title'), value(xmp, NS.dc, 'title')],
    [infoText(info, 'Author'), value(xmp, NS.dc, 'creator')],
    [infoText(info, 'Subject'), value(xmp, NS.dc, 'description')],
    [infoText(info, 'Keywords'), value(xmp, NS.pdf, 'Keywords')],
    [infoText(info, 'Creator'), value(xmp, NS.xmp, 'CreatorTool')],
    [infoText(info, 'Producer'), value(xmp, NS.pdf, 'Producer')],
  ];
  const dates: Array<[number | undefined, string | undefined]> = [
    [infoDate(info, 'CreationDate'), value(xmp, NS.xmp, 'CreateDate')],
    [infoDate(info, 'ModDate'), value(xmp, NS.xmp, 'ModifyDate')],
  ];
  return (
    pairs.every(([i, x]) => i === undefined || i === x) &&
    dates.every(([i, x]) => i === undefined || (x !== undefined && Date.parse(x) === i))
  );
}
