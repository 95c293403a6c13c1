import { PreviewSkippedError, RecognizerClosedError } from '../recognition/errors.js';
import type { Recognizer } from '../recognition/types.js';
import type { Logger } from '../shared/logger.js';
import type { ConversationRecord, Store } from '../store/types.js';
import type { DocumentRead } from './draft-runner.js';
import { isFinished } from './draft-runner.js';
import type { Attachment, View } from './view.js';

/**
 * The page-1 preview of a new draft, drawn after its report: the report goes out as soon as the
 * reading and the look-ups are done, the preview follows (low priority in the recognition pool,
 * a light JPEG for a phone screen). Kept with the draft's files, so a later view of the report
 * (« reprendre ») shows it again.
 */

/** A phone-sized image: about 740 × 1050 px for an A4 page. */
export const CHAT_PREVIEW = { format: 'jpeg', scale: 1.25 } as const;
export const PREVIEW_FILE = { fileName: 'apercu.jpg', mimeType: 'image/jpeg' } as const;

export interface PreviewFollowUpDeps {
  store: Store;
  recognizer: Recognizer;
  logger: Logger;
  /** Keeps the drawing in hand for the service's stop. */
  track: <T>(work: Promise<T>) => Promise<T>;
}

export function createPreviewFollowUp(deps: PreviewFollowUpDeps) {
  const { store, recognizer } = deps;

  async function draw(record: ConversationRecord, read: DocumentRead): Promise<View[]> {
    const logger = deps.logger.child({ conversation: record.id });
    const gone = async () => {
      const now = await store.conversations.get(record.id);
      return !now || isFinished(now.status);
    };
    try {
      // Drawn late (a burst's previews wait for the reports): a draft already deposited or
      // cancelled needs no preview, and the pool is spared the drawing.
      if (await gone()) return [];
      const bytes = await recognizer.renderPreview(read.pdf, read.report, CHAT_PREVIEW);
      // Cancelled or ended while the preview was drawn: its files are gone, nothing to add.
      if (await gone()) return [];
      await store.files.put({
        kind: 'preview-png',
        ...PREVIEW_FILE,
        bytes,
        accountId: record.accountId,
        conversationId: record.id,
      });
      const attachment: Attachment = { kind: 'preview-png', ...PREVIEW_FILE, bytes };
      return [
        {
          kind: 'info',
          draftId: record.id,
          provisionalNumber: record.provisionalNumber,
          lines: [],
          choices: [],
          attachments: [attachment],
        },
      ];
    } catch (error) {
      // The report is already with the user: a missing preview is only logged (quietly when
      // Facteur is stopping, or when the pool skipped it under a sustained load).
      if (error instanceof RecognizerClosedError) logger.debug('preview dropped at stop');
      else if (error instanceof PreviewSkippedError) logger.debug('preview skipped under load');
      else logger.warn({ err: error }, 'preview not rendered');
      return [];
    }
  }

  /** The follow-up of a report: drawn once, on the first call. */
  return function previewOf(record: ConversationRecord, read: DocumentRead): () => Promise<View[]> {
    let drawn: Promise<View[]> | undefined;
    return () => (drawn ??= deps.track(draw(record, read)));
  };
}
