/**
 * Recognition benchmark (`npm run bench recognition`): a batch of generated 1-page and 3-page
 * invoices inspected in this process — median ms per document in-thread, documents per second
 * through the worker pool on the machine's cores, peak RSS for the 200-document batch — and, when
 * `pdftotext` is installed, the same batch through `pdftotext -l 3` (one process per file).
 * Targets (issue 2): 3-page median < 50 ms, faster than spawning pdftotext, < 150 MB RSS. `facteur
 * inspect` runs one worker by default (`--jobs N` for more): its RSS is printed beside its speed.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRecognizer, inspectInThread } from '../src/recognition/index.js';
import { invoiceLines, renderPdf } from '../test/fixtures/pdf-lib-invoice.js';
import { officeBatch } from './office-batch.js';

const ONE_PAGE = 100;
const THREE_PAGES = 100;
const RUNS = 3;

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;

async function makeBatch(): Promise<Array<{ name: string; pages: number; bytes: Uint8Array }>> {
  const batch: Array<{ name: string; pages: number; bytes: Uint8Array }> = [];
  for (let i = 0; i < ONE_PAGE + THREE_PAGES; i++) {
    const pages = i < ONE_PAGE ? 1 : 3;
    const number = `F-2026-${String(1000 + i)}`;
    const items = Array.from({ length: 1 + (i % 6) }, (_, k) => ({
      label: `Prestation ${k + 1} — développement et recette`,
      qty: String(1 + k),
      unit: '250,00 €',
      total: `${250 * (1 + k)},00 €`,
    }));
    const bytes = await renderPdf(invoiceLines({ number, items, pages, totalsPage: pages === 3 ? 2 : 1 }));
    batch.push({ name: `${number}.pdf`, pages, bytes });
  }
  return batch;
}

function hasPdftotext(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs `fn` over items with `concurrency` in flight; returns the wall time in ms. */
async function timed<T>(items: T[], concurrency: number, fn: (item: T) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
  return performance.now() - start;
}

export default async function recognitionBench(): Promise<void> {
  const cores = availableParallelism();
  const batch = await makeBatch();
  const one = batch.filter((d) => d.pages === 1);
  const three = batch.filter((d) => d.pages === 3);
  console.log(
    `batch: ${one.length} one-page + ${three.length} three-page invoices (pdf-lib), ${cores} cores`,
  );

  // 1. In-thread latency per document (after a warm-up), median of RUNS passes.
  for (const d of batch.slice(0, 10)) await inspectInThread(d.bytes, d.name);
  for (const [label, docs] of [
    ['1 page ', one],
    ['3 pages', three],
  ] as const) {
    const medians: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const times: number[] = [];
      for (const d of docs) {
        const t0 = performance.now();
        await inspectInThread(d.bytes, d.name);
        times.push(performance.now() - t0);
      }
      medians.push(median(times));
    }
    console.log(`in-thread ${label}: median ${median(medians).toFixed(1)} ms/document`);
  }

  // 2. Throughput through the worker pool in this process (the way a channel runs it).
  const recognizer = createRecognizer({ poolSize: Math.min(2, cores) });
  await Promise.all(batch.slice(0, 4).map((d) => recognizer.inspect(d.bytes, 'warm-up.pdf')));
  const walls: number[] = [];
  for (let r = 0; r < RUNS; r++)
    walls.push(await timed(batch, 4, (d) => recognizer.inspect(d.bytes, d.name)));
  await recognizer.close();
  const poolWall = median(walls);
  const poolRate = (batch.length / poolWall) * 1000;
  console.log(
    `worker pool (${Math.min(2, cores)} workers): ${batch.length} documents in ${poolWall.toFixed(0)} ms → ` +
      `${poolRate.toFixed(1)} documents/s, ${(poolWall / batch.length).toFixed(1)} ms/document`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'facteur-bench-'));
  try {
    const paths = batch.map((d) => {
      const p = join(dir, d.name);
      writeFileSync(p, d.bytes);
      return p;
    });
    // 3. The product's batch path: one `facteur inspect --json` process over the 200 files,
    //    its peak RSS read from /proc (VmHWM) — this process's RSS also holds tsx and pdf-lib.
    //    One worker by default (one pdfjs in memory), --jobs N for N workers.
    for (const jobs of [1, Math.min(2, cores)].filter((j, i, all) => all.indexOf(j) === i)) {
      const cli = await runCli(paths, jobs);
      console.log(
        `facteur inspect --json${jobs > 1 ? ` --jobs ${jobs}` : ''} (${jobs === 1 ? 'default: ' : ''}${jobs} worker${jobs > 1 ? 's' : ''}), ` +
          `${paths.length} files in one process: ${((paths.length / cli.wallMs) * 1000).toFixed(1)} documents/s ` +
          `(${cli.wallMs.toFixed(0)} ms including start-up), peak RSS ${cli.peakKb ? mb(cli.peakKb * 1024) : 'n/a'}`,
      );
    }
    await pdftotextComparison(paths, poolRate, cores);
    await officeComparison();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface CliRun {
  wallMs: number;
  peakKb: number | null;
}

function runCli(paths: string[], jobs = 1): Promise<CliRun> {
  const bin = fileURLToPath(new URL('../bin/facteur.js', import.meta.url));
  const start = performance.now();
  const child = spawn(process.execPath, [bin, 'inspect', '--json', '--jobs', String(jobs), ...paths], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let peakKb: number | null = null;
  const sampler = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb ?? 0, Number(m[1]));
    } catch {
      // not Linux, or the process just ended
    }
  }, 5);
  return new Promise((resolve) =>
    child.on('exit', () => {
      clearInterval(sampler);
      resolve({ wallMs: performance.now() - start, peakKb });
    }),
  );
}

