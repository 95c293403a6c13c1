import { httpFetch, type HttpAnswer, type HttpFetch } from '../shared/http-client.js';
import type { Logger } from '../shared/logger.js';
import { createSilentLogger } from '../shared/logger.js';
import { tokenErrorSchema, tokenResponseSchema } from './api/oauth.js';
import { ChorusAuthError, ChorusTransportError } from './errors.js';
import { backoffDelay, sleep } from './retry.js';

/** Gives a valid PISTE access token; shared by every client of one PISTE application. */
export interface TokenProvider {
  get(signal?: AbortSignal): Promise<string>;
  /** Forget a token the API refused (401), so the next `get` fetches a new one. */
  invalidate(token: string): void;
}

export interface PisteTokenDeps {
  oauthUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: HttpFetch;
  logger?: Logger;
  now?: () => number;
  timeoutMs?: number;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  /** Renew this long before expiry (OCA renews ~4 minutes before); capped to a quarter of the lifetime. */
  refreshMarginMs?: number;
}

interface CachedToken {
  value: string;
  expiresAt: number;
  renewAt: number;
}

const OPERATION = 'pisteToken';

/**
 * OAuth2 client-credentials against PISTE: the token is cached, renewed before it expires, and
 * fetched once at a time however many calls wait for it (single flight).
 */
export function createPisteTokenProvider(deps: PisteTokenDeps): TokenProvider {
  const doFetch = deps.fetch ?? httpFetch;
  const logger = (deps.logger ?? createSilentLogger()).child({ component: 'piste-token' });
  const now = deps.now ?? Date.now;
  const timeoutMs = deps.timeoutMs ?? 15_000;
  const maxRetries = deps.maxRetries ?? 3;
  const baseDelay = deps.retryBaseDelayMs ?? 200;
  const margin = deps.refreshMarginMs ?? 240_000;
  let cached: CachedToken | undefined;
  let inflight: Promise<CachedToken> | undefined;

  async function requestOnce(): Promise<CachedToken> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: deps.clientId,
      client_secret: deps.clientSecret,
      scope: 'openid',
    });
    let response: HttpAnswer;
    try {
      response = await doFetch(deps.oauthUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timeout = error instanceof Error && error.name === 'TimeoutError';
      throw new ChorusTransportError(OPERATION, timeout ? 'timeout' : 'network', String(error), {
        cause: error,
      });
    }
    const text = await response.text().catch(() => '');
    if (response.status === 400 || response.status === 401 || response.status === 403) {
      const parsed = tokenErrorSchema.safeParse(safeJson(text));
      const detail = parsed.success
        ? `${parsed.data.error} ${parsed.data.error_description ?? ''}`.trim()
        : `HTTP ${response.status}`;
      throw new ChorusAuthError(OPERATION, 'piste-client', detail);
    }
    if (response.status === 429)
      throw new ChorusTransportError(OPERATION, 'rate-limited', 'HTTP 429', { status: 429 });
    if (response.status >= 500)
      throw new ChorusTransportError(OPERATION, 'server-error', `HTTP ${response.status}`, {
        status: response.status,
      });
    if (response.status !== 200)
      throw new ChorusTransportError(OPERATION, 'http-status', `HTTP ${response.status}`, {
        status: response.status,
      });
    const parsed = tokenResponseSchema.safeParse(safeJson(text));
    if (!parsed.success) throw new ChorusTransportError(OPERATION, 'invalid-response', parsed.error.message);
    const lifetimeMs = parsed.data.expires_in * 1000;
    const obtainedAt = now();
    return {
      value: parsed.data.access_token,
      expiresAt: obtainedAt + lifetimeMs,
      renewAt: obtainedAt + lifetimeMs - Math.min(margin, lifetimeMs / 4),
    };
  }

  async function fetchToken(): Promise<CachedToken> {
    for (let attempt = 0; ; attempt++) {
      try {
        const token = await requestOnce();
        logger.debug({ attempt, expiresInMs: token.expiresAt - now() }, 'piste token obtained');
        return token;
      } catch (error) {
        // Asking for a token twice is harmless: retry transport failures, never a refusal.
        if (!(error instanceof ChorusTransportError) || attempt >= maxRetries) throw error;
        logger.warn({ attempt, failure: error.failure }, 'piste token request failed, retrying');
        await sleep(backoffDelay(attempt, baseDelay));
      }
    }
  }

  return {
    async get() {
      if (cached && now() < cached.renewAt) return cached.value;
      if (!inflight) {
        inflight = fetchToken()
          .then((token) => {
            cached = token;
            return token;
          })
          .finally(() => {
            inflight = undefined;
          });
      }
      return (await inflight).value;
    },
    invalidate(token) {
      if (cached?.value === token) cached = undefined;
    },
  };
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
