import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SIM_CODES,
  SimulatorBusyError,
  startSimulator,
  type RunningSimulator,
} from '../../src/deposit/index.js';
import { DEMO, depositFresh, invoicePdf, startHarness, submission, type Harness } from './helpers.js';

let h: Harness;
let token: string;
const account = Buffer.from('demo:demo').toString('base64');

async function getToken(sim: RunningSimulator): Promise<string> {
  const response = await fetch(sim.oauthUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'facteur-simulator',
      client_secret: 'facteur-simulator-secret',
      scope: 'openid',
    }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    access_token: string;
    token_type: string;
    expires_in: number;
    scope: string;
  };
  expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid' });
  return body.access_token;
}

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${h.sim.apiUrl}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'cpro-account': account,
      'content-type': 'application/json;charset=utf-8',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

beforeAll(async () => {
  h = await startHarness({ lifecycle: false });
  token = await getToken(h.sim);
});
afterAll(() => h?.close());

describe('HTTP behaviour like Chorus Pro through PISTE', () => {
  it('token endpoint: form post, Basic auth accepted, bad client 401 invalid_client, bad grant 400', async () => {
    const basic = await fetch(h.sim.oauthUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('facteur-simulator:facteur-simulator-secret').toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(basic.status).toBe(200);
    const bad = await fetch(h.sim.oauthUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' }),
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: 'invalid_client' });
    const grant = await fetch(h.sim.oauthUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password' }),
    });
    expect(grant.status).toBe(400);
  });

  it('401 without a token, with an unknown token, without or with a bad cpro-account', async () => {
    const path = '/transverses/v1/recuperer/structures/actives/fournisseur';
    const variants: Array<Record<string, string>> = [
      { authorization: '' },
      { authorization: 'Bearer not-a-token' },
      { 'cpro-account': '' },
      { 'cpro-account': Buffer.from('demo:wrong').toString('base64') },
      { 'cpro-account': 'pas du base64 valide' },
    ];
    for (const headers of variants) {
      const response = await post(path, {}, headers);
      expect(response.status).toBe(401);
      const body = (await response.json()) as { codeRetour: number; libelle: string };
      expect(body.codeRetour).not.toBe(0);
      expect(body.libelle.length).toBeGreaterThan(5);
    }
    expect((await post(path, {})).status).toBe(200);
  });

  it('415 for a body that is not JSON, 400 with an envelope for a malformed request, 404 for an unknown API', async () => {
    const notJson = await post('/structures/v1/consulter', 'idStructureCPP=1', {
      'content-type': 'text/plain',
    });
    expect(notJson.status).toBe(415);
    const garbage = await post('/structures/v1/consulter', '{not json');
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toMatchObject({ codeRetour: SIM_CODES.requestInvalid });
    const invalid = await post('/structures/v1/consulter', { idStructureCPP: 'abc' });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { libelle: string }).libelle).toMatch(/idStructureCPP/);
    expect((await post('/structures/v1/inexistant', {})).status).toBe(404);
  });

  it('functional errors are HTTP 400 with a non-zero codeRetour', async () => {
    const response = await post('/structures/v1/consulter', { idStructureCPP: 99 });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      codeRetour: SIM_CODES.structureUnknown,
      libelle: expect.any(String),
    });
  });

  it('413 for a PDF over 10 MB', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1);
    const response = await post('/factures/v1/deposer/pdf', {
      fichierFacture: big.toString('base64'),
      formatDepot: 'PDF_NON_SIGNE',
      nomFichier: 'gros.pdf',
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ codeRetour: SIM_CODES.fileTooLarge });
  });

  it('refuses a file that is not a PDF with a functional error', async () => {
    const response = await post('/factures/v1/deposer/pdf', {
      fichierFacture: Buffer.from('bonjour, je ne suis pas un PDF').toString('base64'),
      formatDepot: 'PDF_NON_SIGNE',
      nomFichier: 'note.pdf',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { codeRetour: number }).codeRetour).toBe(SIM_CODES.pdfUnreadable);
    await expect(
      h.service.depositPdf(DEMO, { fileName: 'note.pdf', bytes: Buffer.from('pas un PDF') }),
    ).rejects.toMatchObject({
      code: 'chorus-refused',
      userMessage: expect.stringMatching(/^Chorus Pro ne peut pas lire ce fichier : .+/),
    });
  });

  it('fault header: 500, 429 with Retry-After, latency', async () => {
    const path = '/transverses/v1/recuperer/structures/actives/fournisseur';
    expect((await post(path, {}, { 'x-simulator-fault': '500' })).status).toBe(500);
    const limited = await post(path, {}, { 'x-simulator-fault': '429; retry-after=7' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await post(path, {}, { 'x-simulator-fault': 'latency=30' })).status).toBe(200);
  });

  it('control routes: list invoices, move a status with a comment, advance the clock, arm a fault', async () => {
    const receipt = await h.service.submit(DEMO, submission(await depositFresh(h, await invoicePdf())));
    const moved = await fetch(`${h.sim.url}/_simulator/invoices/${receipt.chorusInvoiceId}/status`, {
      method: 'POST',
      body: JSON.stringify({ status: 'REJETEE', comment: 'Montant erroné' }),
    });
    expect(moved.status).toBe(200);
    const list = (await (await fetch(`${h.sim.url}/_simulator/invoices`)).json()) as {
      invoices: Array<{ id: number; status: string; history: Array<{ comment?: string }> }>;
    };
    const mine = list.invoices.find((i) => i.id === receipt.chorusInvoiceId)!;
    expect(mine.status).toBe('REJETEE');
    expect(mine.history.at(-1)!.comment).toBe('Montant erroné');
    const before = h.sim.now().getTime();
    const clock = await fetch(`${h.sim.url}/_simulator/clock`, {
      method: 'POST',
      body: JSON.stringify({ advanceMs: 60_000 }),
    });
    expect(Date.parse(((await clock.json()) as { now: string }).now)).toBeGreaterThanOrEqual(before + 60_000);
    await fetch(`${h.sim.url}/_simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'error', operation: '/structures/v1/consulter' }),
    });
    token = await getToken(h.sim);
    expect((await post('/structures/v1/consulter', { idStructureCPP: 25000101 })).status).toBe(500);
    expect((await post('/structures/v1/consulter', { idStructureCPP: 25000101 })).status).toBe(200);
    expect(
      (await fetch(`${h.sim.url}/_simulator/invoices/1/status`, { method: 'POST', body: '{"status":"x"}' }))
        .status,
    ).toBe(400);
  });
});

describe('state, seed, lifecycle', () => {
  it('keeps invoices across a restart when given a data directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'facteur-sim-'));
    try {
      const first = await startHarness({ dataDir: dir, lifecycle: false }, h.recognizer);
      const s = submission(await depositFresh(first, await invoicePdf()));
      const receipt = await first.service.submit(DEMO, s);
      await first.sim.setInvoiceStatus(receipt.chorusInvoiceId, 'SUSPENDUE', 'Pièce manquante');
      await first.close();

      const second = await startHarness({ dataDir: dir, lifecycle: false }, h.recognizer);
      try {
        expect(await second.service.findDeposited(DEMO, s.invoiceNumber, s.invoiceDate)).toMatchObject({
          chorusInvoiceId: receipt.chorusInvoiceId,
          status: 'SUSPENDUE',
        });
        expect(
          (await second.service.precheck(DEMO, { ...s, pieceJointeId: 1 })).map((r) => r.code),
        ).toContain('invoice-number-used');
        // New ids keep growing after a restart.
        const next = await second.service.submit(
          DEMO,
          submission(await depositFresh(second, await invoicePdf())),
        );
        expect(next.chorusInvoiceId).toBeGreaterThan(receipt.chorusInvoiceId);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('one simulator per data directory: a second one is told where the first runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'facteur-lock-'));
    try {
      const first = await startSimulator({ recognizer: h.recognizer, dataDir: dir });
      const error = await startSimulator({ recognizer: h.recognizer, dataDir: dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SimulatorBusyError);
      expect((error as SimulatorBusyError).url).toBe(first.url);
      expect((error as SimulatorBusyError).userMessage).toContain('tourne déjà');
      await first.stop();
      const again = await startSimulator({ recognizer: h.recognizer, dataDir: dir });
      await again.stop();
      // A lock left by a process that died is taken over.
      await writeFile(
        join(dir, 'owner.json'),
        JSON.stringify({ pid: 2 ** 22 + 12345, url: 'http://127.0.0.1:1' }),
      );
      const afterCrash = await startSimulator({ recognizer: h.recognizer, dataDir: dir });
      await afterCrash.stop();
      // A pid that is alive but is not the owner (reused after a crash: here, this very process
      // and pid 1) counts for nothing: ownership is the OS-held lock, not the pid.
      for (const pid of [process.pid, 1]) {
        await writeFile(join(dir, 'owner.json'), JSON.stringify({ pid, url: 'http://127.0.0.1:1' }));
        const reused = await startSimulator({ recognizer: h.recognizer, dataDir: dir });
        await reused.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('advances statuses over (simulated) time', async () => {
    const timed = await startHarness(
      { lifecycle: { routingAfterMs: 1_000, availableAfterMs: 5_000 } },
      h.recognizer,
    );
    try {
      const receipt = await timed.service.submit(
        DEMO,
        submission(await depositFresh(timed, await invoicePdf())),
      );
      expect((await timed.service.followUp(DEMO, receipt.chorusInvoiceId)).status).toBe('DEPOSEE');
      await timed.sim.advanceClock(2_000);
      expect((await timed.service.followUp(DEMO, receipt.chorusInvoiceId)).status).toBe(
        'EN_COURS_ACHEMINEMENT',
      );
      await timed.sim.advanceClock(10_000);
      const followUp = await timed.service.followUp(DEMO, receipt.chorusInvoiceId);
      expect(followUp.status).toBe('MISE_A_DISPOSITION');
      expect(followUp.history.map((e) => e.status)).toEqual([
        'DEPOSEE',
        'EN_COURS_ACHEMINEMENT',
        'MISE_A_DISPOSITION',
      ]);
    } finally {
      await timed.close();
    }
  });

  it('loads extra seed files, and refuses a seed with an invalid SIRET', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'facteur-seed-'));
    try {
      const extra = join(dir, 'extra.json');
      await writeFile(
        extra,
        JSON.stringify({
          structures: [
            { idStructureCPP: 99000001, siret: '21330044100010', name: 'Commune nouvelle', type: 'PUBLIQUE' },
          ],
        }),
      );
      const more = await startHarness({ extraSeedFiles: [extra] }, h.recognizer);
      try {
        expect(await more.service.searchStructures(DEMO, '21330044100010')).toEqual([
          { idStructureCPP: 99000001, siret: '21330044100010', name: 'Commune nouvelle', active: true },
        ]);
      } finally {
        await more.close();
      }
      const bad = join(dir, 'bad.json');
      await writeFile(
        bad,
        JSON.stringify({
          structures: [{ idStructureCPP: 1, siret: '21330044100011', name: 'X', type: 'PUBLIQUE' }],
        }),
      );
      await expect(startSimulator({ recognizer: h.recognizer, extraSeedFiles: [bad] })).rejects.toMatchObject(
        {
          code: 'config-invalid',
          userMessage: expect.stringMatching(/Luhn/),
        },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('accepts overridden credentials', async () => {
    const custom = await startSimulator({
      recognizer: h.recognizer,
      credentials: { clientId: 'app', clientSecret: 's3cret', login: 'TECH_1@cpp2017.fr', password: 'pw' },
    });
    try {
      expect(custom.credentials).toEqual({
        clientId: 'app',
        clientSecret: 's3cret',
        login: 'TECH_1@cpp2017.fr',
        password: 'pw',
      });
      const ok = await fetch(custom.oauthUrl, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'app',
          client_secret: 's3cret',
        }),
      });
      expect(ok.status).toBe(200);
    } finally {
      await custom.stop();
    }
  });
});