async function pdftotextComparison(paths: string[], poolRate: number, cores: number): Promise<void> {
  // 4. The same batch through pdftotext, one process per file, as many in flight as workers.
  if (!hasPdftotext()) {
    console.log('pdftotext: not installed (apt-get install poppler-utils) — comparison skipped');
    return;
  }
  const run = (p: string) =>
    new Promise<void>((resolve, reject) =>
      execFile('pdftotext', ['-l', '3', p, '-'], { maxBuffer: 8 * 1024 * 1024 }, (e) =>
        e ? reject(e) : resolve(),
      ),
    );
  const single: number[] = [];
  for (const p of paths.slice(ONE_PAGE, ONE_PAGE + 30)) {
    const t0 = performance.now();
    await run(p);
    single.push(performance.now() - t0);
  }
  const ptWalls: number[] = [];
  for (let r = 0; r < RUNS; r++) ptWalls.push(await timed(paths, Math.min(2, cores), run));
  const ptWall = median(ptWalls);
  const ptRate = (paths.length / ptWall) * 1000;
  console.log(
    `pdftotext -l 3 (one process per file, ${Math.min(2, cores)} at a time): ${ptRate.toFixed(1)} documents/s, ` +
      `${(ptWall / paths.length).toFixed(1)} ms/document; single 3-page file median ${median(single).toFixed(1)} ms`,
  );
  console.log(
    `ratio: Facteur inspects ${(poolRate / ptRate).toFixed(2)}× as many documents per second as pdftotext`,
  );
}

/**
 * 5. The browser/office batch (Chromium and LibreOffice PDFs, issue 9): `facteur inspect --json`
 *    over the batch in one process (default: one worker) against `pdftotext -l 3 -layout` run
 *    once per file, one after the other. OFFICE_BATCH_GENERATE=0 keeps to the committed fixtures.
 */
async function officeComparison(): Promise<void> {
  if (!hasPdftotext()) return;
  const batch = await officeBatch({
    generate: process.env.OFFICE_BATCH_GENERATE !== '0',
    log: (line) => console.log(line),
  });
  if (batch.files.length === 0) return;
  const cli = await runCli(batch.files, 1);
  const started = performance.now();
  for (const file of batch.files) {
    await new Promise<void>((resolve, reject) =>
      execFile('pdftotext', ['-l', '3', '-layout', file, '-'], { maxBuffer: 8 * 1024 * 1024 }, (e) =>
        e ? reject(e) : resolve(),
      ),
    );
  }
  const ptMs = performance.now() - started;
  console.log(
    `office batch (${batch.note}, ${batch.files.length} files): facteur inspect --json ${cli.wallMs.toFixed(0)} ms ` +
      `(peak RSS ${cli.peakKb ? mb(cli.peakKb * 1024) : 'n/a'}), pdftotext -l 3 -layout per file ${ptMs.toFixed(0)} ms: ` +
      `Facteur takes ${(cli.wallMs / ptMs).toFixed(2)}× pdftotext's time`,
  );
}
