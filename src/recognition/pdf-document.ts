/**
 * The one place that talks to pdfjs-dist (legacy Node build): opening a document with safe
 * options, reading a page's positioned text and its drawing operators.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextRun } from './layout.js';

export type { PDFDocumentProxy, PDFPageProxy };
export const OPS = pdfjs.OPS;
export const AnnotationMode = pdfjs.AnnotationMode;

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
/** Standard fonts and wasm decoders shipped with pdfjs-dist (paths, with a trailing slash). */
export const STANDARD_FONTS = join(pdfjsRoot, 'standard_fonts') + '/';
const WASM = join(pdfjsRoot, 'wasm') + '/';

/**
 * One pdfjs worker per thread, shared by the documents opened in it (in Node it runs in this
 * thread; sharing it saves its set-up on every document).
 */
let sharedWorker: InstanceType<typeof pdfjs.PDFWorker> | null = null;
function pdfWorker(): InstanceType<typeof pdfjs.PDFWorker> {
  if (!sharedWorker || sharedWorker.destroyed) sharedWorker = new pdfjs.PDFWorker({ verbosity: 0 });
  return sharedWorker;
}

export type OpenResult =
  { ok: true; doc: PDFDocumentProxy } | { ok: false; reason: 'encrypted' | 'unreadable'; detail: string };

/** Opens a PDF (`render` when it will be drawn); pdfjs owns `data` afterwards. Never throws. */
export async function openPdf(data: Uint8Array, options: { render?: boolean } = {}): Promise<OpenResult> {
  let task: ReturnType<typeof pdfjs.getDocument>;
  try {
    task = pdfjs.getDocument({
      data,
      worker: pdfWorker(),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      // Text extraction takes the widths of the 14 standard fonts from pdfjs' built-in metrics;
      // loading their font files is only needed to draw them (halves the time per document
      // for invoices that use Helvetica without embedding it).
      ...(options.render ? { standardFontDataUrl: STANDARD_FONTS } : {}),
      wasmUrl: WASM,
      verbosity: 0,
      stopAtErrors: false,
      // Bounds the memory a single image may take (pixels).
      maxImageSize: 40_000_000,
      isOffscreenCanvasSupported: false,
    });
  } catch (error) {
    return {
      ok: false,
      reason: 'unreadable',
      detail: error instanceof Error ? error.message : String(error),
    };
  }
  try {
    const doc = await task.promise;
    return { ok: true, doc };
  } catch (error) {
    void task.destroy().catch(() => undefined);
    const name = error instanceof Error ? error.name : '';
    const detail = error instanceof Error ? error.message : String(error);
    if (name === 'PasswordException') return { ok: false, reason: 'encrypted', detail };
    return { ok: false, reason: 'unreadable', detail };
  }
}

/** True when the document carries an /Encrypt dictionary (even without a user password). */
export async function isEncrypted(doc: PDFDocumentProxy): Promise<boolean> {
  const meta = await doc.getMetadata();
  const info = meta.info as { EncryptFilterName?: string | null };
  return info.EncryptFilterName !== null && info.EncryptFilterName !== undefined;
}

export interface PageText {
  width: number;
  height: number;
  runs: TextRun[];
  /** Characters other than spaces in the page's text layer (visible or not). */
  charCount: number;
  /** Viewport transform: user space → top-left points. */
  viewport: number[];
}

interface PdfTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

/** Positioned text of a page, in points with a top-left origin (rotation applied). */
export async function readPageText(page: PDFPageProxy): Promise<PageText> {
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent({ disableNormalization: false });
  const runs: TextRun[] = [];
  let charCount = 0;
  for (const raw of content.items) {
    if (!('str' in raw)) continue;
    const item = raw as PdfTextItem;
    const nonSpace = item.str.replace(/\s/g, '').length;
    charCount += nonSpace;
    if (nonSpace === 0) continue;
    const m = pdfjs.Util.transform(viewport.transform, item.transform) as number[];
    const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = m;
    // Horizontal text only: rotated stamps and vertical margins do not carry fields.
    if (Math.abs(b) > 0.2 * Math.abs(a) || a <= 0) continue;
    const fontSize = Math.hypot(c, d) || Math.abs(a);
    const scaleX = Math.hypot(viewport.transform[0] ?? 1, viewport.transform[1] ?? 0);
    runs.push({ text: item.str, x: e, baseline: f, width: item.width * scaleX, fontSize });
  }
  return { width: viewport.width, height: viewport.height, runs, charCount, viewport: viewport.transform };
}
