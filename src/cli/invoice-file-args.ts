/**
 * The arguments shared by the commands that take one invoice PDF and its public recipient
 * (`facteur deposit`, `facteur facturx`): the common options, their checks (help, one file,
 * recipient SIRET, cadre, date) with the French usage errors, and the reading of the PDF.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CliIO } from './command.js';
import type { Cadre } from '../deposit/port.js';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

export const INVOICE_FILE_OPTIONS = {
  recipient: { type: 'string' },
  service: { type: 'string' },
  engagement: { type: 'string' },
  cadre: { type: 'string', default: 'A1' },
  number: { type: 'string' },
  date: { type: 'string' },
  supplier: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsOptionsConfig;

const CADRES: readonly string[] = ['A1', 'A2', 'A9', 'A12'] satisfies Cadre[];

/** A SIRET as typed (spaces, dots) reduced to its digits. */
export function compactSiret(siret: string): string;
export function compactSiret(siret: string | undefined): string | undefined;
export function compactSiret(siret: string | undefined): string | undefined {
  return siret?.replace(/[\s.]/g, '');
}

type Values<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: typeof INVOICE_FILE_OPTIONS & O; allowPositionals: true }>
>['values'];

export interface InvoiceCommandSpec<O extends ParseArgsOptionsConfig> {
  /** `deposit` in « facteur deposit : … ». */
  name: string;
  help: string;
  /** The command's own options, added to INVOICE_FILE_OPTIONS. */
  options: O;
}

export interface InvoiceFileArgs<O extends ParseArgsOptionsConfig> {
  values: Values<O>;
  /** The PDF, resolved against the working directory. */
  path: string;
  /** The recipient's SIRET, 14 digits. */
  recipient: string;
  cadre: Cadre;
  /** Writes the message and the help to stderr; returns the usage exit code (2). */
  usage: (message: string) => number;
}

/** The checked arguments, or the exit code when the command ends here (help: 0, usage error: 2). */
export function parseInvoiceFileArgs<O extends ParseArgsOptionsConfig>(
  argv: string[],
  io: CliIO,
  spec: InvoiceCommandSpec<O>,
): InvoiceFileArgs<O> | number {
  const usage = (message: string) => {
    io.stderr.write(`facteur ${spec.name} : ${message}\n\n${spec.help}`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...INVOICE_FILE_OPTIONS, ...spec.options },
    });
  } catch (error) {
    return usage((error as Error).message);
  }
  const o = parsed.values as Values<Record<never, never>>;
  if (o.help) {
    io.stdout.write(spec.help);
    return 0;
  }
  if (parsed.positionals.length !== 1) return usage('indiquez un (et un seul) fichier PDF.');
  const recipient = compactSiret(o.recipient);
  if (!recipient || !/^\d{14}$/.test(recipient))
    return usage('--recipient attend le SIRET à 14 chiffres du destinataire.');
  if (!CADRES.includes(o.cadre)) return usage('--cadre vaut A1, A2, A9 ou A12.');
  if (o.date && !/^\d{4}-\d{2}-\d{2}$/.test(o.date)) return usage('--date attend une date AAAA-MM-JJ.');
  return {
    values: parsed.values as Values<O>,
    path: resolve(io.cwd, parsed.positionals[0]!),
    recipient,
    cadre: o.cadre as Cadre,
    usage,
  };
}

/** The PDF's bytes; null, the error written to stderr, when it cannot be read. */
export async function readInvoicePdf(io: CliIO, name: string, path: string): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    io.stderr.write(
      `facteur ${name} : impossible de lire ${path} (${(error as NodeJS.ErrnoException).code ?? 'erreur'}).\n`,
    );
    return null;
  }
}
