import type { Logger } from '../shared/logger.js';
import type { Account, ConversationRecord, IdentityKey, Store } from '../store/types.js';
import type { HandleResult, UserInput } from './conversation-port.js';
import { isFinished, type AdvanceOptions } from './draft-runner.js';
import { MACHINE_VERSION } from './machine.js';
import { SERVICE_TEXT } from './messages.js';
import { secondPdfQuestion } from './after-deposit-attach.js';
import { errorView, infoView } from './service-views.js';
import type { Prefill } from './types.js';
import type { View } from './view.js';

/** Chorus Pro limits checked before anything is stored. */
export const MAX_PDF_BYTES = 10 * 1024 * 1024;
const MAX_FILE_NAME = 200;
/** Channel-state namespace: inbound message key → the draft its PDF opened (crash replay). */
const FILE_DRAFTS_NAMESPACE = 'service:file-drafts';

export type FileInput = Extract<UserInput, { type: 'file' }>;

export interface FileIntakeDeps {
  store: Store;
  logger: Logger;
  advance(record: ConversationRecord, options: AdvanceOptions, actor?: IdentityKey): Promise<HandleResult>;
  recordOnce(key: string | undefined, views: View[]): Promise<HandleResult>;
}

/** A PDF received from a channel: checked, stored, and opened as a new draft (analysed at once). */
export function createFileIntake(deps: FileIntakeDeps) {
  const { store, logger, advance, recordOnce } = deps;

  function checkFile(input: FileInput): string | undefined {
    const name = input.fileName || 'facture.pdf';
    if (input.bytes.byteLength === 0) return SERVICE_TEXT.fileEmpty(name);
    const magic = Buffer.from(input.bytes.subarray(0, 1024)).toString('latin1');
    const looksPdf = magic.includes('%PDF-');
    if (!looksPdf) return SERVICE_TEXT.fileNotPdf(name);
    if (input.bytes.byteLength > MAX_PDF_BYTES) return SERVICE_TEXT.fileTooLarge(name);
    if (name.length > MAX_FILE_NAME) return SERVICE_TEXT.fileNameTooLong;
    return undefined;
  }

  async function handleFile(
    identity: IdentityKey,
    account: Account,
    input: FileInput,
    key?: string,
    /** A new draft pre-filled from a rejected invoice (after-deposit-actions.ts). */
    prefill?: Prefill,
  ): Promise<HandleResult> {
    const problem = checkFile(input);
    if (problem) return recordOnce(key, [errorView(problem)]);
    const fileName = (input.fileName || 'facture.pdf').replace(/[/\\]/g, '_');
    const previousId = await store.conversations.getCurrent(identity);
    const previous = previousId ? await store.conversations.get(previousId) : undefined;
    // A crash between the draft's creation and the first applied event (the PDF analysis takes
    // seconds) must not leave a ghost draft: the inbound key remembers the draft it created, and a
    // replay of the same message carries on with that draft instead of opening a second one.
    const started = key
      ? await store.channelState.get<{ draftId: string }>(FILE_DRAFTS_NAMESPACE, key)
      : undefined;
    const resumed = started ? await store.conversations.get(started.draftId) : undefined;
    const record =
      resumed ??
      (await store.conversations.create({
        accountId: account.id,
        startedBy: identity,
        snapshot: null,
        machineVersion: MACHINE_VERSION,
        makeCurrent: true,
      }));
    if (!resumed && key) await store.channelState.set(FILE_DRAFTS_NAMESPACE, key, { draftId: record.id });
    const stored = resumed ? await store.files.listByConversation(record.id) : [];
    if (!stored.some((f) => f.kind === 'invoice-pdf')) {
      await store.files.put({
        kind: 'invoice-pdf',
        fileName,
        mimeType: 'application/pdf',
        bytes: input.bytes,
        accountId: account.id,
        conversationId: record.id,
      });
    }
    if (!resumed) {
      await store.audit.record({
        actor: identity,
        action: 'draft.created',
        accountId: account.id,
        conversationId: record.id,
        details: { fileName, size: input.bytes.byteLength },
      });
      logger.info(
        { conversation: record.id, provisional: record.provisionalNumber, size: input.bytes.byteLength },
        'draft created',
      );
    }
    const preface =
      previous && previous.id !== record.id && !isFinished(previous.status)
        ? [
            infoView(
              [
                SERVICE_TEXT.newDraftWhileOpen(record.provisionalNumber, previous.provisionalNumber),
                ...secondPdfQuestion(previous).lines,
              ],
              {
                draftId: record.id,
                provisionalNumber: record.provisionalNumber,
                choices: secondPdfQuestion(previous, record).choices,
              },
            ),
          ]
        : [];
    return advance(
      record,
      {
        event: () => null,
        idempotencyKey: key,
        preface,
        input: {
          draftId: record.id,
          provisionalNumber: record.provisionalNumber,
          fileName,
          fileSize: input.bytes.byteLength,
          ...(prefill ? { prefill } : {}),
        },
      },
      identity,
    );
  }

  return { handleFile };
}
