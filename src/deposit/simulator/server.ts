import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { z } from 'zod';
import { SIM_CODES } from '../api/codes.js';
import { OPERATIONS, type Operation } from '../api/operations.js';
import { sleep } from '../retry.js';
import type { Fault } from './faults.js';
import { faultFromHeader, type createFaultBoard } from './faults.js';
import * as fu from './follow-up-routes.js';
import * as lookup from './invoice-lookup-routes.js';
import * as upload from './pdf-upload-route.js';
import * as submit from './submit-route.js';
import * as flux from './flux-routes.js';
import type { SeedAccount } from './seed.js';
import * as str from './structure-routes.js';
import { SimError, findAccount, type World } from './world.js';

/** Base64 of a 10 MB PDF is ~13.4 MB: anything beyond this cannot be a valid request. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const MAX_FORM_BYTES = 64 * 1024;

type Handler = (world: World, account: SeedAccount, body: never) => unknown;
interface Route {
  op: Operation;
  handle: Handler;
}

const ROUTES = new Map<string, Route>(
  (
    [
      [OPERATIONS.rechercherStructure, str.rechercherStructure],
      [OPERATIONS.consulterStructure, str.consulterStructure],
      [OPERATIONS.rechercherServices, str.rechercherServices],
      [OPERATIONS.consulterService, str.consulterService],
      [OPERATIONS.structuresActivesFournisseur, str.structuresActivesFournisseur],
      [OPERATIONS.coordBancValides, str.coordBancValides],
      [OPERATIONS.rattachements, str.rattachements],
      [OPERATIONS.deposerPdf, upload.deposerPdf],
      [OPERATIONS.soumettre, submit.soumettre],
      [OPERATIONS.rechercherFournisseur, lookup.rechercherFournisseur],
      [OPERATIONS.consulterFacture, lookup.consulterFacture],
      [OPERATIONS.consulterHistorique, lookup.consulterHistorique],
      [OPERATIONS.ajouterFichier, fu.ajouterFichier],
      [OPERATIONS.completer, fu.completer],
      [OPERATIONS.recycler, fu.recycler],
      [OPERATIONS.deposerFlux, flux.deposerFlux],
      [OPERATIONS.consulterCR, flux.consulterCR],
      [OPERATIONS.consulterCRDetaille, flux.consulterCRDetaille],
    ] as Array<[Operation, Handler]>
  ).map(([op, handle]) => [`/cpro${op.path}`, { op, handle }]),
);

export interface ServerOptions {
  world: World;
  faults: ReturnType<typeof createFaultBoard>;
  clientId: string;
  clientSecret: string;
  tokenTtlSeconds: number;
  /** Control routes under /_simulator/ (status moves, clock, faults, listing). */
  control: (req: IncomingMessage, res: ServerResponse, body: () => Promise<unknown>) => Promise<void>;
}

