/**
 * Shared setup of the deposit tests: the embedded simulator (real HTTP on 127.0.0.1, the real
 * recognition engine), a DepositService pointed at it, and invoice PDFs drawn by the fixtures.
 */
import { createRecognizer } from '../../src/recognition/index.js';
import type { Recognizer } from '../../src/recognition/types.js';
import { httpFetch, type HttpFetch } from '../../src/shared/http-client.js';
import {
  createChorusClientFactory,
  createDepositService,
  startSimulator,
  type ChorusInstallation,
  type DepositService,
  type RunningSimulator,
  type SimulatorOptions,
  type Submission,
} from '../../src/deposit/index.js';
import { invoiceLines, renderPdf, type InvoiceOptions } from '../fixtures/pdf-lib-invoice.js';

export const DEMO = { login: 'demo', password: 'demo' } as const;
export const SUPPLIER_ID = 26100001;
export const SIRET = {
  commune: '21330063500017',
  hospital: '26330002200013',
  university: '19330001900018',
  ministry: '11000001500013',
  agency: '13000123300019',
  inactive: '21330099900017',
  factor: '39876543800013',
} as const;

export interface Harness {
  sim: RunningSimulator;
  recognizer: Recognizer;
  installation: ChorusInstallation;
  service: DepositService;
  /** Every request the client sent: path and parsed JSON body. */
  sent: Array<{ url: string; body: unknown }>;
  close(): Promise<void>;
}

export async function startHarness(
  options: Partial<SimulatorOptions> = {},
  recognizer?: Recognizer,
): Promise<Harness> {
  const ownRecognizer = !recognizer;
  const rec = recognizer ?? createRecognizer({ poolSize: 1 });
  const sim = await startSimulator({ recognizer: rec, ...options });
  const sent: Harness['sent'] = [];
  // The Chorus client's own HTTP client, recording the JSON bodies (not the OAuth form).
  const recordingFetch: HttpFetch = async (url, init) => {
    if (init.headers['content-type']?.startsWith('application/json'))
      sent.push({ url, body: JSON.parse(init.body) });
    return httpFetch(url, init);
  };
  const installation: ChorusInstallation = {
    apiUrl: sim.apiUrl,
    oauthUrl: sim.oauthUrl,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
    fetch: recordingFetch,
    retryBaseDelayMs: 5,
    timeoutMs: 5_000,
  };
  const service = createDepositService({
    clientFor: createChorusClientFactory(installation),
    lookupDelayMs: 20,
  });
  return {
    sim,
    recognizer: rec,
    installation,
    service,
    sent,
    async close() {
      await sim.stop();
      if (ownRecognizer) await rec.close();
    },
  };
}

let counter = 0;
/** A unique, valid invoice number per call (tests share one simulator per file). */
export function nextNumber(prefix = 'T'): string {
  counter += 1;
  return `${prefix}-${process.pid % 1000}-${counter}`;
}

export function invoicePdf(options: InvoiceOptions = {}): Promise<Uint8Array> {
  return renderPdf(invoiceLines(options));
}

/** A submission to the commune that Chorus accepts, with `overrides`. */
export function submission(pieceJointeId: number, overrides: Partial<Submission> = {}): Submission {
  return {
    cadre: 'A1',
    invoiceNumber: nextNumber(),
    invoiceDate: '2026-03-15',
    invoiceType: 'FACTURE',
    recipientSiret: SIRET.commune,
    supplierId: SUPPLIER_ID,
    bankAccountId: 116050,
    currency: 'EUR',
    vatRegime: 'TVA_SUR_DEBIT',
    totalExclTaxCents: 125_000,
    totalTaxCents: 25_000,
    totalInclTaxCents: 150_000,
    pieceJointeId,
    fileName: 'facture.pdf',
    fileSize: 2_000,
    ...overrides,
  };
}

/** Deposits a fresh PDF and returns its attachment id. */
export async function depositFresh(h: Harness, pdf: Uint8Array): Promise<number> {
  return (await h.service.depositPdf(DEMO, { fileName: 'facture.pdf', bytes: pdf })).pieceJointeId;
}
