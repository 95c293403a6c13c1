import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ChorusAuthError,
  ChorusInputError,
  ChorusTransportError,
  SubmitOutcomeUnknownError,
  createChorusClient,
  createChorusClientFactory,
  createDepositService,
  createPisteTokenProvider,
  type ChorusInstallation,
} from '../../src/deposit/index.js';
import { DEMO, depositFresh, invoicePdf, startHarness, submission, type Harness } from './helpers.js';
import { httpFetch, type HttpFetch } from '../../src/shared/http-client.js';

let h: Harness;
let pdf: Uint8Array;

beforeAll(async () => {
  h = await startHarness({ lifecycle: false });
  pdf = await invoicePdf();
});
afterAll(() => h?.close());
beforeEach(() => h.sim.clearFaults());

/** The client's HTTP client, counting the requests per URL suffix. */
function countingFetch() {
  const counts = new Map<string, number>();
  const f: HttpFetch = (url, init) => {
    const path = new URL(url).pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    return httpFetch(url, init);
  };
  return {
    fetch: f,
    count: (suffix: string) => [...counts].filter(([p]) => p.endsWith(suffix)).reduce((n, [, c]) => n + c, 0),
  };
}

function client(extra: Partial<ChorusInstallation> & { techLogin?: string; techPassword?: string } = {}) {
  return createChorusClient({
    ...h.installation,
    techLogin: DEMO.login,
    techPassword: DEMO.password,
    ...extra,
  });
}

describe('PISTE token', () => {
  it('is fetched once for many concurrent calls, then reused', async () => {
    const counter = countingFetch();
    const c = client({ fetch: counter.fetch });
    await Promise.all(Array.from({ length: 20 }, () => c.supplierStructures()));
    await c.supplierStructures();
    expect(counter.count('/api/oauth/token')).toBe(1);
    expect(counter.count('/structures/actives/fournisseur')).toBe(21);
  });

  it('is renewed before it expires', async () => {
    const short = await startHarness({ tokenTtlSeconds: 1, lifecycle: false }, h.recognizer);
    try {
      const counter = countingFetch();
      const c = createChorusClient({
        ...short.installation,
        fetch: counter.fetch,
        techLogin: 'demo',
        techPassword: 'demo',
      });
      await c.supplierStructures();
      await new Promise((r) => setTimeout(r, 1_100));
      await c.supplierStructures();
      expect(counter.count('/api/oauth/token')).toBe(2);
      expect(counter.count('/structures/actives/fournisseur')).toBe(2);
    } finally {
      await short.close();
    }
  });

  it('is renewed once when the API refuses it (401), then the call succeeds', async () => {
    const counter = countingFetch();
    const c = client({ fetch: counter.fetch });
    await c.supplierStructures();
    h.sim.revokeTokens();
    const result = await c.supplierStructures();
    expect(result.listeStructures).toHaveLength(2);
    expect(counter.count('/api/oauth/token')).toBe(2);
    expect(counter.count('/structures/actives/fournisseur')).toBe(3);
  });

  it('expires with the simulated clock too', async () => {
    const counter = countingFetch();
    const c = client({ fetch: counter.fetch });
    await c.supplierStructures();
    await h.sim.advanceClock(3_601_000);
    await c.supplierStructures();
    expect(counter.count('/api/oauth/token')).toBe(2);
  });

  it('a wrong PISTE secret is an authentication error naming the application', async () => {
    const error = await client({ clientSecret: 'wrong' })
      .supplierStructures()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChorusAuthError);
    expect((error as ChorusAuthError).failure).toBe('piste-client');
    expect((error as ChorusAuthError).userMessage).toMatch(/PISTE/);
  });

  it('a wrong technical account is an authentication error (after one token renewal)', async () => {
    const counter = countingFetch();
    const error = await client({ techPassword: 'nope', fetch: counter.fetch })
      .supplierStructures()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChorusAuthError);
    expect((error as ChorusAuthError).failure).toBe('technical-account');
    expect((error as ChorusAuthError).userMessage).toMatch(/compte technique/);
    expect(counter.count('/structures/actives/fournisseur')).toBe(2);
  });

  it('token requests are retried on server errors', async () => {
    const provider = createPisteTokenProvider({ ...h.installation, retryBaseDelayMs: 1 });
    h.sim.injectFault({ kind: 'error', operation: 'token', times: 2 });
    expect(await provider.get()).toMatch(/.{20,}/);
  });
});

