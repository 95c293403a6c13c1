/**
 * What a page's drawing operators say about the golden rules: text painted in a colour,
 * coloured fills under text (R4), and how much of the page images cover (R1, scans).
 *
 * Thresholds (recognition-rules.md §1.4, [practice]): text counts as black when every RGB
 * channel is ≤ 0.2; a fill is white when every channel is ≥ 0.94.
 */
import type { PDFPageProxy } from './pdf-document.js';
import { AnnotationMode, OPS } from './pdf-document.js';
import type { TextRun } from './layout.js';

export interface PageGraphics {
  coloredText: boolean;
  coloredBackground: boolean;
  /** Share of the page area painted by images (0–1, overlaps counted once per image). */
  imageCoverage: number;
  /** Path-painting operations (many with no text = text drawn as outlines). */
  pathCount: number;
}

type Matrix = [number, number, number, number, number, number];
type Rgb = [number, number, number] | 'pattern' | null;

interface State {
  ctm: Matrix;
  fill: Rgb;
  stroke: Rgb;
  renderMode: number;
}

function multiply(m: Matrix, n: number[]): Matrix {
  const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = n;
  return [
    a * m[0] + b * m[2],
    a * m[1] + b * m[3],
    c * m[0] + d * m[2],
    c * m[1] + d * m[3],
    e * m[0] + f * m[2] + m[4],
    e * m[1] + f * m[3] + m[5],
  ];
}

function apply(m: number[], x: number, y: number): [number, number] {
  return [(m[0] ?? 1) * x + (m[2] ?? 0) * y + (m[4] ?? 0), (m[1] ?? 0) * x + (m[3] ?? 1) * y + (m[5] ?? 0)];
}

