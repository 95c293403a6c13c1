/**
 * PDF/A forbids fonts without an embedded program, and the 14 standard fonts (Helvetica,
 * Times…) are usually left out. We give each one the very program pdfjs draws it with (the
 * fonts shipped in pdfjs-dist/standard_fonts: Liberation Sans for Helvetica, the Foxit CFF
 * fonts for Times, Courier, Symbol and ZapfDingbats), so the page looks the same after:
 *
 * - Helvetica family → Liberation Sans as `/TrueType` + `FontFile2`, `Widths` read from the
 *   program (hmtx through the Unicode cmap), WinAnsi encoding only (PDF/A 6.2.11.6);
 * - the others → the Foxit CFF as `FontFile3 /Subtype /Type1C`, `Widths` from the standard AFM
 *   metrics (the Foxit fonts are PDFium's metric-compatible substitutes; their widths are not
 *   read back from the program — stated in docs/facturx-out.md).
 *
 * A standard font in another encoding (Differences, StandardEncoding, MacRoman) is reported as a
 * blocker, never guessed.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Encodings, Font, type FontNames } from '@pdf-lib/standard-fonts';
import { PDFDict, PDFName, PDFNumber, type PDFDocument } from 'pdf-lib';
import { readTrueType } from './truetype.js';

const FONT_DIR = join(
  dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')),
  'standard_fonts',
);

interface Substitute {
  file: string;
  standard: FontNames;
  kind: 'truetype' | 'cff';
  flags: number;
}

const SANS = (file: string, standard: string, italic: boolean): Substitute => ({
  file,
  standard: standard as FontNames,
  kind: 'truetype',
  flags: 32 | (italic ? 64 : 0),
});
const CFF = (file: string, standard: string, flags: number): Substitute => ({
  file,
  standard: standard as FontNames,
  kind: 'cff',
  flags,
});

/** Standard names (and the usual aliases of Windows producers) → the program pdfjs uses. */
const SUBSTITUTES: Record<string, Substitute> = {
  Helvetica: SANS('LiberationSans-Regular.ttf', 'Helvetica', false),
  'Helvetica-Bold': SANS('LiberationSans-Bold.ttf', 'Helvetica-Bold', false),
  'Helvetica-Oblique': SANS('LiberationSans-Italic.ttf', 'Helvetica-Oblique', true),
  'Helvetica-BoldOblique': SANS('LiberationSans-BoldItalic.ttf', 'Helvetica-BoldOblique', true),
  'Times-Roman': CFF('FoxitSerif.pfb', 'Times-Roman', 32 | 2),
  'Times-Bold': CFF('FoxitSerifBold.pfb', 'Times-Bold', 32 | 2),
  'Times-Italic': CFF('FoxitSerifItalic.pfb', 'Times-Italic', 32 | 2 | 64),
  'Times-BoldItalic': CFF('FoxitSerifBoldItalic.pfb', 'Times-BoldItalic', 32 | 2 | 64),
  Courier: CFF('FoxitFixed.pfb', 'Courier', 32 | 1),
  'Courier-Bold': CFF('FoxitFixedBold.pfb', 'Courier-Bold', 32 | 1),
  'Courier-Oblique': CFF('FoxitFixedItalic.pfb', 'Courier-Oblique', 32 | 1 | 64),
  'Courier-BoldOblique': CFF('FoxitFixedBoldItalic.pfb', 'Courier-BoldOblique', 32 | 1 | 64),
  Symbol: CFF('FoxitSymbol.pfb', 'Symbol', 4),
  ZapfDingbats: CFF('FoxitDingbats.pfb', 'ZapfDingbats', 4),
};

export interface FontFix {
  /** BaseFont names given a program. */
  embedded: string[];
  /** Fonts without a program that cannot be fixed here (name and why). */
  blockers: string[];
}

/** Every font dictionary of the document (indirect objects; direct ones inside them too). */
export function fontDicts(doc: PDFDocument): PDFDict[] {
  const out: PDFDict[] = [];
  const seen = new Set<PDFDict>();
  const visit = (obj: unknown) => {
    if (!(obj instanceof PDFDict) || seen.has(obj)) return;
    seen.add(obj);
    if (obj.get(PDFName.of('Type')) === PDFName.of('Font')) out.push(obj);
    for (const [, v] of obj.entries()) if (v instanceof PDFDict) visit(v);
  };
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    visit(obj);
    const dict = (obj as { dict?: unknown }).dict;
    if (dict) visit(dict);
  }
  return out;
}

/** Whether a font needs a program: not Type0 / Type3 (their parts carry or need none). */
export function fontProgramMissing(font: PDFDict): boolean {
  const subtype = font.get(PDFName.of('Subtype'));
  if (subtype === PDFName.of('Type0') || subtype === PDFName.of('Type3')) return false;
  const descriptor = font.lookupMaybe(PDFName.of('FontDescriptor'), PDFDict);
  if (!descriptor) return true;
  return !['FontFile', 'FontFile2', 'FontFile3'].some((k) => descriptor.has(PDFName.of(k)));
}

export function baseFontName(font: PDFDict): string {
  const name = font.get(PDFName.of('BaseFont'));
  return name instanceof PDFName ? name.decodeText() : '(sans nom)';
}

