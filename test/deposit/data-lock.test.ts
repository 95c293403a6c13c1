/**
 * The simulator's data-directory lock is held by the operating system: an owner killed with
 * SIGKILL releases it as it dies, whatever its pid becomes (a zombie until reaped, or reused).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockDataDir, SimulatorBusyError } from '../../src/deposit/simulator/data-lock.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'facteur-datalock-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A child process holding the lock (the compiled module, as `facteur start` runs it). */
function holdInChild(): Promise<{ pid: number; kill(): void; exited: Promise<unknown> }> {
  const moduleUrl = new URL('../../dist/deposit/simulator/data-lock.js', import.meta.url).href;
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { lockDataDir } = await import(${JSON.stringify(moduleUrl)});
       const lock = await lockDataDir(${JSON.stringify(dir)});
       await lock.setUrl('http://127.0.0.1:9');
       process.stdout.write('locked\\n');
       setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise((r) => child.once('exit', r));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('locked'))
        resolve({ pid: child.pid ?? 0, kill: () => child.kill('SIGKILL'), exited });
    });
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
}

describe('simulator data-directory lock', () => {
  it('tells where the live owner runs, and is free again the moment the owner is killed', async () => {
    for (let round = 0; round < 3; round++) {
      const holder = await holdInChild();
      const busy = await lockDataDir(dir).catch((e: unknown) => e);
      expect(busy).toBeInstanceOf(SimulatorBusyError);
      expect((busy as SimulatorBusyError).pid).toBe(holder.pid);
      expect((busy as SimulatorBusyError).url).toBe('http://127.0.0.1:9');
      expect(JSON.parse(await readFile(join(dir, 'owner.json'), 'utf8'))).toMatchObject({ pid: holder.pid });
      holder.kill();
      // At once, as an immediate restart would (owner.json still names the killed pid).
      const lock = await lockDataDir(dir);
      await lock.release();
      await holder.exited;
    }
  });
});