function hexToRgb(value: unknown): Rgb {
  if (typeof value !== 'string' || !/^#[0-9a-f]{6}$/i.test(value)) return null;
  const n = parseInt(value.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

const isBlack = (c: Rgb): boolean => c === null || (c !== 'pattern' && c.every((v) => v <= 0.2));
const isWhite = (c: Rgb): boolean => c !== null && c !== 'pattern' && c.every((v) => v >= 0.94);

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function bbox(ctm: Matrix, viewport: number[], x0: number, y0: number, x1: number, y1: number): Rect {
  const pts = [apply(ctm, x0, y0), apply(ctm, x1, y0), apply(ctm, x0, y1), apply(ctm, x1, y1)].map(([x, y]) =>
    apply(viewport, x, y),
  );
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

function hasVisibleGlyph(glyphs: unknown): boolean {
  if (!Array.isArray(glyphs)) return false;
  return glyphs.some(
    (g) =>
      typeof g === 'object' &&
      g !== null &&
      typeof (g as { unicode?: unknown }).unicode === 'string' &&
      (g as { unicode: string }).unicode.trim().length > 0,
  );
}

const FILL_OPS = new Set<number>([
  OPS.fill,
  OPS.eoFill,
  OPS.fillStroke,
  OPS.eoFillStroke,
  OPS.closeFillStroke,
  OPS.closeEOFillStroke,
]);
const TEXT_OPS = new Set<number>([
  OPS.showText,
  OPS.showSpacedText,
  OPS.nextLineShowText,
  OPS.nextLineSetSpacingShowText,
]);
const IMAGE_OPS = new Set<number>([
  OPS.paintImageXObject,
  OPS.paintInlineImageXObject,
  OPS.paintImageMaskXObject,
  OPS.paintImageXObjectRepeat,
  OPS.paintInlineImageXObjectGroup,
  OPS.paintImageMaskXObjectGroup,
  OPS.paintSolidColorImageMask,
]);

/** Walks the operator list of a page (bounded by `maxOps`). */
export async function analysePage(
  page: PDFPageProxy,
  viewport: number[],
  size: { width: number; height: number },
  runs: TextRun[],
  maxOps = 200_000,
): Promise<PageGraphics> {
  // Annotations (form fields, links) are not part of the printed invoice Chorus Pro reads.
  const list = await page.getOperatorList({ intent: 'display', annotationMode: AnnotationMode.DISABLE });
  const fills: Rect[] = [];
  let coloredText = false;
  let imageArea = 0;
  let pathCount = 0;
  let state: State = { ctm: [1, 0, 0, 1, 0, 0], fill: [0, 0, 0], stroke: [0, 0, 0], renderMode: 0 };
  const stack: State[] = [];
  const n = Math.min(list.fnArray.length, maxOps);
  for (let i = 0; i < n; i++) {
    const fn = list.fnArray[i] as number;
    const args = list.argsArray[i] as unknown[] | null;
    switch (fn) {
      case OPS.save:
        stack.push({ ...state });
        break;
      case OPS.restore:
        state = stack.pop() ?? state;
        break;
      case OPS.paintFormXObjectBegin:
        stack.push({ ...state });
        if (Array.isArray(args?.[0]) || ArrayBuffer.isView(args?.[0]))
          state.ctm = multiply(state.ctm, Array.from(args[0] as ArrayLike<number>));
        break;
      case OPS.paintFormXObjectEnd:
        state = stack.pop() ?? state;
        break;
      case OPS.transform:
        if (args) state.ctm = multiply(state.ctm, args as number[]);
        break;
      case OPS.setFillRGBColor:
        state.fill = hexToRgb(args?.[0]);
        break;
      case OPS.setStrokeRGBColor:
        state.stroke = hexToRgb(args?.[0]);
        break;
      case OPS.setFillColorN:
        state.fill = 'pattern';
        break;
      case OPS.setTextRenderingMode:
        state.renderMode = Number(args?.[0] ?? 0);
        break;
      case OPS.constructPath: {
        pathCount++;
        const paint = Number(args?.[0]);
        const mm = args?.[2] as ArrayLike<number> | null | undefined;
        if (FILL_OPS.has(paint) && mm && mm.length >= 4 && !isWhite(state.fill)) {
          const r = bbox(
            state.ctm,
            viewport,
            mm[0] as number,
            mm[1] as number,
            mm[2] as number,
            mm[3] as number,
          );
          if (r.x1 - r.x0 > 3 && r.y1 - r.y0 > 3) fills.push(r);
        }
        break;
      }
      default:
        if (TEXT_OPS.has(fn)) {
          if (state.renderMode === 3 || state.renderMode === 7 || coloredText) break;
          const glyphs =
            fn === OPS.showText || fn === OPS.showSpacedText ? args?.[0] : args?.[args.length - 1];
          if (!hasVisibleGlyph(glyphs)) break;
          const stroke =
            state.renderMode === 1 ||
            state.renderMode === 2 ||
            state.renderMode === 5 ||
            state.renderMode === 6;
          const fillPainted = state.renderMode !== 1 && state.renderMode !== 5;
          if ((fillPainted && !isBlack(state.fill)) || (stroke && !isBlack(state.stroke))) coloredText = true;
        } else if (IMAGE_OPS.has(fn)) {
          const r = bbox(state.ctm, viewport, 0, 0, 1, 1);
          const w = Math.min(r.x1, size.width) - Math.max(r.x0, 0);
          const h = Math.min(r.y1, size.height) - Math.max(r.y0, 0);
          if (w > 0 && h > 0) imageArea += w * h;
        }
    }
  }
  return {
    coloredText,
    coloredBackground: fills.length > 0 && textOnFill(runs, fills),
    imageCoverage: Math.min(1, imageArea / Math.max(1, size.width * size.height)),
    pathCount,
  };
}

/** True when some text run sits (mostly) on one of the coloured fills. */
function textOnFill(runs: TextRun[], fills: Rect[]): boolean {
  for (const r of runs) {
    const x0 = r.x;
    const x1 = r.x + r.width;
    const y0 = r.baseline - 0.7 * r.fontSize;
    const y1 = r.baseline;
    const area = Math.max(0.1, (x1 - x0) * (y1 - y0));
    for (const f of fills) {
      const w = Math.min(x1, f.x1) - Math.max(x0, f.x0);
      const h = Math.min(y1, f.y1) - Math.max(y0, f.y0);
      if (w > 0 && h > 0 && (w * h) / area > 0.5) return true;
    }
  }
  return false;
}
