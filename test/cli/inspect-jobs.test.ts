/**
 * `facteur inspect --jobs N`: one recognition worker by default (one pdfjs in memory for a whole
 * batch), N workers when asked — the same reports in the same order either way.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/facteur.js');
const fixturesDir = join(root, 'test/fixtures/generated');
const files = readdirSync(fixturesDir)
  .filter((f) => f.endsWith('.pdf'))
  .sort()
  .slice(0, 12)
  .map((f) => join(fixturesDir, f));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Most threads the process had at once (from /proc: each worker is a thread). */
  peakThreads: number;
}

function inspect(args: string[]): Promise<Run> {
  const child = spawn(process.execPath, [bin, 'inspect', ...args], { cwd: root });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  let peakThreads = 0;
  const sampler = setInterval(() => {
    try {
      const m = /Threads:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakThreads = Math.max(peakThreads, Number(m[1]));
    } catch {
      // the process just ended
    }
  }, 5);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearInterval(sampler);
      resolve({ code, stdout, stderr, peakThreads });
    }),
  );
}

// Generous: the CI runs every suite at once on two cores.
describe('facteur inspect --jobs', { timeout: 180_000 }, () => {
  it('gives the same reports, in order, with one worker (default) and with three', async () => {
    const one = await inspect(['--json', ...files]);
    const three = await inspect(['--json', '--jobs', '3', ...files]);
    expect(one.code).toBe(0);
    expect(three.code).toBe(0);
    const lines = (run: Run) => run.stdout.trim().split('\n');
    expect(lines(one)).toHaveLength(files.length);
    expect(lines(three)).toEqual(lines(one));
    // Two more worker threads at work (Linux only: /proc).
    if (one.peakThreads > 0) expect(three.peakThreads).toBeGreaterThanOrEqual(one.peakThreads + 2);
  });

  it('refuses a --jobs that is not a whole number from 1 to 16, in French', async () => {
    for (const bad of [['--jobs', '0'], ['--jobs=x'], ['--jobs', '17'], ['--jobs']]) {
      const run = await inspect([...bad, files[0]!]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('l’option --jobs attend un nombre entier de 1 à 16');
    }
  });
});
