/**
 * The user's PDF → a Factur-X PDF/A-3B carrying `xml`. The pages are kept as they are (pdf-lib
 * rewrites objects, never content streams), so they look the same; what PDF/A-3 wants is added:
 * programs for the standard fonts, an sRGB output intent, annotations printable, the XML as an
 * associated file (`/AFRelationship /Data`, catalog `/AF`), XMP (PDF/A-3B + Factur-X extension
 * schema) agreeing with the document information, a trailer `/ID`. What cannot be fixed without
 * rewriting the pages goes to Ghostscript when there is one, else is refused (`PdfaBlockedError`).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  AFRelationship,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRef,
  PDFString,
} from 'pdf-lib';
import { embedStandardFonts, fontDicts, fontProgramMissing, baseFontName } from './standard-fonts.js';
import { hasJavaScript, hasLzw, usesCmyk } from './scan.js';
import { xmpPacket } from './xmp.js';
import type { Ghostscript } from './ghostscript.js';
import { FACTURX_FILE_NAMES } from '../../recognition/facturx/types.js';
import { NotAPdfError, PdfaBlockedError } from '../errors.js';

export const ICC_PATH = fileURLToPath(new URL('../../../vendor/icc/sRGB.icc', import.meta.url));
export const FACTURX_FILE_NAME = 'factur-x.xml';
export const PRODUCER = 'Facteur (Factur-X EN 16931, pdf-lib)';

export interface PdfaInput {
  pdf: Uint8Array;
  xml: string;
  /** `fx:ConformanceLevel`. */
  level: string;
  /** dc:title when the PDF has no title. */
  title: string;
  /** Instant written in the attachment, Info and XMP (default now). */
  date?: Date;
  /** The repair tool for what pdf-lib cannot fix; null: none on this machine. */
  ghostscript: Ghostscript | null;
}

export interface PdfaResult {
  pdf: Uint8Array;
  converter: 'pdf-lib' | 'ghostscript';
  embeddedFonts: string[];
}

async function load(pdf: Uint8Array): Promise<PDFDocument> {
  try {
    return await PDFDocument.load(pdf, { updateMetadata: false });
  } catch (error) {
    throw new NotAPdfError({ cause: error });
  }
}

/** Blockers left once the standard fonts are given programs. */
export function pdfaBlockers(doc: PDFDocument): string[] {
  const out: string[] = [];
  if (doc.context.trailerInfo.Encrypt) out.push('PDF chiffré');
  if (hasLzw(doc)) out.push('compression LZW');
  if (usesCmyk(doc)) out.push('couleurs CMJN');
  if (hasJavaScript(doc)) out.push('JavaScript');
  return out;
}

export async function makePdfa(input: PdfaInput): Promise<PdfaResult> {
  const date = input.date ?? new Date();
  let doc = await load(input.pdf);
  let converter: PdfaResult['converter'] = 'pdf-lib';
  const fix = embedStandardFonts(doc);
  const blockers = [...fix.blockers, ...pdfaBlockers(doc)];
  if (blockers.length > 0) {
    if (!input.ghostscript || doc.context.trailerInfo.Encrypt) throw new PdfaBlockedError(blockers);
    doc = await load(await input.ghostscript.convert(input.pdf));
    converter = 'ghostscript';
    const after = embedStandardFonts(doc);
    const left = [...after.blockers, ...pdfaBlockers(doc)];
    if (left.length > 0) throw new PdfaBlockedError(left);
    fix.embedded = after.embedded;
  }
  const missing = fontDicts(doc).filter(fontProgramMissing).map(baseFontName);
  if (missing.length > 0) throw new PdfaBlockedError(missing.map((n) => `police non incorporée ${n}`));

  setOutputIntent(doc);
  printableAnnotations(doc);
  associateExistingFiles(doc);
  const xmlBytes = new TextEncoder().encode(input.xml);
  await doc.attach(xmlBytes, FACTURX_FILE_NAME, {
    mimeType: 'text/xml',
    description: 'Factur-X invoice (EN 16931)',
    creationDate: date,
    modificationDate: date,
    afRelationship: AFRelationship.Data,
  });
  writeMetadata(doc, input, date);
  const id = PDFHexString.of(
    createHash('md5').update(input.pdf).update(xmlBytes).update(date.toISOString()).digest('hex'),
  );
  doc.context.trailerInfo.ID = doc.context.obj([id, id]);
  const pdf = await doc.save({ useObjectStreams: false, updateFieldAppearances: false });
  return { pdf, converter, embeddedFonts: fix.embedded };
}

