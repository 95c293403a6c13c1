/**
 * The few TrueType tables a PDF font descriptor needs: units per em and bounding box (`head`),
 * ascent / descent / cap height (`OS/2`), italic angle (`post`), advance widths (`hmtx`) and the
 * Unicode cmap (3,1 format 4), to give each WinAnsi code its width as the program states it.
 */

export interface TrueTypeMetrics {
  unitsPerEm: number;
  bbox: [number, number, number, number];
  ascent: number;
  descent: number;
  capHeight: number;
  italicAngle: number;
  /** Advance width in 1/1000 em of the glyph for a Unicode code point (undefined: no glyph). */
  widthOf(codePoint: number): number | undefined;
}

export function readTrueType(bytes: Uint8Array): TrueTypeMetrics {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, number>();
  const count = view.getUint16(4);
  for (let i = 0; i < count; i++) {
    const rec = 12 + i * 16;
    const tag = String.fromCharCode(...bytes.subarray(rec, rec + 4));
    tables.set(tag, view.getUint32(rec + 8));
  }
  const at = (tag: string) => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`TrueType table ${tag} missing`);
    return offset;
  };
  const head = at('head');
  const unitsPerEm = view.getUint16(head + 18);
  const scale = (v: number) => Math.round((v * 1000) / unitsPerEm);
  const bbox: [number, number, number, number] = [
    scale(view.getInt16(head + 36)),
    scale(view.getInt16(head + 38)),
    scale(view.getInt16(head + 40)),
    scale(view.getInt16(head + 42)),
  ];
  const os2 = at('OS/2');
  const ascent = scale(view.getInt16(os2 + 68));
  const descent = scale(view.getInt16(os2 + 70));
  const capHeight = view.getUint16(os2) >= 2 ? scale(view.getInt16(os2 + 88)) : ascent;
  const post = at('post');
  const italicAngle = view.getInt16(post + 4) + view.getUint16(post + 6) / 65536;
  const numberOfHMetrics = view.getUint16(at('hhea') + 34);
  const hmtx = at('hmtx');
  const advance = (gid: number) => view.getUint16(hmtx + 4 * Math.min(gid, numberOfHMetrics - 1));
  const glyphOf = unicodeCmap(view, at('cmap'));
  return {
    unitsPerEm,
    bbox,
    ascent,
    descent,
    capHeight,
    italicAngle,
    widthOf(cp) {
      const gid = glyphOf(cp);
      return gid ? scale(advance(gid)) : undefined;
    },
  };
}

/** The (3,1) format 4 subtable as a code point → glyph id function (0: no glyph). */
function unicodeCmap(view: DataView, cmap: number): (cp: number) => number {
  const n = view.getUint16(cmap + 2);
  let sub = -1;
  for (let i = 0; i < n; i++) {
    const rec = cmap + 4 + i * 8;
    if (view.getUint16(rec) === 3 && view.getUint16(rec + 2) === 1) sub = cmap + view.getUint32(rec + 4);
  }
  if (sub < 0 || view.getUint16(sub) !== 4) throw new Error('TrueType font without a (3,1) format 4 cmap');
  const segX2 = view.getUint16(sub + 6);
  const ends = sub + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const ranges = deltas + segX2;
  return (cp) => {
    for (let s = 0; s < segX2; s += 2) {
      if (view.getUint16(ends + s) < cp) continue;
      const start = view.getUint16(starts + s);
      if (start > cp) return 0;
      const delta = view.getInt16(deltas + s);
      const rangeOffset = view.getUint16(ranges + s);
      if (rangeOffset === 0) return (cp + delta) & 0xffff;
      const glyph = view.getUint16(ranges + s + rangeOffset + 2 * (cp - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}
