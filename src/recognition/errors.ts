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

/** `inspect` or `renderPreview` called after `close()`. */
export class RecognizerClosedError extends FacteurError {
  readonly code = 'recognizer-closed';
  constructor() {
    super('recognizer used after close()', 'Le moteur de lecture des PDF est arrêté.');
  }
}
