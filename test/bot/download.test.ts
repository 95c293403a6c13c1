/**
 * The file route of the Bot API, over a real loopback HTTP server: bytes as served (one chunk or
 * many), the 20 MB bound (announced or streamed), HTTP errors and a server that never answers —
 * and never the bot token in an error.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TELEGRAM_DOWNLOAD_LIMIT, downloadTelegramFile } from '../../src/bot/download.js';
import { TelegramDownloadError, TelegramFileTooBigError } from '../../src/bot/errors.js';

const TOKEN = '123456:SECRET-token-value';
const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
const server = createServer((req, res) => {
  const route = routes.get(req.url?.replace(`/file/bot${TOKEN}/`, '') ?? '');
  if (route) route(req, res);
  else res.writeHead(404).end('Not Found');
});
let root = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The one call of the Bot API a download makes first. */
const api = (path: string) =>
  ({ getFile: async () => ({ file_id: 'f', file_unique_id: 'u', file_path: path }) }) as unknown as Api;
const download = (path: string, timeoutMs?: number) =>
  downloadTelegramFile({
    api: api(path),
    token: TOKEN,
    apiRoot: root,
    fileId: 'f',
    ...(timeoutMs ? { timeoutMs } : {}),
  });

describe('downloadTelegramFile', () => {
  it('returns the bytes served, in one piece or in many', async () => {
    const body = Buffer.from('%PDF-1.4\n' + 'x'.repeat(200_000));
    routes.set('documents/a.pdf', (_req, res) =>
      res.writeHead(200, { 'content-length': body.length }).end(body),
    );
    routes.set('documents/b.pdf', (_req, res) => {
      res.writeHead(200); // chunked, no length announced
      for (let i = 0; i < body.length; i += 10_000) res.write(body.subarray(i, i + 10_000));
      res.end();
    });
    for (const path of ['documents/a.pdf', 'documents/b.pdf', 'documents/a.pdf']) {
      expect(Buffer.from(await download(path)).equals(body)).toBe(true);
    }
  });

  it('stops reading past 20 MB', async () => {
    const chunk = Buffer.alloc(1024 * 1024);
    routes.set('documents/streamed.pdf', (_req, res) => {
      res.writeHead(200);
      let sent = 0;
      const push = () => {
        while (sent <= TELEGRAM_DOWNLOAD_LIMIT + chunk.length && res.write(chunk)) sent += chunk.length;
        if (sent <= TELEGRAM_DOWNLOAD_LIMIT + chunk.length) res.once('drain', push);
        else res.end();
      };
      res.on('error', () => undefined);
      push();
    });
    await expect(download('documents/streamed.pdf')).rejects.toBeInstanceOf(TelegramFileTooBigError);
  });

  it('fails clearly on an HTTP error and on a server that never answers, without the token', async () => {
    routes.set('documents/silent.pdf', () => undefined);
    const missing = await download('documents/missing.pdf').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(TelegramDownloadError);
    expect(String((missing as Error).message)).toContain('HTTP 404');
    const started = Date.now();
    const silent = await download('documents/silent.pdf', 300).catch((e: unknown) => e);
    expect(silent).toBeInstanceOf(TelegramDownloadError);
    expect(Date.now() - started).toBeLessThan(10_000);
    for (const error of [missing, silent]) expect(String((error as Error).message)).not.toContain('SECRET');
  });
});
