/** Page 1 drawn by pdfjs on its own canvas (doc.canvasFactory), as RGBA pixels. */
import { openPdf, type PDFPageProxy } from '../../src/recognition/pdf-document.js';

type RenderParams = Parameters<PDFPageProxy['render']>[0];
interface Ctx {
  fillStyle: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
}
interface Factory {
  create(w: number, h: number): { canvas: { width: number; height: number }; context: Ctx };
  destroy(entry: unknown): void;
}

export interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export async function renderPage1(bytes: Uint8Array, scale = 1.5): Promise<Pixels> {
  const opened = await openPdf(new Uint8Array(bytes), { render: true });
  if (!opened.ok) throw new Error(`cannot open: ${opened.reason}`);
  const doc = opened.doc;
  try {
    const page = await doc.getPage(1);
    const viewport = page.getViewport({ scale });
    const factory = doc.canvasFactory as Factory;
    const entry = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
    entry.context.fillStyle = '#ffffff';
    entry.context.fillRect(0, 0, entry.canvas.width, entry.canvas.height);
    await page.render({
      canvas: null,
      canvasContext: entry.context as unknown as RenderParams['canvasContext'],
      viewport,
    }).promise;
    const { width, height } = entry.canvas;
    const data = new Uint8ClampedArray(entry.context.getImageData(0, 0, width, height).data);
    factory.destroy(entry);
    page.cleanup();
    return { width, height, data };
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}

/** Pixels whose colour differs by more than `tolerance` on some channel, and the largest gap. */
export function comparePixels(
  a: Pixels,
  b: Pixels,
  tolerance = 0,
): { differing: number; maxDelta: number; total: number } {
  if (a.width !== b.width || a.height !== b.height) throw new Error('page sizes differ');
  let differing = 0;
  let maxDelta = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    let d = 0;
    for (let c = 0; c < 4; c++) d = Math.max(d, Math.abs(a.data[i + c]! - b.data[i + c]!));
    if (d > tolerance) differing++;
    maxDelta = Math.max(maxDelta, d);
  }
  return { differing, maxDelta, total: a.width * a.height };
}
