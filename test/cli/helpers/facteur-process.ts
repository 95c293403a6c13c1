import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');

export interface LogLine {
  msg: string;
  level: number;
  [key: string]: unknown;
}

/** `facteur start` as a real process (dist/), its JSON log lines collected as they come. */
export interface FacteurProcess {
  child: ChildProcess;
  lines: LogLine[];
  output(): string;
  exited: Promise<number | null>;
  /** Resolves with the first log line matching, or rejects after `timeoutMs` (bounded polling). */
  waitForLog(match: (line: LogLine) => boolean, what: string, timeoutMs?: number): Promise<LogLine>;
  /** Sends SIGTERM and resolves with the exit code and the milliseconds it took. */
  stop(): Promise<{ code: number | null; ms: number }>;
  kill(): Promise<void>;
}

export function startFacteur(env: Record<string, string>): FacteurProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/facteur.js'), 'start'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  let rest = '';
  const lines: LogLine[] = [];
  const collect = (chunk: Buffer) => {
    text += chunk.toString();
    rest += chunk.toString();
    const parts = rest.split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) {
      try {
        lines.push(JSON.parse(part) as LogLine);
      } catch {
        // a French message on stderr, not a log line
      }
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    output: () => text,
    exited,
    async waitForLog(match, what, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = lines.find(match);
        if (found) return found;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no log line « ${what} » within ${timeoutMs} ms; output:\n${text.slice(-3000)}`);
    },
    async stop() {
      const started = Date.now();
      child.kill('SIGTERM');
      const code = await exited;
      return { code, ms: Date.now() - started };
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** A TCP server on 127.0.0.1 that accepts connections and never says a word (a hung dependency). */
export async function startSilentServer(): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nobody listens on (connections are refused). */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The /healthz and /metrics base URL, from the log line of a process started with FACTEUR_HTTP_PORT=0. */
export async function opsUrl(p: FacteurProcess): Promise<string> {
  const line = await p.waitForLog((l) => l.msg === 'health and metrics endpoint listening', 'ops endpoint');
  return String(line.url).replace(/\/healthz$/, '');
}