describe('directory cache of the deposit service', () => {
  it('reads a recipient’s rules once for many prechecks, again once the cache expired', async () => {
    const counter = countingFetch();
    let clock = Date.parse('2026-03-15T09:00:00Z');
    const service = createDepositService({
      clientFor: createChorusClientFactory({ ...h.installation, fetch: counter.fetch }),
      now: () => new Date(clock),
      directoryCacheTtlMs: 60_000,
    });
    const s = submission(1, { recipientSiret: '26330002200013', serviceCode: 'FACTURATION' });
    const results = await Promise.all(Array.from({ length: 10 }, () => service.precheck(DEMO, s)));
    expect(results.every((r) => r.length === 0)).toBe(true);
    expect(counter.count('/structures/v1/consulter')).toBe(1);
    expect(counter.count('/structures/v1/rechercher/services')).toBe(1);
    // Supplier-specific answers are never cached.
    expect(counter.count('/recuperer/coordbanc/valides')).toBe(10);
    expect(counter.count('/factures/v1/rechercher/fournisseur')).toBe(10);
    clock += 61_000;
    await service.precheck(DEMO, s);
    expect(counter.count('/structures/v1/consulter')).toBe(2);
  });

  it('does not keep failures', async () => {
    const counter = countingFetch();
    const service = createDepositService({
      clientFor: createChorusClientFactory({ ...h.installation, fetch: counter.fetch, maxRetries: 0 }),
    });
    h.sim.injectFault({ kind: 'error', operation: '/structures/v1/rechercher' });
    await expect(service.searchStructures(DEMO, '2133')).rejects.toBeInstanceOf(ChorusTransportError);
    expect((await service.searchStructures(DEMO, '2133')).length).toBeGreaterThan(0);
    expect(counter.count('/structures/v1/rechercher')).toBe(2);
  });
});

describe('supplier side', () => {
  it('lists the technical account’s structures with their services', async () => {
    const result = await client().supplierAttachments();
    const list = result.listeStructureRattachement ?? [];
    expect(list.map((s) => s.identifiantStructure)).toEqual(['91234567500017', '91234567500025']);
    expect(list[0]!.listeServicesRattache?.map((s) => s.codeService)).toEqual(['CONSEIL', 'FORMATION']);
  });
});

describe('retries of reads', () => {
  it('retries 500s with backoff until it succeeds', async () => {
    const counter = countingFetch();
    h.sim.injectFault({ kind: 'error', operation: '/structures/v1/rechercher', times: 2 });
    const result = await client({ fetch: counter.fetch }).searchStructures({
      structure: { identifiantStructure: '2133' },
    });
    expect(result.listeStructures?.length).toBeGreaterThan(0);
    expect(counter.count('/structures/v1/rechercher')).toBe(3);
  });

  it('honours Retry-After on 429: waits when short, gives up when longer than it accepts', async () => {
    const counter = countingFetch();
    h.sim.injectFault({ kind: 'rate-limit', operation: '/structures/v1/consulter', retryAfterSeconds: 0 });
    const result = await client({ fetch: counter.fetch }).consultStructure(25000101);
    expect(result.informationGenerales?.identifiantStructure).toBe('21330063500017');
    expect(counter.count('/structures/v1/consulter')).toBe(2);

    h.sim.injectFault({ kind: 'rate-limit', operation: '/structures/v1/consulter', retryAfterSeconds: 120 });
    const error = await client({ fetch: counter.fetch, maxRetryAfterMs: 60_000 })
      .consultStructure(25000101)
      .catch((e: unknown) => e);
    expect((error as ChorusTransportError).failure).toBe('rate-limited');
    expect((error as ChorusTransportError).userMessage).toMatch(/trop de demandes/);
    expect(counter.count('/structures/v1/consulter')).toBe(3);
  });

  it('gives up after its retries with a transport error', async () => {
    h.sim.injectFault({ kind: 'error', operation: '/structures/v1/consulter', times: 10, status: 503 });
    const error = await client({ maxRetries: 2 })
      .consultStructure(25000101)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChorusTransportError);
    expect((error as ChorusTransportError).failure).toBe('server-error');
    expect((error as ChorusTransportError).userMessage).toMatch(/Réessayez/);
  });

  it('retries a dropped connection and a timeout', async () => {
    h.sim.injectFault({ kind: 'drop', operation: '/recuperer/coordbanc/valides' });
    expect((await client().bankAccounts(26100001)).listeCoordonneeBancaire).toHaveLength(3);
    h.sim.injectFault({ kind: 'latency', operation: '/recuperer/coordbanc/valides', latencyMs: 3_000 });
    const counter = countingFetch();
    // The first attempt times out; the next ones (no latency) answer well within a second.
    const result = await client({ timeoutMs: 1_000, fetch: counter.fetch }).bankAccounts(26100001);
    expect(result.listeCoordonneeBancaire).toHaveLength(3);
    expect(counter.count('/recuperer/coordbanc/valides')).toBeGreaterThanOrEqual(2);
  });

  it('validates what it sends: nothing leaves on invalid input', async () => {
    const counter = countingFetch();
    const error = await client({ fetch: counter.fetch })
      .consultStructure(-4)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChorusInputError);
    expect(counter.count('/structures/v1/consulter')).toBe(0);
  });

  it('validates what it receives: an unreadable answer is a transport error', async () => {
    const broken: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).endsWith('/structures/v1/consulter')) return response;
      return new Response(
        JSON.stringify({ codeRetour: 0, libelle: 'ok', parametres: { codeServiceDoitEtreRenseigne: 'oui' } }),
        {
          status: 200,
        },
      );
    };
    const error = await client({ fetch: broken })
      .consultStructure(25000101)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChorusTransportError);
    expect((error as ChorusTransportError).failure).toBe('invalid-response');
  });

  it('a PDF over 10 MB gets HTTP 413 from Chorus and a clear message', async () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 10);
    big.set(Buffer.from('%PDF-1.7\n'));
    const error = await client()
      .depositPdf({ fileName: 'gros.pdf', bytes: big })
      .catch((e: unknown) => e);
    expect((error as { refusal?: { code: string } }).refusal?.code).toBe('file-too-large');
    await expect(h.service.depositPdf(DEMO, { fileName: 'gros.pdf', bytes: big })).rejects.toMatchObject({
      code: 'chorus-input-invalid',
      userMessage: expect.stringMatching(/10 Mo/),
    });
  });
});

