/**
 * The machine's actors reject with plain `ActorFailure` data (persisted in snapshots), never with
 * Error objects: the typed errors become their code, French message and whether a retry may help.
 */
import {
  ChorusAuthError,
  ChorusRefusedError,
  ChorusTransportError,
  SubmitOutcomeUnknownError,
} from '../deposit/errors.js';
import { FacteurError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { ActorFailure } from './types.js';

function isActorFailure(x: unknown): x is ActorFailure {
  return (
    typeof x === 'object' &&
    x !== null &&
    !(x instanceof Error) &&
    typeof (x as ActorFailure).code === 'string' &&
    typeof (x as ActorFailure).message === 'string' &&
    typeof (x as ActorFailure).transient === 'boolean'
  );
}

export function toActorFailure(error: unknown): ActorFailure {
  if (isActorFailure(error)) return error;
  if (error instanceof ChorusRefusedError) {
    return {
      code: error.code,
      message: error.userMessage,
      transient: false,
      refusals: error.refusal ? [error.refusal] : undefined,
    };
  }
  if (error instanceof ChorusTransportError || error instanceof SubmitOutcomeUnknownError) {
    return { code: error.code, message: error.userMessage, transient: true };
  }
  if (error instanceof ChorusAuthError || error instanceof FacteurError) {
    return { code: error.code, message: error.userMessage, transient: false };
  }
  return {
    code: 'internal',
    message: 'Une erreur inattendue est survenue ; rien n’a été perdu. Réessayez dans un instant.',
    transient: false,
  };
}

/** Runs `task`; a rejection is logged and rethrown as an `ActorFailure`. */
export async function guarded<T>(logger: Logger, what: string, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    const failure = toActorFailure(error);
    logger[failure.code === 'internal' ? 'error' : 'warn'](
      { err: error, actor: what, code: failure.code },
      'actor failed',
    );
    throw failure;
  }
}
