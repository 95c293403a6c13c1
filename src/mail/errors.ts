import { FacteurError } from '../shared/errors.js';

/** A message that cannot be read (broken MIME, no sender). */
export class MalformedMailError extends FacteurError {
  readonly code = 'mail-malformed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'Ce message est illisible (format MIME invalide) : renvoyez-le depuis votre messagerie habituelle.', options);
  }
}

/** The SMTP server refused or could not take our answer. */
export class MailSendError extends FacteurError {
  readonly code = 'mail-send-failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'L’envoi de la réponse par e-mail a échoué ; elle sera retentée.', options);
  }
}

/** The IMAP server refused the login or the mailbox. */
export class MailboxError extends FacteurError {
  readonly code = 'mailbox-unavailable';
  constructor(message: string, options?: { cause?: unknown; userMessage?: string }) {
    super(
      message,
      options?.userMessage ?? 'La boîte aux lettres de Facteur est inaccessible (vérifiez IMAP_URL et le mot de passe).',
      options,
    );
  }
}
