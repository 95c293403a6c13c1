import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../shared/logger.js';
import type { HealthReport } from './health.js';

export interface OpsServerOptions {
  host: string;
  port: number;
  health: () => Promise<HealthReport>;
  /** The Prometheus text exposition and its content type. */
  metrics: { render(): Promise<string>; contentType: string };
  logger: Logger;
}

export interface OpsServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The operations endpoint of `facteur start` (FACTEUR_HTTP_PORT): `GET /healthz` (200 when every
 * part is up, else 503, JSON either way) and `GET /metrics` (Prometheus text format). Nothing
 * else, no user data: it binds to 127.0.0.1 unless FACTEUR_HTTP_HOST says otherwise.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      if (res.headersSent) return;
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n');
    if (path === '/healthz') {
      options.health().then(
        (report) =>
          send(report.status === 'ok' ? 200 : 503, 'application/json', JSON.stringify(report) + '\n'),
        (error: unknown) => {
          options.logger.error({ err: error }, 'health check failed');
          send(503, 'application/json', JSON.stringify({ status: 'down', components: {} }) + '\n');
        },
      );
      return;
    }
    if (path === '/metrics') {
      options.metrics.render().then(
        (text) => send(200, options.metrics.contentType, text),
        (error: unknown) => {
          options.logger.error({ err: error }, 'metrics rendering failed');
          send(500, 'text/plain', 'metrics unavailable\n');
        },
      );
      return;
    }
    send(404, 'text/plain', 'not found: /healthz or /metrics\n');
  });
  // Scrapers keep connections alive: never let them hold a stop.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
