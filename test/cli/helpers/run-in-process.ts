/**
 * `facteur …` run in this process (src/cli/main.ts `run`) with its streams captured, for the CLI
 * suites that do not need a child process.
 */
import { PassThrough } from 'node:stream';
import { run } from '../../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The exit code and what the command wrote; `stdin` is ended with the given text (default none). */
export async function runFacteur(
  argv: string[],
  io: { env: Record<string, string | undefined>; cwd: string; stdin?: string },
): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  if (io.stdin !== undefined) stdin.end(io.stdin);
  const code = await run(argv, { stdin, stdout, stderr, env: io.env, cwd: io.cwd });
  return { code, stdout: out, stderr: err };
}
