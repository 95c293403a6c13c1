import { FacteurError } from '../shared/errors.js';
import type { AppliedEvent } from './types.js';

/** Typed failures of the store. Messages never contain a secret. */

export class AccountNameTakenError extends FacteurError {
  readonly code = 'account-name-taken';
  constructor(readonly accountName: string) {
    super(`account name already used: ${accountName}`, `Un compte nommé « ${accountName} » existe déjà.`);
  }
}

export class AccountNotFoundError extends FacteurError {
  readonly code = 'account-not-found';
  constructor(readonly reference: string) {
    super(`account not found: ${reference}`, `Aucun compte « ${reference} ».`);
  }
}

export class InvalidAccountNameError extends FacteurError {
  readonly code = 'account-name-invalid';
  constructor(readonly accountName: string) {
    super(
      `invalid account name: ${JSON.stringify(accountName)}`,
      `Nom de compte invalide « ${accountName} » : 1 à 64 caractères commençant par une lettre ou un chiffre ; lettres, chiffres, espaces et . _ - ' ’ ( ) & , + @ seulement.`,
    );
  }
}

export class InvalidIdentityError extends FacteurError {
  readonly code = 'identity-invalid';
  constructor(channel: string, userId: string, reason: string) {
    super(`invalid ${channel} identity ${JSON.stringify(userId)}: ${reason}`, reason);
  }
}

export class IdentityLinkedElsewhereError extends FacteurError {
  readonly code = 'identity-linked-elsewhere';
  constructor(
    readonly channel: string,
    readonly userId: string,
    readonly otherAccountName: string,
  ) {
    super(
      `${channel}:${userId} is already linked to another account`,
      `${describeIdentity(channel, userId)} est déjà rattaché au compte « ${otherAccountName} ».`,
    );
  }
}

export class ConversationNotFoundError extends FacteurError {
  readonly code = 'conversation-not-found';
  constructor(readonly conversationId: string) {
    super(`conversation not found: ${conversationId}`, 'Ce brouillon n’existe plus.');
  }
}

/** The conversation moved since the caller loaded it: reload, re-run the event, apply again. */
export class RevisionConflictError extends FacteurError {
  readonly code = 'revision-conflict';
  constructor(
    readonly conversationId: string,
    readonly expectedRevision: number,
    readonly actualRevision: number,
  ) {
    super(
      `conversation ${conversationId}: expected revision ${expectedRevision}, found ${actualRevision}`,
      'Ce brouillon vient d’être modifié ailleurs ; réessayez.',
    );
  }
}

/** `conversations.create` with an idempotency key that was already applied. */
export class DuplicateEventError extends FacteurError {
  readonly code = 'event-duplicate';
  constructor(readonly duplicate: AppliedEvent) {
    super(`idempotency key already applied: ${duplicate.key}`, 'Ce message a déjà été traité.');
  }
}

export class SecretKeyInvalidError extends FacteurError {
  readonly code = 'secret-key-invalid';
  constructor(reason: string, source = 'FACTEUR_SECRET_KEY') {
    super(
      `invalid secret key (${source}): ${reason}`,
      `${source} invalide : ${reason} (32 octets en base64 ou 64 caractères hexadécimaux ; ex. \`openssl rand -base64 32\`).`,
    );
  }
}

export class SecretKeyMismatchError extends FacteurError {
  readonly code = 'secret-key-mismatch';
  constructor() {
    super(
      'the stored credentials were encrypted with another key',
      'Les identifiants Chorus de ce compte ont été chiffrés avec une autre clé : vérifiez FACTEUR_SECRET_KEY (ou le fichier secret.key du dossier de données).',
    );
  }
}

export class SecretTamperedError extends FacteurError {
  readonly code = 'secret-tampered';
  constructor(options?: { cause?: unknown }) {
    super(
      'stored credentials failed authentication (altered or corrupted)',
      'Les identifiants Chorus enregistrés sont illisibles (altérés ou corrompus) : enregistrez-les à nouveau.',
      options,
    );
  }
}

export class FileCorruptedError extends FacteurError {
  readonly code = 'file-corrupted';
  constructor(
    readonly fileId: string,
    reason: string,
  ) {
    super(
      `stored file ${fileId} is corrupted: ${reason}`,
      'Le fichier enregistré est illisible ou incomplet.',
    );
  }
}

export class StoreUnavailableError extends FacteurError {
  readonly code = 'store-unavailable';
  constructor(what: string, options?: { cause?: unknown }) {
    super(`store unavailable: ${what}`, `Base de données indisponible : ${what}.`, options);
  }
}

function describeIdentity(channel: string, userId: string): string {
  if (channel === 'telegram') return `L’utilisateur Telegram ${userId}`;
  if (channel === 'email') return `L’adresse ${userId}`;
  return 'Le terminal';
}
