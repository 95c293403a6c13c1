import type { z } from 'zod';
import { deadlineSignal } from '../shared/abort.js';
import { httpFetch, type HttpAnswer, type HttpFetch } from '../shared/http-client.js';
import type { Logger } from '../shared/logger.js';
import { createSilentLogger } from '../shared/logger.js';
import { SIM_CODES } from './api/codes.js';
import { envelopeSchema } from './api/common.js';
import type { Operation } from './api/operations.js';
import { ChorusAuthError, ChorusInputError, ChorusRefusedError, ChorusTransportError } from './errors.js';
import { backoffDelay, parseRetryAfter, sleep } from './retry.js';
import { safeJson, type TokenProvider } from './token-provider.js';

export interface ChorusHttpDeps {
  /** API base, e.g. `https://sandbox-api.piste.gouv.fr/cpro` (no trailing slash). */
  apiUrl: string;
  tokens: TokenProvider;
  techLogin: string;
  techPassword: string;
  fetch?: HttpFetch;
  logger?: Logger;
  /** Per-attempt timeout (default 30 s; `deposer/pdf` gets `uploadTimeoutMs`, default 120 s). */
  timeoutMs?: number;
  uploadTimeoutMs?: number;
  /** Retries of a retryable operation after 429/5xx/network errors (default 3). */
  maxRetries?: number;
  retryBaseDelayMs?: number;
  /** Longest `Retry-After` we accept to wait (default 30 s); longer means "give up now". */
  maxRetryAfterMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** The one low-level HTTP layer: base URL, token, `cpro-account`, timeouts, retries, envelope. */
export interface ChorusHttp {
  call<Req extends z.ZodType, Res extends z.ZodType>(
    op: Operation<Req, Res>,
    body: z.input<Req>,
    options?: CallOptions,
  ): Promise<z.output<Res>>;
}

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);
/** Operations that carry a file (base64): they get the longer upload timeout. */
const UPLOADS = /\/(deposer\/pdf|deposer\/flux|ajouter\/fichier)$/;

export function cproAccountHeader(login: string, password: string): string {
  return Buffer.from(`${login}:${password}`, 'utf8').toString('base64');
}

export function createChorusHttp(deps: ChorusHttpDeps): ChorusHttp {
  const doFetch = deps.fetch ?? httpFetch;
  const logger = (deps.logger ?? createSilentLogger()).child({ component: 'chorus-http' });
  const base = deps.apiUrl.replace(/\/+$/, '');
  const account = cproAccountHeader(deps.techLogin, deps.techPassword);
  const timeoutMs = deps.timeoutMs ?? 30_000;
  const uploadTimeoutMs = deps.uploadTimeoutMs ?? 120_000;
  const maxRetries = deps.maxRetries ?? 3;
  const baseDelay = deps.retryBaseDelayMs ?? 250;
  const maxRetryAfter = deps.maxRetryAfterMs ?? 30_000;

  async function call<Req extends z.ZodType, Res extends z.ZodType>(
    op: Operation<Req, Res>,
    body: z.input<Req>,
    options: CallOptions = {},
  ): Promise<z.output<Res>> {
    const input = op.request.safeParse(body);
    if (!input.success) throw new ChorusInputError(op.name, input.error.issues);
    const payload = JSON.stringify(input.data);
    const perAttemptTimeout = UPLOADS.test(op.path) ? uploadTimeoutMs : timeoutMs;
    let tokenRefreshed = false;

    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      const token = await deps.tokens.get(options.signal);
      const deadline = deadlineSignal(perAttemptTimeout, [options.signal]);
      let response: HttpAnswer;
      let text: string;
      try {
        response = await doFetch(base + op.path, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'cpro-account': account,
            'content-type': 'application/json;charset=utf-8',
            accept: 'application/json;charset=utf-8',
          },
          body: payload,
          signal: deadline.signal,
        });
        text = await response.text();
      } catch (error) {
        if (options.signal?.aborted) throw error;
        const timeout =
          error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        const failure = timeout ? 'timeout' : 'network';
        if (op.retryable && attempt < maxRetries) {
          logger.warn({ op: op.name, attempt, failure }, 'chorus call failed, retrying');
          await sleep(backoffDelay(attempt, baseDelay), options.signal);
          continue;
        }
        throw new ChorusTransportError(op.name, failure, String(error), { cause: error });
      } finally {
        deadline.dispose();
      }
      const status = response.status;
      logger.debug(
        { op: op.name, status, attempt, ms: Math.round(performance.now() - started) },
        'chorus call',
      );

      if (status === 401) {
        // A refused token is renewed once; a second 401 with a fresh token is the technical account.
        if (!tokenRefreshed) {
          tokenRefreshed = true;
          deps.tokens.invalidate(token);
          attempt--;
          continue;
        }
        throw new ChorusAuthError(op.name, 'technical-account', `HTTP 401 ${text.slice(0, 200)}`);
      }
      if (status === 403) throw new ChorusAuthError(op.name, 'forbidden', `HTTP 403 ${text.slice(0, 200)}`);
      if (status === 413)
        throw new ChorusRefusedError(op.name, SIM_CODES.fileTooLarge, 'fichier trop volumineux (HTTP 413)');
      // 429 means the request was not processed, so even `soumettre` may wait and try again.
      if (status === 429 || RETRYABLE_STATUS.has(status)) {
        const failure = status === 429 ? 'rate-limited' : 'server-error';
        if ((status === 429 || op.retryable) && attempt < maxRetries) {
          const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
          if (retryAfter === undefined || retryAfter <= maxRetryAfter) {
            const delay = retryAfter ?? backoffDelay(attempt, baseDelay);
            logger.warn({ op: op.name, status, attempt, delay }, 'chorus busy, retrying');
            await sleep(delay, options.signal);
            continue;
          }
        }
        throw new ChorusTransportError(op.name, failure, `HTTP ${status}`, { status });
      }

      const json = safeJson(text);
      const envelope = envelopeSchema.safeParse(json);
      if ((status === 200 || status === 400) && envelope.success && envelope.data.codeRetour !== 0) {
        throw new ChorusRefusedError(op.name, envelope.data.codeRetour, envelope.data.libelle);
      }
      if (status !== 200) {
        throw new ChorusTransportError(op.name, 'http-status', `HTTP ${status} ${text.slice(0, 200)}`, {
          status,
        });
      }
      const parsed = op.response.safeParse(json);
      if (!parsed.success) {
        throw new ChorusTransportError(op.name, 'invalid-response', parsed.error.message.slice(0, 500), {
          cause: parsed.error,
          status,
        });
      }
      return parsed.data;
    }
  }

  return { call };
}
