import { open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FacteurError } from '../../shared/errors.js';

/**
 * One simulator per data directory: two processes writing one state file would lose invoices.
 * The owner records its pid and URL, so another Facteur command can talk to it instead.
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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface DataLock {
  setUrl(url: string): Promise<void>;
  release(): Promise<void>;
}

/** Directories locked by this process (its own pid in a lock file is otherwise a stale leftover). */
const heldHere = new Map<string, string | undefined>();

export async function lockDataDir(dataDir: string): Promise<DataLock> {
  const file = join(dataDir, 'owner.json');
  if (heldHere.has(file)) throw new SimulatorBusyError(dataDir, process.pid, heldHere.get(file));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid } satisfies Owner));
      await handle.close();
      heldHere.set(file, undefined);
      return {
        setUrl: async (url) => {
          heldHere.set(file, url);
          await writeFile(file, JSON.stringify({ pid: process.pid, url } satisfies Owner));
        },
        release: async () => {
          heldHere.delete(file);
          await rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner: Owner | undefined;
      try {
        owner = JSON.parse(await readFile(file, 'utf8')) as Owner;
      } catch {
        owner = undefined; // half-written by a crashed owner: stale
      }
      if (owner && owner.pid !== process.pid && alive(owner.pid))
        throw new SimulatorBusyError(dataDir, owner.pid, owner.url);
      await rm(file, { force: true });
    }
  }
  throw new Error(`could not lock ${file}`);
}
