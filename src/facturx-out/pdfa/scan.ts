/**
 * What in a PDF stands between it and PDF/A-3 that Facteur cannot fix without rewriting the
 * pages: fonts without a program that are not standard ones (or in an encoding we do not
 * handle), DeviceCMYK colours (our output intent is sRGB), LZW-compressed streams, JavaScript.
 */
import { decodePDFRawStream, PDFDict, PDFName, PDFRawStream, PDFArray, type PDFDocument } from 'pdf-lib';

export function streamsOf(doc: PDFDocument): PDFRawStream[] {
  const out: PDFRawStream[] = [];
  for (const [, obj] of doc.context.enumerateIndirectObjects())
    if (obj instanceof PDFRawStream) out.push(obj);
  return out;
}

export function dictsOf(doc: PDFDocument): PDFDict[] {
  const out: PDFDict[] = [];
  const seen = new Set<unknown>();
  const visit = (o: unknown) => {
    if (seen.has(o)) return;
    seen.add(o);
    if (o instanceof PDFDict) {
      out.push(o);
      for (const [, v] of o.entries()) visit(v);
    } else if (o instanceof PDFArray) for (const v of o.asArray()) visit(v);
    else if (o instanceof PDFRawStream) visit(o.dict);
  };
  for (const [, obj] of doc.context.enumerateIndirectObjects()) visit(obj);
  return out;
}

const filtersOf = (s: PDFRawStream): string[] => {
  const f = s.dict.get(PDFName.of('Filter'));
  if (f instanceof PDFName) return [f.decodeText()];
  if (f instanceof PDFArray) return f.asArray().map((n) => (n instanceof PDFName ? n.decodeText() : ''));
  return [];
};

export const hasLzw = (doc: PDFDocument) => streamsOf(doc).some((s) => filtersOf(s).includes('LZWDecode'));

const CMYK_OPERATOR = /(?:^|[\s\]])(?:[-+]?[\d.]+\s+){4}[kK](?=[\s/[]|$)/;

/** DeviceCMYK named as a colour space anywhere, or set by the `k` / `K` operators of a content stream. */
export function usesCmyk(doc: PDFDocument): boolean {
  const cmyk = PDFName.of('DeviceCMYK');
  for (const d of dictsOf(doc)) {
    for (const [k, v] of d.entries()) {
      if ((k === PDFName.of('ColorSpace') || k === PDFName.of('CS')) && v === cmyk) return true;
      if (v instanceof PDFArray && v.asArray().includes(cmyk) && k !== PDFName.of('Decode')) return true;
    }
  }
  const contents = new Set<PDFRawStream>();
  for (const page of doc.getPages()) {
    const c = page.node.get(PDFName.of('Contents'));
    const refs = c instanceof PDFArray ? c.asArray() : c ? [c] : [];
    for (const r of refs) {
      const stream = doc.context.lookup(r);
      if (stream instanceof PDFRawStream) contents.add(stream);
    }
  }
  for (const s of streamsOf(doc))
    if (s.dict.get(PDFName.of('Subtype')) === PDFName.of('Form')) contents.add(s);
  for (const s of contents) {
    let text: string;
    try {
      text = new TextDecoder('latin1').decode(decodePDFRawStream(s).decode());
    } catch {
      continue;
    }
    if (CMYK_OPERATOR.test(text)) return true;
  }
  return false;
}

export function hasJavaScript(doc: PDFDocument): boolean {
  return dictsOf(doc).some(
    (d) => d.has(PDFName.of('JS')) || d.get(PDFName.of('S')) === PDFName.of('JavaScript'),
  );
}
