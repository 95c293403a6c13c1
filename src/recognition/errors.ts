import { FacteurError } from '../shared/errors.js';

/** The compiled worker is missing (source run without `npm run build`). */
export class RecognitionUnavailableError extends FacteurError {
  readonly code = 'recognition-unavailable';
  constructor(path: string) {
    super(
      `recognition worker not found at ${path}`,
      'Le moteur de lecture des PDF n’est pas compilé : lancez « npm run build » puis réessayez.',
    );
  }
}

/** The preview could not be drawn (unreadable PDF, timeout). */
export class PreviewError extends FacteurError {
  readonly code = 'preview-failed';
  constructor(message: string) {
    super(message, 'Impossible de dessiner l’aperçu de ce PDF.');
  }
}

/**
 * The preview was not drawn because too many waited, or for too long (a sustained load): the
 * report is with the user, the image would come too late to help.
 */
export class PreviewSkippedError extends PreviewError {
  constructor() {
    super('preview skipped: too many previews waiting, or for too long');
  }
}

/** `inspect` or `renderPreview` called after `close()`. */
export class RecognizerClosedError extends FacteurError {
  readonly code = 'recognizer-closed';
  constructor() {
    super('recognizer used after close()', 'Le moteur de lecture des PDF est arrêté.');
  }
}
