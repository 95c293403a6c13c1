import type { ChorusCredentials, DepositService } from '../deposit/port.js';
import { formatDepositInstant, statusLabel } from '../deposit/receipt-pdf.js';
import type { Logger } from '../shared/logger.js';
import type { Account, ConversationRecord, IdentityKey, Store } from '../store/types.js';
import type { GlobalCommand } from './commands.js';
import { isFinished, type DraftSnapshot } from './draft-runner.js';
import { SERVICE_TEXT } from './messages.js';
import { describeStep, renderDraft } from './render.js';
import { draftsView, errorView, helpView, infoView, statusView } from './service-views.js';
import type { View } from './view.js';

/**
 * The service's answers that read drafts without running their machine: stored views (with the
 * receipt PDF or the preview attached), the global commands (aide, brouillons, reprendre,
 * statut, plus tard).
 */

export interface DraftViewsDeps {
  store: Store;
  deposit: DepositService;
  credentials: (accountId: string) => Promise<ChorusCredentials>;
  logger: Logger;
}

export function createDraftViews(deps: DraftViewsDeps) {
  const { store, deposit, logger } = deps;

  async function enrich(views: View[], record: { id: string }): Promise<View[]> {
    for (const view of views) {
      if (view.kind === 'receipt' && view.draftId === record.id && !view.attachments) {
        const dep = await store.deposits.get(record.id);
        const file = dep?.receiptFileId ? await store.files.get(dep.receiptFileId) : undefined;
        if (file) {
          view.attachments = [
            {
              kind: 'receipt-pdf',
              fileName: file.file.fileName,
              mimeType: file.file.mimeType,
              bytes: file.bytes,
            },
          ];
          view.lines.push('Le récapitulatif de dépôt est joint (PDF).');
        }
      }
      if (view.kind === 'report' && view.draftId === record.id && !view.attachments) {
        const preview = (await store.files.listByConversation(record.id)).find(
          (f) => f.kind === 'preview-png',
        );
        const file = preview ? await store.files.get(preview.id) : undefined;
        if (file)
          view.attachments = [
            {
              kind: 'preview-png',
              fileName: file.file.fileName,
              mimeType: file.file.mimeType,
              bytes: file.bytes,
            },
          ];
      }
    }
    return views;
  }

  /** The stored draft's views, without running anything. */
  async function currentViews(record: ConversationRecord): Promise<View[]> {
    const snap = record.snapshot as DraftSnapshot | null;
    if (!snap)
      return [
        infoView([SERVICE_TEXT.stepLabels.analysing], {
          draftId: record.id,
          provisionalNumber: record.provisionalNumber,
        }),
      ];
    const views = await enrich(renderDraft(snap), record);
    for (const v of views) if (v.draftId === record.id) v.revision = record.revision;
    return views.filter((v) => v.kind !== 'report' || views.length === 1);
  }

  function describe(record: ConversationRecord): string {
    const snap = record.snapshot as DraftSnapshot | null;
    return snap ? describeStep(snap, SERVICE_TEXT.stepLabels) : SERVICE_TEXT.stepLabels.analysing;
  }

  async function ownedDraft(
    account: Account,
    draftId: string | undefined,
  ): Promise<ConversationRecord | undefined> {
    if (!draftId) return undefined;
    const rec = await store.conversations.get(draftId);
    return rec && rec.accountId === account.id ? rec : undefined;
  }

  async function runCommand(
    identity: IdentityKey,
    account: Account,
    command: GlobalCommand,
    draftId?: string,
  ): Promise<View[]> {
    switch (command.kind) {
      case 'help': {
        // The help, then where the current draft is, so the user can go on right away.
        const current = await ownedDraft(
          account,
          draftId ?? (await store.conversations.getCurrent(identity)),
        );
        return current && !isFinished(current.status)
          ? [helpView(), ...(await currentViews(current))]
          : [helpView()];
      }
      case 'drafts': {
        const current = await store.conversations.getCurrent(identity);
        const open = await store.conversations.list({
          accountId: account.id,
          statuses: ['open', 'submitting'],
          limit: 50,
        });
        return [
          draftsView(
            open.map((r) => ({
              draftId: r.id,
              provisionalNumber: r.provisionalNumber,
              what: describe(r),
              updatedAt: r.updatedAt,
              current: r.id === current,
            })),
          ),
        ];
      }
      case 'resume': {
        const rec =
          (await ownedDraft(account, command.reference)) ??
          (await store.conversations.findByProvisionalNumber(account.id, command.reference));
        if (!rec) return [errorView(SERVICE_TEXT.draftNotFound(command.reference))];
        if (isFinished(rec.status))
          return [
            infoView([SERVICE_TEXT.draftFinished(rec.provisionalNumber)]),
            ...(await currentViews(rec)),
          ];
        await store.conversations.setCurrent(identity, rec.id);
        return [
          infoView([SERVICE_TEXT.resumed(rec.provisionalNumber)], {
            draftId: rec.id,
            provisionalNumber: rec.provisionalNumber,
          }),
          ...(await currentViews(rec)),
        ];
      }
      case 'later': {
        const rec = await ownedDraft(account, draftId ?? (await store.conversations.getCurrent(identity)));
        if (!rec || isFinished(rec.status)) return [infoView([SERVICE_TEXT.noCurrentDraft])];
        await store.conversations.setCurrent(identity, null);
        return [
          infoView([SERVICE_TEXT.keptAsDraft(rec.provisionalNumber)], {
            draftId: rec.id,
            provisionalNumber: rec.provisionalNumber,
          }),
        ];
      }
      case 'status': {
        const rec = await ownedDraft(account, draftId ?? (await store.conversations.getCurrent(identity)));
        if (!rec) return [infoView([SERVICE_TEXT.noCurrentDraft])];
        const base = { draftId: rec.id, provisionalNumber: rec.provisionalNumber };
        const dep = rec.status === 'submitted' ? await store.deposits.get(rec.id) : undefined;
        if (dep?.receipt) {
          try {
            const follow = await deposit.followUp(
              await deps.credentials(account.id),
              dep.receipt.chorusInvoiceId,
            );
            const history = follow.history.map(
              (h) =>
                `• ${formatDepositInstant(h.at)} : ${statusLabel(h.status)}${h.comment ? ` — ${h.comment}` : ''}`,
            );
            return [
              statusView(
                [
                  SERVICE_TEXT.statusDeposited(
                    rec.provisionalNumber,
                    String(follow.chorusInvoiceId),
                    statusLabel(follow.status),
                  ),
                  ...history,
                ],
                base,
              ),
            ];
          } catch (error) {
            logger.warn({ err: error }, 'follow-up failed');
            return [
              statusView(
                [
                  SERVICE_TEXT.statusDeposited(
                    rec.provisionalNumber,
                    String(dep.receipt.chorusInvoiceId),
                    statusLabel(dep.receipt.status),
                  ),
                  SERVICE_TEXT.statusUnavailable,
                ],
                base,
              ),
            ];
          }
        }
        return [
          statusView([SERVICE_TEXT.statusDraft(rec.provisionalNumber, describe(rec))], base),
          ...(isFinished(rec.status) ? [] : await currentViews(rec)),
        ];
      }
    }
  }

  return { enrich, currentViews, describe, ownedDraft, runCommand };
}