function setOutputIntent(doc: PDFDocument): void {
  const icc = new Uint8Array(readFileSync(ICC_PATH));
  const profile = doc.context.register(doc.context.flateStream(icc, { N: 3 }));
  const intent = doc.context.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    RegistryName: PDFString.of('http://www.color.org'),
    DestOutputProfile: profile,
  });
  doc.catalog.set(PDFName.of('OutputIntents'), doc.context.obj([doc.context.register(intent)]));
}

/** PDF/A: every annotation but Popup printable, none hidden or invisible. */
function printableAnnotations(doc: PDFDocument): void {
  for (const page of doc.getPages()) {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    for (const ref of annots?.asArray() ?? []) {
      const annot = doc.context.lookup(ref);
      if (!(annot instanceof PDFDict) || annot.get(PDFName.of('Subtype')) === PDFName.of('Popup')) continue;
      const f = annot.lookupMaybe(PDFName.of('F'), PDFNumber)?.asNumber() ?? 0;
      annot.set(PDFName.of('F'), PDFNumber.of((f | 4) & ~(1 | 2 | 32)));
    }
  }
}

/**
 * Attachments already in the PDF become associated files too (PDF/A-3 wants each in /AF); an
 * invoice XML already there (a Factur-X made again) is dropped, so the new one is the only one.
 */
function associateExistingFiles(doc: PDFDocument): void {
  const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
  const tree = names?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict);
  const array = tree?.lookupMaybe(PDFName.of('Names'), PDFArray);
  const old = new Set(FACTURX_FILE_NAMES.map((n) => n.toLowerCase()));
  const list: ReturnType<PDFArray['asArray']> = [];
  const dropped = new Set<unknown>();
  const all = array?.asArray() ?? [];
  for (let i = 0; i + 1 < all.length; i += 2) {
    const key = doc.context.lookup(all[i]);
    const name = key instanceof PDFString || key instanceof PDFHexString ? key.decodeText() : '';
    if (old.has(name.toLowerCase())) dropped.add(all[i + 1]);
    else list.push(all[i]!, all[i + 1]!);
  }
  if (array && dropped.size > 0) tree!.set(PDFName.of('Names'), doc.context.obj(list));
  const kept = (doc.catalog.lookupMaybe(PDFName.of('AF'), PDFArray)?.asArray() ?? []).filter(
    (r) => !dropped.has(r),
  );
  const af = doc.context.obj(kept);
  for (let i = 1; i < list.length; i += 2) {
    const ref = list[i];
    const spec = ref instanceof PDFRef ? doc.context.lookup(ref) : ref;
    if (!(spec instanceof PDFDict)) continue;
    if (!spec.has(PDFName.of('AFRelationship')))
      spec.set(PDFName.of('AFRelationship'), PDFName.of('Unspecified'));
    if (ref instanceof PDFRef && !af.asArray().some((r) => r === ref)) af.push(ref);
  }
  if (af.size() > 0) doc.catalog.set(PDFName.of('AF'), af);
  else doc.catalog.delete(PDFName.of('AF'));
}

/** Info rebuilt with only the keys the XMP mirrors, and the XMP written from the same values. */
function writeMetadata(doc: PDFDocument, input: PdfaInput, date: Date): void {
  const clean = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);
  const info = {
    title: clean(doc.getTitle()) ?? input.title,
    author: clean(doc.getAuthor()),
    subject: clean(doc.getSubject()),
    keywords: clean(doc.getKeywords()),
    creator: clean(doc.getCreator()),
    producer: PRODUCER,
    created: validDate(doc.getCreationDate()) ?? date,
    modified: date,
  };
  doc.context.trailerInfo.Info = doc.context.register(doc.context.obj({}));
  doc.setTitle(info.title);
  if (info.author) doc.setAuthor(info.author);
  if (info.subject) doc.setSubject(info.subject);
  if (info.keywords) doc.setKeywords([info.keywords]);
  if (info.creator) doc.setCreator(info.creator);
  doc.setProducer(info.producer);
  doc.setCreationDate(info.created);
  doc.setModificationDate(info.modified);
  const packet = xmpPacket(info, { fileName: FACTURX_FILE_NAME, level: input.level });
  const stream = doc.context.stream(new TextEncoder().encode(packet), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(stream));
}

/** A date PDF dates can carry (whole seconds, after 1970). */
function validDate(d: Date | undefined): Date | undefined {
  if (!d || Number.isNaN(d.getTime()) || d.getTime() < 0) return undefined;
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}
