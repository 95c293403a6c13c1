/**
 * A copy of a Factur-X PDF without its invoice XML, for the PDF deposit of a file that cannot go
 * as a flux (invalid XML, refused profile, values the user changed): per facturx-and-chorus.md
 * §1.6-5, Chorus Pro may treat any PDF carrying Factur-X XML as a flux and reject it when the XML
 * fails. The pages are not touched; removed are the XML attachment (its file specification, its
 * stream, its entry in `/Names/EmbeddedFiles` and in the catalog's `/AF`) and the XMP `fx:`
 * properties with their PDF/A extension schema. Other attachments stay.
 */
import {
  DOMParser,
  XMLSerializer,
  type Document as XmlDocument,
  type Element,
  type Node as XmlNode,
} from '@xmldom/xmldom';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFString,
  decodePDFRawStream,
  type PDFObject,
} from 'pdf-lib';
import { FACTURX_FILE_NAMES } from '../recognition/facturx/types.js';

const XMP_NAMESPACES = new Set([
  'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#',
  'urn:zugferd:pdfa:CrossIndustryDocument:invoice:2p0#',
  'urn:ferd:pdfa:CrossIndustryDocument:invoice:1p0#',
  'urn:factur-x:pdfa:CrossIndustryDocument:1p0#',
]);
const INVOICE_NAMES = new Set(FACTURX_FILE_NAMES.map((n) => n.toLowerCase()));

export interface StripResult {
  bytes: Uint8Array;
  /** Names of the attachments removed (empty: the PDF is returned unchanged). */
  removed: string[];
}

/** Cheap hint, no parsing: can these bytes hold an embedded file at all? */
export function mayHaveEmbeddedFiles(pdf: Uint8Array): boolean {
  // Embedded file streams are streams, never inside object streams: their dictionary is plain.
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  return text.includes('/EmbeddedFile') || text.includes('/AF') || text.includes('/Filespec');
}

export async function stripInvoiceXml(pdf: Uint8Array): Promise<StripResult> {
  if (!mayHaveEmbeddedFiles(pdf)) return { bytes: pdf, removed: [] };
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const { context, catalog } = doc;
  const removed: string[] = [];
  const removedRefs = new Set<string>();

  const fileSpecName = (spec: PDFObject | undefined): string | undefined => {
    const dict = spec instanceof PDFRef ? context.lookup(spec) : spec;
    if (!(dict instanceof PDFDict)) return undefined;
    const name = dict.lookup(PDFName.of('UF')) ?? dict.lookup(PDFName.of('F'));
    return name instanceof PDFString || name instanceof PDFHexString ? name.decodeText() : undefined;
  };
  const isInvoiceXml = (name: string | undefined) =>
    name !== undefined && (INVOICE_NAMES.has(name.toLowerCase()) || name.toLowerCase().endsWith('.xml'));

  const deleteSpec = (ref: PDFObject | undefined) => {
    if (!(ref instanceof PDFRef)) return;
    const dict = context.lookup(ref);
    if (dict instanceof PDFDict) {
      const ef = dict.lookup(PDFName.of('EF'));
      if (ef instanceof PDFDict) {
        for (const key of ['F', 'UF']) {
          const stream = ef.get(PDFName.of(key));
          if (stream instanceof PDFRef) context.delete(stream);
        }
      }
    }
    context.delete(ref);
    removedRefs.add(ref.toString());
  };

  // The name tree: leaves hold [name spec name spec …]; intermediate nodes /Kids.
  const pruneTree = (node: PDFDict) => {
    const names = node.lookup(PDFName.of('Names'));
    if (names instanceof PDFArray) {
      const kept: PDFObject[] = [];
      for (let i = 0; i + 1 < names.size(); i += 2) {
        const key = names.get(i);
        const spec = names.get(i + 1);
        const name =
          fileSpecName(spec) ??
          (key instanceof PDFString || key instanceof PDFHexString ? key.decodeText() : undefined);
        if (isInvoiceXml(name)) {
          removed.push(name as string);
          deleteSpec(spec);
        } else kept.push(key, spec);
      }
      node.set(PDFName.of('Names'), context.obj(kept));
    }
    const kids = node.lookup(PDFName.of('Kids'));
    if (kids instanceof PDFArray) {
      for (let i = 0; i < kids.size(); i++) {
        const kid = kids.lookup(i);
        if (kid instanceof PDFDict) pruneTree(kid);
      }
    }
  };
  const namesDict = catalog.lookup(PDFName.of('Names'));
  if (namesDict instanceof PDFDict) {
    const tree = namesDict.lookup(PDFName.of('EmbeddedFiles'));
    if (tree instanceof PDFDict) pruneTree(tree);
  }

  const af = catalog.lookup(PDFName.of('AF'));
  if (af instanceof PDFArray) {
    const kept: PDFObject[] = [];
    for (let i = 0; i < af.size(); i++) {
      const spec = af.get(i);
      const name = fileSpecName(spec);
      if (spec instanceof PDFRef && removedRefs.has(spec.toString())) continue;
      if (isInvoiceXml(name)) {
        if (name && !removed.includes(name)) removed.push(name);
        deleteSpec(spec);
        continue;
      }
      kept.push(spec);
    }
    if (kept.length > 0) catalog.set(PDFName.of('AF'), context.obj(kept));
    else catalog.delete(PDFName.of('AF'));
  }
  if (removed.length === 0) return { bytes: pdf, removed };

  stripXmp(doc);
  const bytes = await doc.save({ useObjectStreams: false });
  return { bytes, removed };
}

/** Removes the Factur-X/ZUGFeRD properties and their extension schema from the XMP packet. */
function stripXmp(doc: PDFDocument): void {
  const ref = doc.catalog.get(PDFName.of('Metadata'));
  const stream = ref instanceof PDFRef ? doc.context.lookup(ref) : undefined;
  if (!(stream instanceof PDFRawStream)) return;
  let text: string;
  try {
    text = new TextDecoder().decode(decodePDFRawStream(stream).decode());
  } catch {
    return;
  }
  let xmp: XmlDocument;
  try {
    xmp = new DOMParser({ onError: () => undefined }).parseFromString(
      text.replace(/^\uFEFF/, '').trim(),
      'application/xml',
    );
  } catch {
    return;
  }
  const root = xmp.documentElement;
  if (!root) return;
  const drop: XmlNode[] = [];
  const visit = (el: Element) => {
    for (let i = el.attributes.length - 1; i >= 0; i--) {
      const a = el.attributes.item(i);
      if (a && (XMP_NAMESPACES.has(a.namespaceURI ?? '') || XMP_NAMESPACES.has(a.value)))
        el.removeAttributeNode(a);
    }
    if (XMP_NAMESPACES.has(el.namespaceURI ?? '')) {
      drop.push(el);
      return;
    }
    // A pdfaExtension schema entry declaring the fx: namespace.
    if (el.localName === 'li') {
      const declares = Array.from({ length: el.childNodes.length }, (_, i) => el.childNodes.item(i)).some(
        (c) =>
          c?.nodeType === 1 &&
          (c as Element).localName === 'namespaceURI' &&
          XMP_NAMESPACES.has((c.textContent ?? '').trim()),
      );
      if (declares) {
        drop.push(el);
        return;
      }
    }
    for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) visit(n as Element);
  };
  visit(root);
  if (drop.length === 0) return;
  for (const n of drop) n.parentNode?.removeChild(n);
  const packet = new XMLSerializer().serializeToString(xmp);
  const fresh = doc.context.stream(new TextEncoder().encode(packet), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(fresh));
  doc.context.delete(ref as PDFRef);
}
