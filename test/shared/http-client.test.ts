import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineSignal } from '../../src/shared/abort.js';
import { HttpBodyTooLargeError, httpFetch } from '../../src/shared/http-client.js';

/** A loopback server whose routes say what they received; it remembers the sockets it saw. */
let server: Server;
let base: string;
const sockets = new Set<Socket>();

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void | Promise<void>> = {
  '/echo': async (req, res) => {
    const body = await readBody(req);
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-seen-type', req.headers['content-type'] ?? '');
    res.end(JSON.stringify({ method: req.method, body }));
  },
  '/status': (_req, res) => {
    res.statusCode = 429;
    res.setHeader('retry-after', '3');
    res.end('slow down');
  },
  '/big': (_req, res) => {
    res.write(Buffer.alloc(64 * 1024, 1));
    res.end(Buffer.alloc(64 * 1024, 2));
  },
  '/silent': () => undefined,
  '/cut': (_req, res) => {
    res.setHeader('content-length', '1000');
    res.write('only the start');
    setTimeout(() => res.socket?.destroy(), 20);
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (route) void route(req, res);
    else res.writeHead(404).end();
  });
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('httpFetch', () => {
  it('sends a method, headers and a string body; reads status, headers, text and JSON', async () => {
    const res = await httpFetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"é":1}',
    });
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.headers.get('X-Seen-Type')).toBe('application/json');
    expect(res.headers.get('absent')).toBeNull();
    expect(await res.json()).toEqual({ method: 'POST', body: '{"é":1}' });
    expect(JSON.parse(await res.text())).toEqual({ method: 'POST', body: '{"é":1}' });
  });

  it('streams a body given as a stream (grammY multipart uploads)', async () => {
    const res = await httpFetch(`${base}/echo`, {
      method: 'POST',
      body: Readable.from([Buffer.from('part one, '), Buffer.from('part two')]),
    });
    expect(await res.json()).toEqual({ method: 'POST', body: 'part one, part two' });
  });

  it('keeps its connection for the next calls', async () => {
    await httpFetch(`${base}/echo`);
    const before = sockets.size;
    for (let i = 0; i < 5; i += 1) await httpFetch(`${base}/echo`, { method: 'POST', body: String(i) });
    expect(sockets.size).toBe(before);
  });

  it('gives an error status as an answer, not as an error', async () => {
    const res = await httpFetch(`${base}/status`);
    expect(res.status).toBe(429);
    expect(res.ok).toBe(false);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(await res.text()).toBe('slow down');
  });

  it('reads a body in several chunks, and refuses one over maxBytes while it arrives', async () => {
    const whole = await (await httpFetch(`${base}/big`)).bytes();
    expect(whole.byteLength).toBe(128 * 1024);
    expect(whole[0]).toBe(1);
    expect(whole.at(-1)).toBe(2);
    const error = await httpFetch(`${base}/big`, { maxBytes: 100 * 1024 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpBodyTooLargeError);
    expect((error as HttpBodyTooLargeError).maxBytes).toBe(100 * 1024);
  });

  it('stops at its deadline with a TimeoutError, and at an abort with an AbortError', async () => {
    const deadline = deadlineSignal(100);
    const started = Date.now();
    const timedOut = await httpFetch(`${base}/silent`, { signal: deadline.signal }).catch((e: unknown) => e);
    deadline.dispose();
    expect((timedOut as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(5_000);

    const controller = new AbortController();
    const pending = httpFetch(`${base}/silent`, { signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 20);
    expect(((await pending) as Error).name).toBe('AbortError');

    const already = await httpFetch(`${base}/echo`, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((already as Error).name).toBe('AbortError');
  });

  it('fails when the answer is cut before its end', async () => {
    const error = await httpFetch(`${base}/cut`).catch((e: unknown) => e);
    // Node reports the reset on the answer (ECONNRESET); the 'close' guard covers a quiet close.
    expect((error as NodeJS.ErrnoException).code ?? (error as Error).message).toMatch(/ECONNRESET|cut short/);
  });

  it('fails with the system error when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await httpFetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });
});
