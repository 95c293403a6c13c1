import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino must never print: secrets travel in these keys somewhere in Facteur
 * (tokens, passwords, authorization headers, PDF bytes).
 */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'cpro-account',
  '*["cpro-account"]',
  'bytes',
  '*.bytes',
  'pdf',
  '*.pdf',
];

export interface LoggerOptions {
  level?: string;
  /** Where lines go; defaults to stderr so stdout stays clean for command output (JSON, receipts). */
  destination?: pino.DestinationStream;
}

/** One structured line per event; components take a child logger (`logger.child({ component })`). */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[secret]' },
      base: { app: 'facteur' },
    },
    options.destination ?? pino.destination(2),
  );
}

/** A logger that prints nothing (tests, `inspect` without --verbose). */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
