/**
 * The XML parser of the Factur-X reading (@xmldom/xmldom, namespace-aware) and the few
 * navigation helpers the CII reader needs: children by namespace and local name, never by prefix
 * (a document may bind any prefix to the CII namespaces).
 */
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';

export const NS = {
  rsm: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
  qdt: 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
  /** ZUGFeRD 1.0 (`CrossIndustryDocument`), recognized but not read. */
  zugferd1: 'urn:ferd:CrossIndustryDocument:invoice:1p0',
} as const;
type Prefix = keyof typeof NS;

/** Invoice XMLs are a few kilobytes; this bounds the memory a hostile attachment may take. */
export const MAX_XML_BYTES = 8 * 1024 * 1024;

export class XmlReadError extends Error {}

/** Parses XML bytes or text; throws `XmlReadError` on anything not well-formed or with a DTD. */
export function parseXml(input: string | Uint8Array): Document {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > MAX_XML_BYTES) throw new XmlReadError(`XML larger than ${MAX_XML_BYTES} bytes`);
  // TextDecoder drops a UTF-8 byte order mark; CII is UTF-8 by the standard.
  const text = typeof input === 'string' ? input.replace(/^\uFEFF/, '') : new TextDecoder().decode(input);
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new XmlReadError(message);
      },
    }).parseFromString(text, 'application/xml');
  } catch (error) {
    throw new XmlReadError(error instanceof Error ? error.message : String(error));
  }
  // An invoice never needs a DTD; refusing it rules out entity tricks.
  if (doc.doctype) throw new XmlReadError('document type declarations are not accepted');
  if (!doc.documentElement) throw new XmlReadError('no root element');
  return doc;
}

function qualified(step: string): [string, string] {
  const [prefix, local] = step.split(':') as [Prefix, string];
  const ns = NS[prefix];
  if (!ns || !local) throw new Error(`bad step ${step}`);
  return [ns, local];
}

/** The element children of `el` named `prefix:local`. */
export function children(el: Element | null | undefined, step: string): Element[] {
  if (!el) return [];
  const [ns, local] = qualified(step);
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1) {
      const e = n as Element;
      if (e.localName === local && e.namespaceURI === ns) out.push(e);
    }
  }
  return out;
}

/** The first element at `path` (`ram:A/ram:B`) under `el`, or null. */
export function first(el: Element | null | undefined, path: string): Element | null {
  let current: Element | null = el ?? null;
  for (const step of path.split('/')) {
    current = children(current, step)[0] ?? null;
    if (!current) return null;
  }
  return current;
}

/** Every element at `path` under `el` (each step may match several). */
export function all(el: Element | null | undefined, path: string): Element[] {
  let current: Element[] = el ? [el] : [];
  for (const step of path.split('/')) current = current.flatMap((e) => children(e, step));
  return current;
}

/** Trimmed text of the element at `path` (or of `el` itself with no path); undefined when empty. */
export function text(el: Element | null | undefined, path?: string): string | undefined {
  const target = path ? first(el, path) : (el ?? null);
  const value = target?.textContent?.trim();
  return value ? value : undefined;
}

export function attr(el: Element | null | undefined, name: string): string | undefined {
  const value = el?.getAttribute(name)?.trim();
  return value ? value : undefined;
}
