/**
 * A small HTTP client on node:http / node:https with keep-alive agents, for the calls Facteur makes
 * by the thousand in a burst: the Telegram Bot API (through grammY's `client.fetch`), Telegram file
 * downloads and the Chorus Pro API. It does what those callers use of `fetch` — a method, headers,
 * a string or streamed body, an abort signal, the status, headers and body of the answer — and
 * nothing more (no redirects, no compression, no cookies).
 *
 * Why not `fetch`: per request on this machine, undici's fetch costs about 4× the CPU of a plain
 * `http.request` and node-fetch (grammY's default on Node) about 1.5×, all of it on the event loop
 * (bench: 340 µs, 115 µs and 75 µs per loopback request, client and server included). In a
 * month's-end burst, 5 to 8 such requests per document run on the thread that turns documents
 * into reports.
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { SignalLike } from './abort.js';

export interface HttpRequestInit {
  method?: string;
  headers?: Record<string, string>;
  /** A whole body, or a stream of it (grammY's multipart uploads). */
  body?: string | Uint8Array | Readable | null;
  signal?: SignalLike | null;
  /** Answers longer than this are refused (`HttpBodyTooLargeError`) while they arrive. */
  maxBytes?: number;
}

export interface HttpResponse {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  /** The body as received (already read in full). */
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/** What the Chorus Pro client reads of an answer. */
export interface HttpAnswer {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** What the Chorus Pro client needs of `fetch`: the global one and `httpFetch` both fit. */
export type HttpFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<HttpAnswer>;

/** The answer's body passed `maxBytes`: the connection is closed without reading the rest. */
export class HttpBodyTooLargeError extends Error {
  readonly code = 'http-body-too-large';
  constructor(readonly maxBytes: number) {
    super(`HTTP answer longer than ${maxBytes} bytes`);
    this.name = 'HttpBodyTooLargeError';
  }
}

// Connections are kept and reused: a burst's calls to one host share a few sockets instead of a
// TCP handshake each (and, for https, a TLS one). With a `timeout`, Node's agent also honours a
// server's `Keep-Alive: timeout=N` and drops an idle socket a second before the server would
// (without one it ignores the hint, and a call could go out on a socket the server is closing);
// idle sockets of servers that give no hint are dropped after 30 s.
const KEEP_ALIVE = { keepAlive: true, timeout: 30_000 };
const PLAIN = { transport: http, agent: new http.Agent(KEEP_ALIVE) };
const SECURE = { transport: https, agent: new https.Agent(KEEP_ALIVE) };

/** The reason an aborted signal gives, as an Error named like fetch's (`AbortError`, `TimeoutError`). */
function abortError(signal: SignalLike): Error {
  if (signal.reason instanceof Error) return signal.reason;
  return new DOMException('This operation was aborted', 'AbortError');
}

function isStream(body: unknown): body is Readable {
  return typeof body === 'object' && body !== null && typeof (body as Readable).pipe === 'function';
}

export function httpFetch(url: string, init: HttpRequestInit = {}): Promise<HttpResponse> {
  const { signal } = init;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise<HttpResponse>((resolve, reject) => {
    const target = new URL(url);
    const { transport, agent } = target.protocol === 'https:' ? SECURE : PLAIN;
    let settled = false;
    const finish = (error: Error | undefined, response?: HttpResponse): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(response as HttpResponse);
    };
    const request = transport.request(
      target,
      { method: init.method ?? 'GET', headers: init.headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (init.maxBytes !== undefined && size > init.maxBytes) {
            const error = new HttpBodyTooLargeError(init.maxBytes);
            request.destroy(error);
            finish(error);
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (error) => finish(error));
        // Closed before its end (the server or the network cut it): 'end' never comes.
        res.on('close', () => {
          if (!res.complete) finish(new Error('HTTP answer cut short'));
        });
        res.on('end', () => {
          const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
          const status = res.statusCode ?? 0;
          const headers = res.headers;
          finish(undefined, {
            status,
            ok: status >= 200 && status < 300,
            headers: {
              get: (name) => {
                const value = headers[name.toLowerCase()];
                return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
              },
            },
            bytes: async () => body,
            text: async () => body.toString('utf8'),
            json: async () => JSON.parse(body.toString('utf8')) as unknown,
          });
        });
      },
    );
    function onAbort(): void {
      const error = abortError(signal as SignalLike);
      request.destroy(error);
      finish(error);
    }
    signal?.addEventListener('abort', onAbort);
    request.on('error', (error) => finish(error));
    const { body } = init;
    if (isStream(body)) {
      body.on('error', (error) => request.destroy(error));
      body.pipe(request);
    } else {
      request.end(body ?? undefined);
    }
  });
}
