/**
 * Structural checks of the objects: header, trailer /ID, no encryption, the sRGB output intent,
 * the `factur-x.xml` associated file (name tree, file specification, `/AF`), embedded fonts,
 * printable annotations, no LZW, no JavaScript, no CMYK under an RGB intent.
 */
import {
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFString,
  decodePDFRawStream,
  type PDFDocument,
} from 'pdf-lib';
import { fontDicts, fontProgramMissing, baseFontName } from '../pdfa/standard-fonts.js';
import { hasJavaScript, hasLzw, usesCmyk } from '../pdfa/scan.js';
import type { CheckResult } from './types.js';

const N = (s: string) => PDFName.of(s);
/** The raw stream under `key`, if it is one. */
export const rawStream = (dict: PDFDict | undefined, key: string) => {
  const v = dict?.lookup(N(key));
  return v instanceof PDFRawStream ? v : undefined;
};
const text = (v: unknown) =>
  v instanceof PDFString || v instanceof PDFHexString ? v.decodeText() : undefined;

export function headerCheck(bytes: Uint8Array): CheckResult {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 32));
  const m = /^%PDF-1\.[0-7]\r?\n%(.{4})/s.exec(head);
  const binary = !!m && [...m[1]!].every((c) => c.charCodeAt(0) > 127);
  return {
    id: 'header',
    ok: binary,
    detail: '%PDF-1.n header followed by a comment of four bytes above 127',
  };
}

/** Every (name, file specification ref or dict) of the EmbeddedFiles name tree, Kids included. */
export function embeddedFiles(doc: PDFDocument): Array<{ name: string; ref: unknown; spec: PDFDict }> {
  const root = doc.catalog.lookupMaybe(N('Names'), PDFDict)?.lookupMaybe(N('EmbeddedFiles'), PDFDict);
  const out: Array<{ name: string; ref: unknown; spec: PDFDict }> = [];
  const walk = (node: PDFDict | undefined, depth: number) => {
    if (!node || depth > 16) return;
    const names = node.lookupMaybe(N('Names'), PDFArray)?.asArray() ?? [];
    for (let i = 0; i + 1 < names.length; i += 2) {
      const spec = doc.context.lookup(names[i + 1]);
      if (spec instanceof PDFDict)
        out.push({ name: text(doc.context.lookup(names[i])) ?? '', ref: names[i + 1], spec });
    }
    for (const kid of node.lookupMaybe(N('Kids'), PDFArray)?.asArray() ?? [])
      walk(doc.context.lookupMaybe(kid, PDFDict), depth + 1);
  };
  walk(root, 0);
  return out;
}

export function pdfChecks(doc: PDFDocument, expectedXml?: string): CheckResult[] {
  const out: CheckResult[] = [];
  const add = (id: string, ok: boolean, detail: string) => out.push({ id, ok, detail });

  const id = doc.context.trailerInfo.ID;
  const ids = id instanceof PDFArray ? id.asArray() : [];
  add(
    'trailer-id',
    ids.length === 2 && ids.every((x) => x instanceof PDFHexString || x instanceof PDFString),
    'trailer /ID: an array of two strings',
  );
  add('not-encrypted', !doc.context.trailerInfo.Encrypt, 'no /Encrypt in the trailer');

  const intents = doc.catalog.lookupMaybe(N('OutputIntents'), PDFArray)?.asArray() ?? [];
  const pdfa = intents
    .map((r) => doc.context.lookupMaybe(r, PDFDict))
    .filter((d): d is PDFDict => !!d && d.get(N('S')) === N('GTS_PDFA1'));
  const profile = rawStream(pdfa[0], 'DestOutputProfile');
  let iccOk = false;
  if (profile && pdfa.length === 1) {
    const icc = decodePDFRawStream(profile).decode();
    const sig = new TextDecoder('latin1').decode(icc.subarray(36, 40));
    const space = new TextDecoder('latin1').decode(icc.subarray(16, 20));
    const n = profile.dict.lookupMaybe(N('N'), PDFNumber)?.asNumber();
    iccOk = sig === 'acsp' && space === 'RGB ' && n === 3;
  }
  add(
    'output-intent',
    iccOk,
    'one /OutputIntents entry /S /GTS_PDFA1 with an embedded RGB ICC profile (N 3)',
  );

  const files = embeddedFiles(doc);
  const fx = files.find((f) => f.name === 'factur-x.xml');
  const spec = fx?.spec;
  const ef = rawStream(spec?.lookupMaybe(N('EF'), PDFDict), 'F');
  const rel = spec?.get(N('AFRelationship'));
  add(
    'xml-attachment',
    !!spec &&
      text(spec.lookup(N('F'))) === 'factur-x.xml' &&
      text(spec.lookup(N('UF'))) === 'factur-x.xml' &&
      [N('Data'), N('Alternative'), N('Source')].includes(rel as PDFName) &&
      !!ef &&
      ef.dict.get(N('Type')) === N('EmbeddedFile') &&
      ef.dict.get(N('Subtype')) === N('text/xml') &&
      !!ef.dict.lookupMaybe(N('Params'), PDFDict)?.has(N('ModDate')),
    'factur-x.xml in /EmbeddedFiles: /F and /UF, /AFRelationship Data|Alternative|Source, /EmbeddedFile /Subtype text/xml with /Params /ModDate',
  );
  const af = doc.catalog.lookupMaybe(N('AF'), PDFArray)?.asArray() ?? [];
  const inAf = (f: { ref: unknown; spec: PDFDict }) =>
    af.some((r) => r === f.ref || (r instanceof PDFRef && doc.context.lookup(r) === f.spec));
  add(
    'associated-files',
    !!fx && files.every((f) => inAf(f) && f.spec.has(N('AFRelationship'))),
    'every embedded file (factur-x.xml first) is in the catalog /AF and has an /AFRelationship',
  );
  if (expectedXml !== undefined) {
    const got = ef ? new TextDecoder().decode(decodePDFRawStream(ef).decode()) : undefined;
    add('xml-content', got === expectedXml, 'the attached XML is byte for byte the validated one');
  }

  const missing = fontDicts(doc).filter(fontProgramMissing).map(baseFontName);
  add(
    'fonts-embedded',
    missing.length === 0,
    `every font has its program${missing.length ? `; missing: ${missing.join(', ')}` : ''}`,
  );

  const hidden: string[] = [];
  doc.getPages().forEach((page, i) => {
    for (const ref of page.node.lookupMaybe(N('Annots'), PDFArray)?.asArray() ?? []) {
      const a = doc.context.lookupMaybe(ref, PDFDict);
      if (!a || a.get(N('Subtype')) === N('Popup')) continue;
      const f = a.lookupMaybe(N('F'), PDFNumber)?.asNumber() ?? 0;
      if ((f & 4) === 0 || (f & (1 | 2 | 32)) !== 0) hidden.push(`page ${i + 1}`);
    }
  });
  add(
    'annotations-printable',
    hidden.length === 0,
    'every annotation but Popup has the Print flag and none of Invisible, Hidden, NoView',
  );
  add('no-lzw', !hasLzw(doc), 'no LZWDecode stream');
  add('no-javascript', !hasJavaScript(doc), 'no JavaScript action');
  add('no-cmyk', !usesCmyk(doc), 'no DeviceCMYK colour under the sRGB output intent');
  return out;
}
