/**
 * The Factur-X (and ZUGFeRD) properties of a PDF's XMP packet: `fx:DocumentFileName`,
 * `fx:DocumentType`, `fx:Version`, `fx:ConformanceLevel`, written as attributes of an
 * `rdf:Description` or as child elements. Read by namespace, whatever the prefix.
 */
import type { Element } from '@xmldom/xmldom';
import type { FacturxXmp } from './types.js';
import { parseXml } from './xml-dom.js';

export const FACTURX_XMP_NS = 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#';
const NAMESPACES = new Set([
  FACTURX_XMP_NS,
  'urn:zugferd:pdfa:CrossIndustryDocument:invoice:2p0#',
  'urn:ferd:pdfa:CrossIndustryDocument:invoice:1p0#',
  'urn:factur-x:pdfa:CrossIndustryDocument:1p0#',
]);
const PROPERTIES = {
  DocumentFileName: 'documentFileName',
  DocumentType: 'documentType',
  Version: 'version',
  ConformanceLevel: 'conformanceLevel',
} as const;

/** The fx: properties of an XMP packet; null when it declares none (or is not XML). */
export function readFacturxXmp(xmp: string | null | undefined): FacturxXmp | null {
  if (!xmp || !xmp.includes('CrossIndustryDocument')) return null;
  let root: Element;
  try {
    root = parseXml(xmp).documentElement as Element;
  } catch {
    return null;
  }
  const out: FacturxXmp = {};
  const visit = (el: Element) => {
    for (let i = 0; i < el.attributes.length; i++) {
      const a = el.attributes.item(i);
      if (a && NAMESPACES.has(a.namespaceURI ?? '')) set(a.localName ?? '', a.value);
    }
    if (NAMESPACES.has(el.namespaceURI ?? '')) set(el.localName ?? '', el.textContent ?? '');
    for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) visit(n as Element);
  };
  const set = (local: string, value: string) => {
    const key = PROPERTIES[local as keyof typeof PROPERTIES];
    const v = value.trim();
    if (key && v && out[key] === undefined) out[key] = v;
  };
  visit(root);
  return Object.keys(out).length > 0 ? out : null;
}
