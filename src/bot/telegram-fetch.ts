import type { ApiClientOptions } from 'grammy';
import { httpFetch, type HttpRequestInit } from '../shared/http-client.js';

type GrammyFetch = NonNullable<ApiClientOptions['fetch']>;

/**
 * grammY's `fetch` on Facteur's HTTP client (src/shared/http-client.ts) instead of node-fetch:
 * the same keep-alive connections for a third of the CPU per call. grammY passes a method, JSON
 * headers, a string or a multipart stream, and its own abort signal; it reads `json()` only.
 * grammY types its option with node-fetch's `fetch`, whose Request/Response classes this client
 * does not build: the cast is at this one place.
 */
export const telegramFetch = ((url: string, init: HttpRequestInit) =>
  httpFetch(String(url), init)) as unknown as GrammyFetch;