/** Standard names as Windows producers write them (`Arial,Bold`, `TimesNewRoman`…) are not ours. */
function substituteOf(font: PDFDict): Substitute | undefined {
  const name = baseFontName(font).replace(/^[A-Z]{6}\+/, '');
  return Object.hasOwn(SUBSTITUTES, name) ? SUBSTITUTES[name] : undefined;
}

export function embedStandardFonts(doc: PDFDocument): FontFix {
  const fix: FontFix = { embedded: [], blockers: [] };
  const programs = new Map<string, ReturnType<typeof doc.context.register>>();
  for (const font of fontDicts(doc)) {
    if (!fontProgramMissing(font)) continue;
    const name = baseFontName(font);
    const sub = substituteOf(font);
    if (!sub) {
      fix.blockers.push(`police non incorporée ${name}`);
      continue;
    }
    const encoding = font.get(PDFName.of('Encoding'));
    const builtIn = sub.flags & 4;
    const winAnsi = encoding === PDFName.of('WinAnsiEncoding');
    if (!(builtIn ? encoding === undefined : winAnsi)) {
      fix.blockers.push(`police ${name} dans un codage non géré`);
      continue;
    }
    const bytes = new Uint8Array(readFileSync(join(FONT_DIR, sub.file)));
    let ref = programs.get(sub.file);
    if (!ref) {
      const stream =
        sub.kind === 'truetype'
          ? doc.context.flateStream(bytes, { Length1: bytes.length })
          : doc.context.flateStream(bytes, { Subtype: 'Type1C' });
      ref = doc.context.register(stream);
      programs.set(sub.file, ref);
    }
    const widths = sub.kind === 'truetype' ? trueTypeWidths(bytes) : afmWidths(sub.standard, !!builtIn);
    const afm = Font.load(sub.standard);
    const tt = sub.kind === 'truetype' ? readTrueType(bytes) : undefined;
    const descriptor = doc.context.obj({
      Type: 'FontDescriptor',
      FontName: PDFName.of(name),
      Flags: sub.flags,
      FontBBox: tt?.bbox ?? afm.FontBBox,
      ItalicAngle: tt?.italicAngle ?? afm.ItalicAngle,
      Ascent: tt?.ascent ?? afm.Ascender ?? afm.FontBBox[3],
      Descent: tt?.descent ?? afm.Descender ?? afm.FontBBox[1],
      CapHeight: tt?.capHeight ?? afm.CapHeight ?? afm.FontBBox[3],
      StemV: 80,
      [sub.kind === 'truetype' ? 'FontFile2' : 'FontFile3']: ref,
    });
    if (sub.kind === 'truetype') font.set(PDFName.of('Subtype'), PDFName.of('TrueType'));
    // Symbol / ZapfDingbats: their encoding written out, so no reader falls back on the CFF's own.
    if (builtIn) font.set(PDFName.of('Encoding'), builtInEncoding(doc, sub.standard));
    font.set(PDFName.of('FirstChar'), PDFNumber.of(widths.first));
    font.set(PDFName.of('LastChar'), PDFNumber.of(widths.first + widths.values.length - 1));
    font.set(PDFName.of('Widths'), doc.context.obj(widths.values));
    font.set(PDFName.of('FontDescriptor'), doc.context.register(descriptor));
    fix.embedded.push(name);
  }
  return fix;
}

/** Widths of WinAnsi codes 32…255 as the TrueType program states them (0 where it has no glyph). */
function trueTypeWidths(bytes: Uint8Array): { first: number; values: number[] } {
  const tt = readTrueType(bytes);
  const byCode = new Map<number, number>();
  for (const cp of Encodings.WinAnsi.supportedCodePoints) {
    const { code } = Encodings.WinAnsi.encodeUnicodeCodePoint(cp);
    byCode.set(code, tt.widthOf(cp) ?? 0);
  }
  return range(32, 255, (c) => byCode.get(c) ?? 0);
}

/** Widths from the standard metrics: WinAnsi codes, or the built-in encoding of Symbol / ZapfDingbats. */
function afmWidths(standard: FontNames, builtIn: boolean): { first: number; values: number[] } {
  const afm = Font.load(standard);
  const encoding = builtIn
    ? standard === 'Symbol'
      ? Encodings.Symbol
      : Encodings.ZapfDingbats
    : Encodings.WinAnsi;
  const byCode = new Map<number, number>();
  for (const cp of encoding.supportedCodePoints) {
    const { code, name } = encoding.encodeUnicodeCodePoint(cp);
    byCode.set(code, afm.getWidthOfGlyph(name) ?? 0);
  }
  return range(32, 255, (c) => byCode.get(c) ?? 0);
}

function builtInEncoding(doc: PDFDocument, standard: FontNames) {
  const encoding = standard === 'Symbol' ? Encodings.Symbol : Encodings.ZapfDingbats;
  const names = new Map<number, string>();
  for (const cp of encoding.supportedCodePoints) {
    const { code, name } = encoding.encodeUnicodeCodePoint(cp);
    names.set(code, name);
  }
  const differences: Array<number | PDFName> = [];
  for (const code of [...names.keys()].sort((a, b) => a - b))
    differences.push(code, PDFName.of(names.get(code)!));
  return doc.context.obj({ Type: 'Encoding', Differences: differences });
}

function range(first: number, last: number, f: (c: number) => number): { first: number; values: number[] } {
  const values: number[] = [];
  for (let c = first; c <= last; c++) values.push(f(c));
  return { first, values };
}
