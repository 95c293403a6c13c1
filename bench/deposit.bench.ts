/**
 * The deposit path against the embedded simulator over real HTTP on 127.0.0.1:
 * - throughput: complete deposits (deposer/pdf with Facteur's recognition, precheck, soumettre)
 *   with 50 in flight at once, 200 per run;
 * - the client's own overhead per call (validation of request and answer, JSON, token, headers):
 *   time in the client minus time inside `fetch` (the answer is buffered inside the measured
 *   fetch, so the client's own `text()` is in-memory), sequential calls, p50/p95.
 * Medians of 3 runs; every loop is bounded in count.
 */
import {
  createChorusClient,
  createChorusClientFactory,
  createDepositService,
  startSimulator,
  type ChorusClient,
  type Submission,
} from '../src/deposit/index.js';
import { createRecognizer } from '../src/recognition/index.js';
import { invoiceLines, renderPdf } from '../test/fixtures/pdf-lib-invoice.js';

const RUNS = 3;
const DEPOSITS = 200;
const CONCURRENCY = 50;
const OVERHEAD_CALLS = 300;
const DEMO = { login: 'demo', password: 'demo' };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function pool<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

export default async function bench(): Promise<void> {
  const recognizer = createRecognizer();
  const sim = await startSimulator({ recognizer, lifecycle: false });
  const installation = {
    apiUrl: sim.apiUrl,
    oauthUrl: sim.oauthUrl,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
  };
  const service = createDepositService({ clientFor: createChorusClientFactory(installation) });
  const pdf = await renderPdf(invoiceLines());
  try {
    // Warm-up: token, worker threads, JIT.
    await service.depositPdf(DEMO, { fileName: 'warmup.pdf', bytes: pdf });

    // Client overhead: measured fetch buffers the body so only the client's own work remains outside it.
    let inFetch = 0;
    const measuredFetch: typeof fetch = async (input, init) => {
      const t0 = performance.now();
      const response = await fetch(input, init);
      const body = await response.arrayBuffer();
      inFetch += performance.now() - t0;
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const client: ChorusClient = createChorusClient({
      ...installation,
      fetch: measuredFetch,
      techLogin: 'demo',
      techPassword: 'demo',
    });
    const calls: Array<[string, () => Promise<unknown>]> = [
      [
        'rechercherStructure',
        () =>
          client.searchStructures({
            structure: { identifiantStructure: '2133', typeIdentifiantStructure: 'SIRET' },
          }),
      ],
      ['consulterStructure', () => client.consultStructure(25000401)],
      ['rechercherServices', () => client.structureServices(25000201)],
      ['rechercherFournisseur', () => client.searchInvoices({ numeroFacture: 'B0-1-1' })],
    ];
    await client.supplierStructures();
    for (const [name, call] of calls) {
      for (let i = 0; i < 50; i++) await call(); // warm-up (JIT, schema compilation, sockets)
      const overheads: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        for (let i = 0; i < OVERHEAD_CALLS / RUNS; i++) {
          inFetch = 0;
          const t0 = performance.now();
          await call();
          overheads.push(performance.now() - t0 - inFetch);
        }
      }
      console.log(
        `client overhead ${name.padEnd(22)} p50 ${(percentile(overheads, 50) * 1000).toFixed(0)} µs, p95 ${(percentile(overheads, 95) * 1000).toFixed(0)} µs (${overheads.length} sequential calls)`,
      );
    }

    const rates: number[] = [];
    const latencies: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      await pool(DEPOSITS, CONCURRENCY, async (i) => {
        const t0 = performance.now();
        const recognition = await service.depositPdf(DEMO, { fileName: 'facture.pdf', bytes: pdf });
        const submission: Submission = {
          cadre: 'A1',
          invoiceNumber: `B${run}-${i}-${process.pid % 1000}`,
          invoiceDate: recognition.invoiceDate ?? '2026-03-15',
          invoiceType: 'FACTURE',
          recipientSiret: recognition.recipientSiret ?? '21330063500017',
          supplierId: 26100001,
          bankAccountId: 116050,
          currency: 'EUR',
          vatRegime: 'TVA_SUR_DEBIT',
          totalExclTaxCents: recognition.totalExclTaxCents ?? 125_000,
          totalTaxCents: recognition.totalTaxCents ?? 25_000,
          totalInclTaxCents: recognition.totalInclTaxCents ?? 150_000,
          pieceJointeId: recognition.pieceJointeId,
          fileName: 'facture.pdf',
          fileSize: pdf.byteLength,
        };
        const refusals = await service.precheck(DEMO, submission);
        if (refusals.length > 0) throw new Error(`refused: ${refusals.map((r) => r.code).join(',')}`);
        await service.submit(DEMO, submission);
        latencies.push(performance.now() - t0);
      });
      rates.push(DEPOSITS / ((performance.now() - started) / 1000));
    }
    // The same recognition alone, for scale: the deposit path is bound by it.
    const recognitionRates: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      await pool(100, CONCURRENCY, () => recognizer.inspect(pdf, 'facture.pdf'));
      recognitionRates.push(100 / ((performance.now() - started) / 1000));
    }
    console.log(
      `recognition alone (same PDF, same worker pool): ${median(recognitionRates).toFixed(1)} documents/s`,
    );
    console.log(
      `deposits (deposer/pdf + precheck + soumettre), ${CONCURRENCY} concurrent, ${DEPOSITS}/run: ` +
        `${median(rates).toFixed(1)} deposits/s (median of ${RUNS}); ` +
        `latency p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms`,
    );
  } finally {
    await sim.stop();
    await recognizer.close();
  }
}
