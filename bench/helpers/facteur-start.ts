/**
 * `facteur start` as a real process for the benches (dist/, as `bin/facteur.js` runs it): its
 * memory read from /proc (RSS now and at its peak), its V8 heap from its own `/metrics`, its CPU
 * time, and users linked to its demo account through the shared SQLite store.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConfig } from '../../src/config/schema.js';
import { createStore } from '../../src/store/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface FacteurStart {
  pid: number;
  dataDir: string;
  /** Resident memory now and its peak since the start (MB, from /proc/<pid>/status). */
  memory(): { rssMb: number; peakMb: number };
  /** Starts a new peak: the next `memory().peakMb` is the peak from now on (Linux clear_refs). */
  resetPeak(): void;
  /** V8 heap in use (MB), from `facteur_nodejs_heap_size_used_bytes` of `/metrics`. */
  heapMb(): Promise<number>;
  /** After a full garbage collection of its main thread: its live heap and its RSS (MB). */
  settledMemory(): Promise<{ heapMb: number; rssMb: number }>;
  /** User + system CPU time of the process so far (ms). */
  cpuMs(): number;
  /** CPU time of its main thread (the event loop) so far (ms, as `threadCpuMs` counts it). */
  mainThreadCpuMs(): number;
  /** CPU time of each of its threads so far (ms, by thread id; /proc/<pid>/task/<tid>/schedstat). */
  threadCpuMs(): Map<number, number>;
  link(userIds: number[]): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** utime + stime (fields 14 and 15 of a stat file, in clock ticks of 10 ms), in ms. */
function statCpuMs(file: string): number {
  const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time of one thread (ms): schedstat's first field, in ns (finer than stat's 10 ms ticks). */
function threadCpuMs(pid: number, tid: number): number {
  return Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
}

function status(pid: number, field: string): number {
  const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export async function startFacteur(env: Record<string, string>): Promise<FacteurStart> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'facteur-bench-'));
  const port = await freePort();
  // FACTEUR_BENCH_NODE_FLAGS: extra node flags for the spawned process (`--heapsnapshot-signal=SIGWINCH`…; SIGUSR2 is settledMemory()’s).
  const flags = (process.env.FACTEUR_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  // settledMemory(): a full collection on SIGUSR2, the memory written to this file.
  const memoryFile = path.join(dataDir, 'bench-memory.json');
  flags.push(
    '--expose-gc',
    '--import',
    pathToFileURL(path.join(ROOT, 'bench/helpers/settle-memory.mjs')).href,
  );
  const child: ChildProcess = spawn(
    process.execPath,
    [...flags, path.join(ROOT, 'bin/facteur.js'), 'start'],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? tmpdir(),
        FACTEUR_DATA_DIR: dataDir,
        FACTEUR_HTTP_PORT: String(port),
        LOG_LEVEL: 'warn',
        FACTEUR_BENCH_MEMORY_FILE: memoryFile,
        // The deployment's glibc setting, when the bench is run with it (docs/operations.md).
        ...(process.env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX } : {}),
        // FACTEUR_* settings of the bench's own environment (FACTEUR_STAGE_TRACE, FACTEUR_HEAP_GROWING_PERCENT…)
        // reach the process, so a setting is compared by running the bench with and without it.
        ...Object.fromEntries(
          Object.entries(process.env).filter(
            (e): e is [string, string] =>
              e[0].startsWith('FACTEUR_') && !/^FACTEUR_(BENCH_|DATA_DIR$|HTTP_PORT$)/.test(e[0]),
          ),
        ),
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid as number;
  const base = `http://127.0.0.1:${port}`;
  // Ready when /healthz says every part is up (bounded wait).
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error('facteur start exited during start-up');
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error('facteur start not ready within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  const store = await createStore({ dataDir: createConfig({ FACTEUR_DATA_DIR: dataDir }).dataDir });
  const demo = await store.accounts.getByName('demo');
  if (!demo) throw new Error('demo account missing');
  return {
    pid,
    dataDir,
    memory: () => ({ rssMb: status(pid, 'VmRSS'), peakMb: status(pid, 'VmHWM') }),
    // 5: "reset the peak resident set size to the process's current value" (proc(5), clear_refs).
    resetPeak: () => writeFileSync(`/proc/${pid}/clear_refs`, '5'),
    async heapMb() {
      const text = await (await fetch(`${base}/metrics`)).text();
      const m = /^facteur_nodejs_heap_size_used_bytes (\S+)$/m.exec(text);
      return m ? Number(m[1]) / 1048576 : NaN;
    },
    async settledMemory() {
      rmSync(memoryFile, { force: true });
      process.kill(pid, 'SIGUSR2');
      for (let i = 0; i < 100 && !existsSync(memoryFile); i++) await new Promise((r) => setTimeout(r, 50));
      const heapUsed = existsSync(memoryFile)
        ? (JSON.parse(readFileSync(memoryFile, 'utf8')) as { heapUsed: number }).heapUsed
        : NaN;
      return { heapMb: heapUsed / 1048576, rssMb: status(pid, 'VmRSS') };
    },
    cpuMs: () => statCpuMs(`/proc/${pid}/stat`),
    mainThreadCpuMs: () => threadCpuMs(pid, pid),
    threadCpuMs() {
      const times = new Map<number, number>();
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        try {
          times.set(Number(tid), threadCpuMs(pid, Number(tid)));
        } catch {
          // the thread ended between the listing and the read
        }
      }
      return times;
    },
    async link(userIds) {
      for (const id of userIds)
        await store.identities.link(demo.id, { channel: 'telegram', userId: String(id) });
    },
    async stop() {
      await store.close();
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
