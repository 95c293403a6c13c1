/**
 * Hostile input: thousands of mutated PDFs (bytes flipped, truncated, spliced, garbage) through the
 * engine. Every one must produce a well-formed report — no crash, no hang. Mostly cheap mutations
 * (truncations fail fast) with a bounded share of full parses, so the suite stays within a minute
 * on two busy cores.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createRecognizer, RULE_IDS, type InspectionReport } from '../../src/recognition/index.js';

const seedNames = ['pl-clean-ministry.pdf', 'cr-clean-commune.pdf', 'pl-multipage-3.pdf', 'cr-colored.pdf'];
const seeds = seedNames.map(
  (n) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/generated/${n}`, import.meta.url)))),
);

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutation = { kind: string; bytes: Uint8Array };

function* mutations(count: number, random: () => number): Generator<Mutation> {
  for (let i = 0; i < count; i++) {
    const seed = seeds[i % seeds.length] as Uint8Array;
    const roll = random();
    const bytes = new Uint8Array(seed);
    if (roll < 0.7) {
      // Truncation anywhere (most end before the xref: pdfjs must rebuild or give up).
      yield { kind: 'truncate', bytes: bytes.slice(0, Math.floor(random() * bytes.length)) };
    } else if (roll < 0.88) {
      const flips = 1 + Math.floor(random() * 24);
      for (let k = 0; k < flips; k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      yield { kind: 'flip', bytes };
    } else if (roll < 0.93) {
      // Splice: a random slice of the file copied over another place.
      const from = Math.floor(random() * bytes.length);
      const to = Math.floor(random() * bytes.length);
      const len = Math.floor(random() * 512);
      bytes.copyWithin(to, from, from + len);
      yield { kind: 'splice', bytes };
    } else if (roll < 0.96) {
      // Delimiters and numbers that stress the parser: deep nesting, huge counts.
      const junk = new TextEncoder().encode(
        random() < 0.5
          ? '<<'.repeat(2000) + '['.repeat(2000)
          : ' 99999999999 0 R /Count 2147483647 /Length 999999999 ',
      );
      const at = Math.floor(random() * bytes.length);
      const out = new Uint8Array(bytes.length + junk.length);
      out.set(bytes.subarray(0, at));
      out.set(junk, at);
      out.set(bytes.subarray(at), at + junk.length);
      yield { kind: 'inject', bytes: out };
    } else {
      // Garbage with a PDF header.
      const len = 16 + Math.floor(random() * 4096);
      const out = new Uint8Array(len);
      for (let k = 0; k < len; k++) out[k] = Math.floor(random() * 256);
      out.set(new TextEncoder().encode('%PDF-1.7\n'));
      yield { kind: 'garbage', bytes: out };
    }
  }
}

function wellFormed(r: InspectionReport): boolean {
  return (
    typeof r.file === 'string' &&
    Number.isInteger(r.pageCount) &&
    r.pagesRead === Math.min(r.pageCount, 3) &&
    typeof r.fields === 'object' &&
    Array.isArray(r.violations) &&
    r.violations.every((v) => RULE_IDS.includes(v.rule) && v.message.length > 0)
  );
}

describe('fuzz: mutated PDFs', () => {
  const recognizer = createRecognizer({ poolSize: 2, timeoutMs: 10_000 });
  afterAll(() => recognizer.close());

  it('always returns a well-formed report', { timeout: 120_000 }, async () => {
    const random = prng(20260315);
    const total = 2000;
    const kinds = new Map<string, number>();
    const rules = new Map<string, number>();
    const bad: string[] = [];
    const queue = mutations(total, random);
    const started = Date.now();
    let done = 0;
    // A bounded number in flight keeps memory flat and both workers busy.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let m = queue.next(); !m.done; m = queue.next()) {
          const { kind, bytes } = m.value;
          const report = await recognizer.inspect(bytes, `${kind}.pdf`);
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
          for (const v of report.violations) rules.set(v.rule, (rules.get(v.rule) ?? 0) + 1);
          if (!wellFormed(report)) bad.push(`${kind}: ${JSON.stringify(report).slice(0, 200)}`);
          done++;
        }
      }),
    );
    console.log(
      `fuzz: ${done} documents in ${Date.now() - started} ms`,
      Object.fromEntries(kinds),
      Object.fromEntries(rules),
    );
    expect(bad).toEqual([]);
    expect(done).toBe(total);
    // Both outcomes happen: damaged files are refused, lightly damaged ones are still read.
    expect(rules.get('unreadable-pdf') ?? 0).toBeGreaterThan(0);
    expect(done - (rules.get('unreadable-pdf') ?? 0)).toBeGreaterThan(0);
  });
});
