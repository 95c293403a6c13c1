/**
 * Base of every error Facteur raises on purpose.
 *
 * `code` is stable and machine-readable (logs, tests, JSON output); `userMessage` is the short
 * French sentence a freelancer may read. The technical `message` may be English and detailed,
 * but never contains a secret (token, password) nor PDF content.
 */
export abstract class FacteurError extends Error {
  abstract readonly code: string;
  readonly userMessage: string;

  constructor(message: string, userMessage: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.userMessage = userMessage;
  }
}

/** Invalid configuration found at start (environment or flags). */
export class ConfigError extends FacteurError {
  readonly code = 'config-invalid';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, `Configuration invalide : ${message}`, options);
  }
}
