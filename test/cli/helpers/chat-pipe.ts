/**
 * `node bin/facteur.js chat` over a pipe, for the terminal scenario suites (compiled dist/,
 * embedded simulator persisted in FACTEUR_DATA_DIR, SQLite): a temp base directory per suite, the
 * child process with the user's lines on stdin, and what the simulator of a data directory holds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startSimulator, type SimFlux, type SimInvoice } from '../../../src/deposit/index.js';
import type { Recognizer } from '../../../src/recognition/types.js';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(ROOT, 'bin/facteur.js');

export interface ChatRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A temp directory made before the suite's tests and removed after them; returns the path of
 * `name` inside it (a data directory, a file).
 */
export function useTempBase(prefix: string): (name: string) => string {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });
  return (name) => path.join(base, name);
}

export function spawnChat(dataDir: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, 'chat', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', FACTEUR_DATA_DIR: dataDir, LOG_LEVEL: 'error', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** The child's output, once it has exited. */
export function collect(child: ChildProcess): Promise<ChatRun> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Runs `facteur chat` with the lines piped in, as `printf '…' | facteur chat …` would; exit 0 expected. */
export async function chat(
  dataDir: string,
  args: string[],
  lines: string[],
  env: Record<string, string> = {},
): Promise<ChatRun> {
  const child = spawnChat(dataDir, args, env);
  const done = collect(child);
  child.stdin!.end(lines.map((l) => `${l}\n`).join(''));
  const run = await done;
  if (run.code !== 0) throw new Error(`facteur chat exited ${run.code}\n${run.stdout}\n${run.stderr}`);
  return run;
}

/** What `facteur chat` printed on stdout (see `chat`). */
export const chatOutput = async (dataDir: string, args: string[], lines: string[]): Promise<string> =>
  (await chat(dataDir, args, lines)).stdout;

/** What the simulator of a data dir holds (its state is persisted there). */
export async function simulatorState(
  dataDir: string,
): Promise<{ invoices: SimInvoice[]; fluxes: SimFlux[] }> {
  const sim = await startSimulator({
    dataDir: path.join(dataDir, 'simulator'),
    recognizer: {} as Recognizer,
  });
  try {
    return { fluxes: await sim.listFluxes(), invoices: sim.listInvoices() };
  } finally {
    await sim.stop();
  }
}
