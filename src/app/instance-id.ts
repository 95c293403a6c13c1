import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * This installation's stable id, kept in `FACTEUR_DATA_DIR/instance-id`: the same after a restart
 * (a restarted instance takes back at once the Telegram updates it had claimed before a crash),
 * different for each instance with its own data directory (several instances on one PostgreSQL).
 * The follow-up engine adds a random part per process to it (`<id>/<random>`): its short leases
 * lapse after a kill and are then taken over by whichever instance polls first.
 */
export async function loadInstanceId(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'instance-id');
  await mkdir(dataDir, { recursive: true });
  try {
    const handle = await open(file, 'wx');
    const id = randomUUID();
    await handle.writeFile(id + '\n');
    await handle.close();
    return id;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // Created by another process a moment ago: its content may still be on its way.
  for (let attempt = 0; attempt < 50; attempt++) {
    const id = (await readFile(file, 'utf8')).trim();
    if (id) return id;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${file} is empty`);
}
