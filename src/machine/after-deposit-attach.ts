import type { ChorusCredentials } from '../deposit/port.js';
import { FacteurError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Account, ConversationRecord, IdentityKey, Store } from '../store/types.js';
import { AFTER_CHOICE } from './after-deposit-commands.js';
import { AFTER_CHOICES, AFTER_TEXT } from './after-deposit-messages.js';
import type { AfterDepositPorts } from './after-deposit-port.js';
import type { HandleResult } from './conversation-port.js';
import type { AdvanceOptions } from './draft-runner.js';
import { errorView, helpChoices, infoView } from './service-views.js';
import type { Choice, View } from './view.js';

/**
 * A second PDF sent while a draft is open: it opens its own draft at once (two invoices in a row
 * stay two drafts), and the answer asks whether it is rather a supporting document of the open
 * draft (bon de commande, PV de réception). Answering so uploads it with Chorus Pro
 * `ajouter/fichier`, adds it to the open draft (ATTACH: shown in the summary, sent with the
 * invoice, listed on the receipt) and deletes the draft the PDF had opened.
 */

/** The question's lines and choices on the « nouveau brouillon » note (none unless `previous` is open). */
export function secondPdfQuestion(
  previous: ConversationRecord,
  created?: ConversationRecord,
): { lines: string[]; choices: Choice[] } {
  if (previous.status !== 'open' || !created)
    return {
      lines: previous.status === 'open' ? [AFTER_TEXT.secondPdfAsk(previous.provisionalNumber)] : [],
      choices: helpChoices(),
    };
  return {
    lines: [AFTER_TEXT.secondPdfAsk(previous.provisionalNumber)],
    choices: [
      {
        id: AFTER_CHOICE.attachDraft(created.id, previous.id),
        label: AFTER_CHOICES.attachTo(previous.provisionalNumber),
      },
      ...helpChoices(),
    ],
  };
}

export interface AttachDeps {
  store: Store;
  logger: Logger;
  ports: AfterDepositPorts;
  credentials(accountId: string): Promise<ChorusCredentials>;
  advance(record: ConversationRecord, options: AdvanceOptions, actor?: IdentityKey): Promise<HandleResult>;
}

/** « Pièce jointe de PROV-… »: the PDF of draft `draftId` joins the open draft `to`. */
export async function attachDraftPdf(
  deps: AttachDeps,
  identity: IdentityKey,
  account: Account,
  draftId: string,
  to: string,
): Promise<View[]> {
  const { store, logger, ports } = deps;
  const source = await store.conversations.get(draftId);
  const target = await store.conversations.get(to);
  if (!source || !target || source.accountId !== account.id || target.accountId !== account.id)
    return [errorView(AFTER_TEXT.actionUnknownDraft)];
  if (target.status !== 'open') return [infoView([AFTER_TEXT.draftNotOpen(target.provisionalNumber)])];
  const pdf = (await store.files.listByConversation(source.id)).find((f) => f.kind === 'invoice-pdf');
  const stored = pdf ? await store.files.get(pdf.id) : undefined;
  if (!stored) return [infoView([AFTER_TEXT.pendingGone])];
  if (!ports.addAttachment) return [errorView(AFTER_TEXT.actionUnavailable)];
  let uploaded;
  try {
    uploaded = await ports.addAttachment(await deps.credentials(account.id), {
      fileName: stored.file.fileName,
      mimeType: stored.file.mimeType,
      bytes: stored.bytes,
    });
  } catch (error) {
    if (error instanceof FacteurError) return [errorView(error.userMessage)];
    throw error;
  }
  logger.info({ conversation: target.id, from: source.id }, 'second PDF attached');
  const attachment = {
    pieceJointeId: uploaded.pieceJointeId,
    fileName: uploaded.fileName,
    fileSize: stored.file.size,
  };
  const attached = await deps.advance(
    target,
    { event: () => ({ type: 'ATTACH', attachment }), idempotencyKey: `attach:${source.id}:${target.id}` },
    identity,
  );
  // The draft the PDF had opened goes (its file with it); the open draft is the current one again.
  if (source.status === 'open')
    await deps.advance(
      source,
      { event: () => ({ type: 'DISCARD' }), idempotencyKey: `discard:${source.id}` },
      identity,
    );
  await store.conversations.setCurrent(identity, target.id);
  return [
    infoView([AFTER_TEXT.discarded(source.provisionalNumber, target.provisionalNumber)], { choices: [] }),
    ...attached.views.filter((v) => v.draftId === target.id),
  ];
}
