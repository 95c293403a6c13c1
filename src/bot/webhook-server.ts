import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update } from 'grammy/types';
import { z } from 'zod';
import type { Logger } from '../shared/logger.js';

/** Telegram's update JSON is small; anything bigger is not Telegram. */
const MAX_BODY = 1024 * 1024;

const updateSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

export interface WebhookServerOptions {
  /** Path part of TELEGRAM_WEBHOOK_URL (the reverse proxy forwards it as is). */
  path: string;
  port: number;
  host?: string;
  /** Expected X-Telegram-Bot-Api-Secret-Token. */
  secret?: string;
  /** Stores the update durably; the 200 answer waits for it, the handling does not. */
  accept: (update: Update) => Promise<void>;
  logger: Logger;
}

function sameSecret(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The webhook receiver: a bare `node:http` server on 127.0.0.1 that checks the secret header,
 * hands the update over and answers 200 at once, so Telegram never waits for a PDF analysis
 * (it would time out and re-send). Slow work happens after the answer, in the channel.
 */
export async function startWebhookServer(
  opts: WebhookServerOptions,
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const answer = (status: number, body = '') => {
      if (res.headersSent) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body || '{}');
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'POST' || path !== opts.path) {
      req.resume();
      return answer(404);
    }
    if (opts.secret !== undefined) {
      const header = req.headers['x-telegram-bot-api-secret-token'];
      if (!sameSecret(Array.isArray(header) ? header[0] : header, opts.secret)) {
        opts.logger.warn('webhook call with a wrong secret token');
        req.resume();
        return answer(401);
      }
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        answer(413);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) return;
      let update: Update;
      try {
        update = updateSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8'))) as unknown as Update;
      } catch {
        return answer(400);
      }
      opts.accept(update).then(
        () => answer(200),
        (error: unknown) => {
          // Not stored: a 5xx makes Telegram deliver it again later.
          opts.logger.error({ err: error, updateId: update.update_id }, 'webhook update not stored');
          answer(503);
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
