/**
 * The preview image: page 1 rendered by pdfjs on its own Node canvas (@napi-rs/canvas 0.1.x,
 * the version pdfjs-dist installs), with a box and a short French label around each recognised
 * field, so a phone user can see what was read and where.
 */
import { createRequire } from 'node:module';
import type { InspectionReport, FieldKey, PreviewOptions } from './types.js';
import { FIELD_KEYS } from './types.js';
import { openPdf, STANDARD_FONTS, type PDFPageProxy } from './pdf-document.js';

type RenderParams = Parameters<PDFPageProxy['render']>[0];
import { FIELD_SHORT_LABELS } from './messages.js';

/** The 2D context subset we draw with (same API in browsers and @napi-rs/canvas). */
interface Ctx2D {
  strokeStyle: string;
  fillStyle: string;
  lineWidth: number;
  font: string;
  textBaseline: string;
  strokeRect(x: number, y: number, w: number, h: number): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  measureText(text: string): { width: number };
}

interface NodeCanvas {
  width: number;
  height: number;
  encode(format: 'png'): Promise<Buffer>;
  encode(format: 'jpeg', quality: number): Promise<Buffer>;
}

interface CanvasFactory {
  create(width: number, height: number): { canvas: NodeCanvas; context: Ctx2D };
  destroy(entry: { canvas: NodeCanvas; context: Ctx2D }): void;
}

const LABEL_FONT = 'FacteurLabel';
let fontRegistered = false;

/** Registers the Liberation Sans shipped with pdfjs-dist, so labels render without system fonts. */
function registerLabelFont(): void {
  if (fontRegistered) return;
  fontRegistered = true;
  try {
    // Resolve @napi-rs/canvas from pdfjs-dist's own location: the very copy pdfjs renders with.
    const fromPdfjs = createRequire(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
    const canvasModule = fromPdfjs('@napi-rs/canvas') as {
      GlobalFonts: { registerFromPath(path: string, alias: string): unknown };
    };
    canvasModule.GlobalFonts.registerFromPath(`${STANDARD_FONTS}LiberationSans-Bold.ttf`, LABEL_FONT);
  } catch {
    // Labels fall back to the canvas's default font; boxes are still drawn.
  }
}

/** A distinct colour per deposit block, readable on white. */
const COLORS: Partial<Record<FieldKey, string>> = {
  invoiceNumber: '#1565c0',
  invoiceDate: '#1565c0',
  recipientSiret: '#2e7d32',
  recipientServiceCode: '#2e7d32',
  recipientName: '#2e7d32',
  supplierSiret: '#6a1b9a',
  supplierVatNumber: '#6a1b9a',
  supplierIban: '#6a1b9a',
  engagementNumber: '#ef6c00',
  marketNumber: '#ef6c00',
  totalExclTax: '#c62828',
  totalTax: '#c62828',
  totalInclTax: '#c62828',
  currency: '#c62828',
};

/** JPEG quality of chat previews: labels stay sharp, the image a third of the PNG's weight. */
const JPEG_QUALITY = 80;

/**
 * Renders page 1 with the boxes of `report`; returns PNG (default) or JPEG bytes. JPEG costs about
 * a third of PNG's encoding time. Throws on unreadable PDFs.
 */
export async function renderPreviewImage(
  bytes: Uint8Array,
  report: InspectionReport,
  options: PreviewOptions = {},
): Promise<Uint8Array> {
  const scale = options.scale ?? 1.5;
  registerLabelFont();
  const opened = await openPdf(new Uint8Array(bytes), { render: true });
  if (!opened.ok) throw new Error(`cannot open PDF for preview: ${opened.reason}`);
  const doc = opened.doc;
  try {
    const page = await doc.getPage(1);
    // Keep the image phone-sized whatever the page format.
    const base = page.getViewport({ scale: 1 });
    const s = Math.min(scale, 2400 / Math.max(base.width, base.height));
    const viewport = page.getViewport({ scale: s });
    const factory = doc.canvasFactory as CanvasFactory;
    const entry = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const ctx = entry.context;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, entry.canvas.width, entry.canvas.height);
    await page.render({
      canvas: null,
      canvasContext: ctx as unknown as RenderParams['canvasContext'],
      viewport,
    }).promise;
    drawBoxes(ctx, report, s, entry.canvas.width, entry.canvas.height);
    const image =
      options.format === 'jpeg'
        ? await entry.canvas.encode('jpeg', JPEG_QUALITY)
        : await entry.canvas.encode('png');
    factory.destroy(entry);
    page.cleanup();
    return new Uint8Array(image.buffer, image.byteOffset, image.byteLength);
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const overlaps = (a: Rect, b: Rect): boolean =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function drawBoxes(ctx: Ctx2D, report: InspectionReport, s: number, width: number, height: number): void {
  const fontSize = Math.round(9 * s);
  ctx.font = `${fontSize}px ${LABEL_FONT}, sans-serif`;
  ctx.textBaseline = 'bottom';
  const pad = 2 * s;
  const boxes: Array<{ key: FieldKey; r: Rect }> = [];
  for (const key of FIELD_KEYS) {
    const f = report.fields[key];
    if (!f?.box || f.page !== 1) continue;
    // A currency taken from the € of a total has that total's box: one frame is enough.
    if (key === 'currency' && f.keyword === undefined) continue;
    boxes.push({
      key,
      r: {
        x: f.box.x * s - pad,
        y: f.box.y * s - pad,
        w: f.box.width * s + 2 * pad,
        h: f.box.height * s + 2 * pad,
      },
    });
  }
  const taken: Rect[] = boxes.map((b) => b.r);
  for (const { key, r } of boxes) {
    const color = COLORS[key] ?? '#c62828';
    ctx.strokeStyle = color;
    ctx.lineWidth = Math.max(1.5, s);
    ctx.strokeRect(r.x, r.y, r.w, r.h);
    // The label goes where it covers no other box nor label: right, above, below, left.
    const label = FIELD_SHORT_LABELS[key];
    const w = ctx.measureText(label).width + 6;
    const h = fontSize + 4;
    const spots: Rect[] = [
      { x: r.x + r.w + 2, y: r.y + (r.h - h) / 2, w, h },
      { x: r.x, y: r.y - h - 1, w, h },
      { x: r.x, y: r.y + r.h + 1, w, h },
      { x: r.x - w - 2, y: r.y + (r.h - h) / 2, w, h },
    ].filter((c) => c.x >= 0 && c.y >= 0 && c.x + c.w <= width && c.y + c.h <= height);
    const spot = spots.find((c) => !taken.some((t) => overlaps(c, t))) ??
      spots[0] ?? { x: r.x, y: r.y, w, h };
    taken.push(spot);
    ctx.fillStyle = color;
    ctx.fillRect(spot.x, spot.y, spot.w, spot.h);
    ctx.fillStyle = '#ffffff';
    ctx.fillText(label, spot.x + 3, spot.y + spot.h - 2);
  }
}