export interface SimulatorServer {
  server: Server;
  revokeTokens(): void;
  requestCounts: Map<string, number>;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

class BodyTooLarge extends Error {}

/** Reads a body up to `limit`; beyond it, drains the rest (so the client reads our 413) and rejects. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] ?? 0) > limit;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (size > limit * 4) req.socket.destroy();
      else if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => (tooLarge ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

export function createSimulatorServer(options: ServerOptions): SimulatorServer {
  const { world } = options;
  const tokens = new Map<string, number>();
  const requestCounts = new Map<string, number>();
  const log = world.logger;

  async function applyFaults(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ): Promise<{ handled: boolean; dropAfter: boolean }> {
    const faults: Fault[] = options.faults.take(path);
    const fromHeader = faultFromHeader(req.headers['x-simulator-fault'] as string | undefined);
    if (fromHeader) faults.push(fromHeader);
    for (const f of faults.filter((x) => x.kind === 'latency')) await sleep(f.latencyMs);
    if (faults.some((f) => f.kind === 'drop')) {
      log.info({ path }, 'fault: connection dropped before processing');
      req.socket.destroy();
      return { handled: true, dropAfter: false };
    }
    const error = faults.find((f) => f.kind === 'error');
    if (error) {
      send(res, error.status, { codeRetour: error.status, libelle: 'Erreur interne simulée' });
      return { handled: true, dropAfter: false };
    }
    const limited = faults.find((f) => f.kind === 'rate-limit');
    if (limited) {
      const headers: Record<string, string> =
        limited.retryAfterSeconds !== undefined ? { 'retry-after': String(limited.retryAfterSeconds) } : {};
      send(res, 429, { codeRetour: 429, libelle: 'Trop de requêtes (simulé)' }, headers);
      return { handled: true, dropAfter: false };
    }
    return { handled: false, dropAfter: faults.some((f) => f.kind === 'drop-after-apply') };
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams((await readBody(req, MAX_FORM_BYTES)).toString('utf8'));
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const [u, ...p] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
      id = decodeURIComponent(u ?? '');
      secret = decodeURIComponent(p.join(':'));
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return send(res, 400, {
        error: 'unsupported_grant_type',
        error_description: 'grant_type=client_credentials attendu',
      });
    }
    if (id !== options.clientId || secret !== options.clientSecret) {
      return send(res, 401, {
        error: 'invalid_client',
        error_description: 'Client PISTE inconnu ou secret invalide',
      });
    }
    const nowMs = world.now().getTime();
    for (const [t, exp] of tokens) if (exp <= nowMs) tokens.delete(t);
    const value = randomBytes(24).toString('base64url');
    tokens.set(value, nowMs + options.tokenTtlSeconds * 1000);
    send(
      res,
      200,
      { access_token: value, token_type: 'Bearer', expires_in: options.tokenTtlSeconds, scope: 'openid' },
      { 'cache-control': 'no-store' },
    );
  }

  function authenticate(req: IncomingMessage): SeedAccount | string {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!bearer) return 'Jeton d’accès absent';
    const expiresAt = tokens.get(bearer[1]!);
    if (expiresAt === undefined || expiresAt <= world.now().getTime())
      return 'Jeton d’accès invalide ou expiré';
    const header = req.headers['cpro-account'];
    if (typeof header !== 'string' || header === '') return 'En-tête cpro-account absent';
    const decoded = Buffer.from(header, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const account =
      colon > 0 ? findAccount(world.seed, decoded.slice(0, colon), decoded.slice(colon + 1)) : undefined;
    return account ?? 'Compte technique inconnu ou mot de passe invalide';
  }

  async function api(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const route = ROUTES.get(path);
    if (!route) return send(res, 404, { codeRetour: 404, libelle: `API inconnue : ${path}` });
    if (req.method !== 'POST')
      return send(res, 405, { codeRetour: 405, libelle: 'Méthode POST attendue' }, { allow: 'POST' });
    const account = authenticate(req);
    if (typeof account === 'string') {
      req.resume();
      return send(res, 401, { codeRetour: 401, libelle: account }, { 'www-authenticate': 'Bearer' });
    }
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      req.resume();
      return send(res, 415, { codeRetour: 415, libelle: 'Content-Type application/json attendu' });
    }
    const fault = await applyFaults(req, res, path);
    if (fault.handled) return;
    let raw: unknown;
    try {
      raw = JSON.parse((await readBody(req, MAX_BODY_BYTES)).toString('utf8'));
    } catch (error) {
      if (error instanceof BodyTooLarge)
        return send(res, 413, {
          codeRetour: SIM_CODES.fileTooLarge,
          libelle: 'Requête trop volumineuse (10 Mo au plus pour le PDF)',
        });
      return send(res, 400, { codeRetour: SIM_CODES.requestInvalid, libelle: 'Corps JSON illisible' });
    }
    const parsed = route.op.request.safeParse(raw);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(racine)'} : ${i.message}`)
        .join(' ; ');
      return send(res, 400, {
        codeRetour: SIM_CODES.requestInvalid,
        libelle: `Requête invalide : ${detail}`,
      });
    }
    requestCounts.set(route.op.name, (requestCounts.get(route.op.name) ?? 0) + 1);
    let status = 200;
    let body: unknown;
    try {
      body = await route.handle(world, account, parsed.data as never);
      const checked = route.op.response.safeParse(body);
      if (!checked.success) {
        log.error(
          { op: route.op.name, issues: (checked.error as z.ZodError).issues },
          'simulator answer does not match its schema',
        );
        status = 500;
        body = { codeRetour: 500, libelle: 'Erreur interne du simulateur' };
      }
    } catch (error) {
      if (!(error instanceof SimError)) throw error;
      status = error.httpStatus;
      body = { codeRetour: error.codeRetour, libelle: error.libelle };
    }
    if (fault.dropAfter) {
      log.info({ path }, 'fault: connection dropped after processing');
      req.socket.destroy();
      return;
    }
    send(res, status, body);
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const started = performance.now();
    let work: Promise<void>;
    if (path === '/api/oauth/token' && req.method === 'POST') {
      work = applyFaults(req, res, path).then((f) => (f.handled ? undefined : token(req, res)));
    } else if (path.startsWith('/cpro/')) work = api(req, res, path);
    else if (path.startsWith('/_simulator/'))
      work = options.control(req, res, async () =>
        JSON.parse((await readBody(req, MAX_FORM_BYTES)).toString('utf8') || '{}'),
      );
    else work = Promise.resolve(send(res, 404, { codeRetour: 404, libelle: 'Introuvable' }));
    work
      .catch((error: unknown) => {
        if (error instanceof BodyTooLarge)
          return send(res, 413, { codeRetour: SIM_CODES.fileTooLarge, libelle: 'Requête trop volumineuse' });
        log.error({ err: error, path }, 'simulator request failed');
        if (!res.headersSent) send(res, 500, { codeRetour: 500, libelle: 'Erreur interne du simulateur' });
      })
      .finally(() =>
        log.debug(
          { method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) },
          'simulator request',
        ),
      );
  });
  return { server, requestCounts, revokeTokens: () => tokens.clear() };
}
