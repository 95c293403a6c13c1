/**
 * The committed fixture set agrees with the code that made it. Chromium and LibreOffice cannot run
 * in CI, so their PDFs are committed: each one's truth must be the code's, its source (HTML, flat
 * ODF) must be the one that was printed (digest in generated/sources.json), and the PDF must come
 * from the producer it claims. PENDING_ENGINE may only name fixtures that exist.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { HTML_FIXTURES } from '../fixtures/browser/index.js';
import { readSources, sourceDigest, type Producer } from '../fixtures/fixture-sources.js';
import type { GroundTruth } from '../fixtures/ground-truth.js';
import { OFFICE_FIXTURES } from '../fixtures/office/index.js';
import { PDF_LIB_FIXTURES } from '../fixtures/pdf-lib-fixtures.js';
import { PENDING_ENGINE } from '../fixtures/pending-engine.js';

const dir = fileURLToPath(new URL('../fixtures/generated/', import.meta.url));
const committedTruth = (name: string): unknown =>
  JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8'));
/** The truth as the make scripts write it (`undefined` entries dropped). */
const written = (truth: GroundTruth): unknown => JSON.parse(JSON.stringify(truth));

const printed: Array<{ name: string; producer: Producer; source: string; truth: GroundTruth }> = [
  ...HTML_FIXTURES.map((f) => ({
    name: f.name,
    producer: 'chromium' as const,
    source: f.html,
    truth: f.truth,
  })),
  ...OFFICE_FIXTURES.map((f) => ({
    name: f.name,
    producer: 'libreoffice' as const,
    source: f.source,
    truth: f.truth,
  })),
];
const MAKE: Record<Producer, string> = {
  chromium: 'npx tsx test/fixtures/make-chromium-fixtures.ts',
  libreoffice: 'npx tsx test/fixtures/make-libreoffice-fixtures.ts',
};
const PRODUCER: Record<Producer, RegExp> = { chromium: /^Skia\/PDF/, libreoffice: /^LibreOffice/ };

describe('committed fixture set', () => {
  it('has unique fixture names across producers', () => {
    const names = [...printed.map((f) => f.name), ...PDF_LIB_FIXTURES.map((f) => f.name)];
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it.each(printed.map((f) => [f.name, f] as const))(
    '%s: committed PDF, truth and source are current',
    async (name, f) => {
      expect(existsSync(join(dir, `${name}.pdf`)), `missing PDF: run ${MAKE[f.producer]} ${name}`).toBe(true);
      expect(committedTruth(name), `stale truth: run ${MAKE[f.producer]} ${name}`).toEqual(written(f.truth));
      expect(
        readSources()[name],
        `source changed since it was printed: run ${MAKE[f.producer]} ${name}`,
      ).toEqual({
        producer: f.producer,
        sha256: sourceDigest(f.source),
      });
      const doc = await getDocument({
        data: new Uint8Array(readFileSync(join(dir, `${name}.pdf`))),
        verbosity: 0,
      }).promise;
      try {
        const { info } = await doc.getMetadata();
        expect(String((info as { Producer?: unknown }).Producer)).toMatch(PRODUCER[f.producer]);
      } finally {
        await doc.destroy();
      }
    },
  );

  it('keeps the pdf-lib truths committed as written in code', () => {
    for (const f of PDF_LIB_FIXTURES) expect(committedTruth(f.name), f.name).toEqual(written(f.truth));
  });

  it('records sources only for fixtures that exist', () => {
    const known = new Set(printed.map((f) => f.name));
    expect(Object.keys(readSources()).filter((n) => !known.has(n))).toEqual([]);
  });

  it('lists in PENDING_ENGINE only existing fixtures, each with what it misses', () => {
    const pdfs = new Set(
      readdirSync(dir)
        .filter((f) => f.endsWith('.pdf'))
        .map((f) => f.slice(0, -4)),
    );
    for (const [name, parts] of PENDING_ENGINE) {
      expect(pdfs.has(name), `PENDING_ENGINE names an unknown fixture: ${name}`).toBe(true);
      expect(parts.length, name).toBeGreaterThan(0);
    }
  });
});
