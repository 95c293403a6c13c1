import type { HttpFetch } from '../shared/http-client.js';
import type { Logger } from '../shared/logger.js';
import {
  OPERATIONS,
  type Operation,
  type OperationKey,
  type RequestOf,
  type ResponseOf,
} from './api/operations.js';
import { createChorusHttp, type CallOptions, type ChorusHttp } from './http.js';
import { createPisteTokenProvider, type TokenProvider } from './token-provider.js';

/** Where and how to reach one Chorus Pro environment (per installation). */
export interface ChorusInstallation {
  apiUrl: string;
  oauthUrl: string;
  clientId: string;
  clientSecret: string;
  logger?: Logger;
  /** The HTTP client (default `httpFetch`; tests wrap it to count calls). */
  fetch?: HttpFetch;
  timeoutMs?: number;
  uploadTimeoutMs?: number;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  maxRetryAfterMs?: number;
  /** Token renewal margin before expiry (default 4 minutes, capped to a quarter of the lifetime). */
  tokenRefreshMarginMs?: number;
}

export interface ChorusClientDeps extends ChorusInstallation {
  techLogin: string;
  techPassword: string;
  /** Share one token cache between the clients of several technical accounts. */
  tokens?: TokenProvider;
}

/**
 * The PISTE client: one typed method per Chorus Pro operation (request validated before sending,
 * answer validated on the way back) plus `call` for any operation of `OPERATIONS`.
 */
export interface ChorusClient {
  call<K extends OperationKey>(key: K, body: RequestOf<K>, options?: CallOptions): Promise<ResponseOf<K>>;
  /** Structures the technical account may invoice for (`idStructureCPP` = `idFournisseur`). */
  supplierStructures(options?: CallOptions): Promise<ResponseOf<'structuresActivesFournisseur'>>;
  /** The technical account's structures with their services (`idServiceFournisseur`). */
  supplierAttachments(options?: CallOptions): Promise<ResponseOf<'rattachements'>>;
  /** Valid bank details of a supplier structure. */
  bankAccounts(idStructure: number, options?: CallOptions): Promise<ResponseOf<'coordBancValides'>>;
  searchStructures(
    body: RequestOf<'rechercherStructure'>,
    options?: CallOptions,
  ): Promise<ResponseOf<'rechercherStructure'>>;
  consultStructure(idStructureCPP: number, options?: CallOptions): Promise<ResponseOf<'consulterStructure'>>;
  structureServices(idStructure: number, options?: CallOptions): Promise<ResponseOf<'rechercherServices'>>;
  consultService(
    idStructure: number,
    idService: number,
    options?: CallOptions,
  ): Promise<ResponseOf<'consulterService'>>;
  depositPdf(
    file: { fileName: string; bytes: Uint8Array },
    options?: CallOptions,
  ): Promise<ResponseOf<'deposerPdf'>>;
  /** Never retried after an unknown outcome: see `createDepositService().submit`. */
  submit(body: RequestOf<'soumettre'>, options?: CallOptions): Promise<ResponseOf<'soumettre'>>;
  searchInvoices(
    body: RequestOf<'rechercherFournisseur'>,
    options?: CallOptions,
  ): Promise<ResponseOf<'rechercherFournisseur'>>;
  consultInvoice(
    identifiantFactureCPP: number,
    options?: CallOptions,
  ): Promise<ResponseOf<'consulterFacture'>>;
  invoiceHistory(idFacture: number, options?: CallOptions): Promise<ResponseOf<'consulterHistorique'>>;
}

export function createTokenProviderFor(installation: ChorusInstallation): TokenProvider {
  return createPisteTokenProvider({
    oauthUrl: installation.oauthUrl,
    clientId: installation.clientId,
    clientSecret: installation.clientSecret,
    fetch: installation.fetch,
    logger: installation.logger,
    timeoutMs: installation.timeoutMs,
    maxRetries: installation.maxRetries,
    retryBaseDelayMs: installation.retryBaseDelayMs,
    refreshMarginMs: installation.tokenRefreshMarginMs,
  });
}

export function createChorusClient(deps: ChorusClientDeps): ChorusClient {
  const http: ChorusHttp = createChorusHttp({
    apiUrl: deps.apiUrl,
    tokens: deps.tokens ?? createTokenProviderFor(deps),
    techLogin: deps.techLogin,
    techPassword: deps.techPassword,
    fetch: deps.fetch,
    logger: deps.logger,
    timeoutMs: deps.timeoutMs,
    uploadTimeoutMs: deps.uploadTimeoutMs,
    maxRetries: deps.maxRetries,
    retryBaseDelayMs: deps.retryBaseDelayMs,
    maxRetryAfterMs: deps.maxRetryAfterMs,
  });
  const call = <K extends OperationKey>(
    key: K,
    body: RequestOf<K>,
    options?: CallOptions,
  ): Promise<ResponseOf<K>> =>
    http.call(OPERATIONS[key] as Operation, body, options) as Promise<ResponseOf<K>>;

  return {
    call,
    supplierStructures: (o) => call('structuresActivesFournisseur', {}, o),
    supplierAttachments: (o) =>
      call('rattachements', { parametresRecherche: { nbResultatsParPage: 100, pageResultatDemandee: 1 } }, o),
    bankAccounts: (idStructure, o) => call('coordBancValides', { idStructure }, o),
    searchStructures: (body, o) => call('rechercherStructure', body, o),
    consultStructure: (idStructureCPP, o) =>
      call('consulterStructure', { idStructureCPP, codeLangue: 'fr' }, o),
    structureServices: (idStructure, o) =>
      call(
        'rechercherServices',
        {
          idStructure,
          parametresRechercherServicesStructure: { nbResultatsParPage: 1000, pageResultatDemandee: 1 },
        },
        o,
      ),
    consultService: (idStructure, idService, o) =>
      call('consulterService', { idStructure, idService, codeLangue: 'fr' }, o),
    depositPdf: (file, o) =>
      call(
        'deposerPdf',
        {
          fichierFacture: Buffer.from(
            file.bytes.buffer,
            file.bytes.byteOffset,
            file.bytes.byteLength,
          ).toString('base64'),
          formatDepot: 'PDF_NON_SIGNE',
          nomFichier: file.fileName,
        },
        o,
      ),
    submit: (body, o) => call('soumettre', body, o),
    searchInvoices: (body, o) => call('rechercherFournisseur', body, o),
    consultInvoice: (identifiantFactureCPP, o) =>
      call('consulterFacture', { identifiantFactureCPP, codeLangue: 'fr' }, o),
    invoiceHistory: (idFacture, o) =>
      call(
        'consulterHistorique',
        { idFacture, paramRechercheHistoStatuts: { nbResultatsParPage: 100, pageResultatDemandee: 1 } },
        o,
      ),
  };
}

/**
 * One client per technical account, sharing the installation's token cache (the PISTE token
 * belongs to the application, not to the account). Use as `createDepositService({ clientFor })`.
 */
export function createChorusClientFactory(
  installation: ChorusInstallation,
): (creds: { login: string; password: string }) => ChorusClient {
  const tokens = createTokenProviderFor(installation);
  const clients = new Map<string, ChorusClient>();
  return (creds) => {
    const key = `${creds.login}\u0000${creds.password}`;
    let client = clients.get(key);
    if (!client) {
      client = createChorusClient({
        ...installation,
        techLogin: creds.login,
        techPassword: creds.password,
        tokens,
      });
      if (clients.size >= 1000) clients.clear();
      clients.set(key, client);
    }
    return client;
  };
}
