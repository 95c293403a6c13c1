import { createHash } from 'node:crypto';
import { realpath, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { FacteurError } from '../../shared/errors.js';

/**
 * One simulator per data directory: two processes writing one state file would lose invoices.
 *
 * Ownership rests on something the operating system takes back when the owner dies, however it
 * dies (kill -9, a crash, a zombie whose pid lingers or is reused): a listening Unix socket — in
 * Linux's abstract namespace, which has no file and is freed with the process; elsewhere a socket
 * file in the data directory, whose stale copy refuses connections. Another Facteur process asks
 * the owner itself, through that socket, for its pid and URL, so that it can talk to it instead.
 * `owner.json` still says who owns the directory, for people; it is never trusted.
 */
export class SimulatorBusyError extends FacteurError {
  readonly code = 'simulator-busy';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly url: string | undefined,
  ) {
    super(
      `simulator data directory ${dataDir} is used by process ${pid}${url ? ` (${url})` : ''}`,
      `Le simulateur Chorus Pro de ${dataDir} tourne déjà (processus ${pid}${url ? `, ${url}` : ''}).`,
    );
  }
}

interface Owner {
  pid: number;
  url?: string;
}

export interface DataLock {
  setUrl(url: string): Promise<void>;
  release(): Promise<void>;
}

/** How long an owner still starting (no URL yet) is waited for before « busy » without a URL. */
const STARTING_OWNER_WAIT_MS = 5_000;

async function socketPath(dataDir: string): Promise<{ path: string; file: boolean }> {
  if (process.platform === 'linux') {
    const id = createHash('sha256')
      .update(await realpath(dataDir))
      .digest('hex')
      .slice(0, 40);
    return { path: `\0facteur-simulator-${id}`, file: false };
  }
  return { path: join(dataDir, 'owner.sock'), file: true };
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The owner's answer, or undefined when nobody listens (a stale socket file). */
function askOwner(path: string): Promise<Owner | undefined> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let text = '';
    socket.setEncoding('utf8');
    socket.setTimeout(2_000, () => socket.destroy(new Error('the simulator owner did not answer')));
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => {
      try {
        resolve(JSON.parse(text) as Owner);
      } catch {
        reject(new Error('unreadable answer from the simulator owner'));
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // Nobody listens (a stale socket file), or the owner is dying as we ask.
      if (['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE'].includes(error.code ?? '')) resolve(undefined);
      else reject(error);
    });
  });
}

export async function lockDataDir(dataDir: string): Promise<DataLock> {
  const { path, file } = await socketPath(dataDir);
  const ownerFile = join(dataDir, 'owner.json');
  const me: Owner = { pid: process.pid };
  const deadline = Date.now() + STARTING_OWNER_WAIT_MS;
  for (;;) {
    const server = createServer((socket) => socket.end(JSON.stringify(me)));
    try {
      await listen(server, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      const owner = await askOwner(path);
      if (!owner && file) {
        await rm(path, { force: true }); // the socket file of a dead owner
        continue;
      }
      if (owner?.url || Date.now() > deadline) {
        throw new SimulatorBusyError(dataDir, owner?.pid ?? 0, owner?.url);
      }
      // Owned by a process still starting (no URL yet), or just released: ask again.
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    // The lock must not keep the process alive on its own.
    server.unref();
    await writeFile(ownerFile, JSON.stringify(me));
    return {
      setUrl: async (url) => {
        me.url = url;
        await writeFile(ownerFile, JSON.stringify(me));
      },
      release: async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await rm(ownerFile, { force: true });
      },
    };
  }
}