describe('soumettre is never deposited twice', () => {
  it('after a dropped connection once soumettre was applied, finds the invoice instead of re-submitting', async () => {
    const counter = countingFetch();
    const service = createDepositService({
      clientFor: createChorusClientFactory({ ...h.installation, fetch: counter.fetch }),
      lookupDelayMs: 10,
    });
    const s = submission(await depositFresh(h, pdf));
    h.sim.injectFault({ kind: 'drop-after-apply', operation: '/factures/v1/soumettre' });
    const receipt = await service.submit(DEMO, s);
    expect(receipt.invoiceNumber).toBe(s.invoiceNumber);
    expect(receipt.status).toBe('DEPOSEE');
    expect(counter.count('/factures/v1/soumettre')).toBe(1);
    const same = h.sim.listInvoices().filter((i) => i.number === s.invoiceNumber);
    expect(same).toHaveLength(1);
    expect(same[0]!.id).toBe(receipt.chorusInvoiceId);
  });

  it('after a 500 before anything was applied, searches, finds nothing, and submits again once', async () => {
    const counter = countingFetch();
    const service = createDepositService({
      clientFor: createChorusClientFactory({ ...h.installation, fetch: counter.fetch }),
      lookupAttempts: 1,
    });
    const s = submission(await depositFresh(h, pdf));
    h.sim.injectFault({ kind: 'error', operation: '/factures/v1/soumettre' });
    const receipt = await service.submit(DEMO, s);
    expect(counter.count('/factures/v1/soumettre')).toBe(2);
    expect(counter.count('/factures/v1/rechercher/fournisseur')).toBeGreaterThanOrEqual(1);
    expect(
      h.sim
        .listInvoices()
        .filter((i) => i.number === s.invoiceNumber)
        .map((i) => i.id),
    ).toEqual([receipt.chorusInvoiceId]);
  });

  it('a 429 on soumettre was not processed: it waits and sends again', async () => {
    const s = submission(await depositFresh(h, pdf));
    h.sim.injectFault({ kind: 'rate-limit', operation: '/factures/v1/soumettre', retryAfterSeconds: 0 });
    await h.service.submit(DEMO, s);
    expect(h.sim.listInvoices().filter((i) => i.number === s.invoiceNumber)).toHaveLength(1);
  });

  it('when Chorus stays silent and the invoice is not found, says the outcome is unknown', async () => {
    const service = createDepositService({
      clientFor: createChorusClientFactory({ ...h.installation, maxRetries: 0 }),
      lookupAttempts: 1,
      maxSubmitAttempts: 2,
    });
    const s = submission(await depositFresh(h, pdf));
    h.sim.injectFault({ kind: 'drop', operation: '/factures/v1/soumettre', times: 2 });
    const error = await service.submit(DEMO, s).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SubmitOutcomeUnknownError);
    expect((error as SubmitOutcomeUnknownError).userMessage).toMatch(/vérifiera avant de redéposer/);
    expect(h.sim.listInvoices().filter((i) => i.number === s.invoiceNumber)).toHaveLength(0);
  });

  it('many concurrent submissions of one number: exactly one invoice', async () => {
    const number = submission(0).invoiceNumber;
    const pieces = await Promise.all(Array.from({ length: 5 }, () => depositFresh(h, pdf)));
    const results = await Promise.allSettled(
      pieces.map((p) => h.service.submit(DEMO, submission(p, { invoiceNumber: number }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(h.sim.listInvoices().filter((i) => i.number === number)).toHaveLength(1);
  });
});
