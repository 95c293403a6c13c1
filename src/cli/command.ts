import type { Readable, Writable } from 'node:stream';

/** What a CLI command gets: its arguments and the process streams (replaced in tests). */
export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** A `facteur <name>` command. Resolves with the process exit code. */
export type Command = (argv: string[], io: CliIO) => Promise<number>;

export interface CommandModule {
  default: Command;
  /** One French line for `facteur aide`. */
  summary: string;
}
