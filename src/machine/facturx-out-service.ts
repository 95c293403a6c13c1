/**
 * « Version Factur-X » of a deposited invoice: the stored PDF read again for its lines (and the
 * printed IBAN / VAT number), the data the user confirmed, the Factur-X made and sent back with
 * one sentence on what it is for. When the lines do not add up to the confirmed totals, the
 * lines read are shown and the user types them (nothing is invented); the question waits in the
 * durable key-value state until answered or cancelled. The default deposit path is untouched.
 */
import type { Recognizer } from '../recognition/types.js';
import type { FacturxLine, FacturxSource } from '../facturx-out/types.js';
import { sourceFromReport } from '../facturx-out/source-from-report.js';
import { parseLinesText } from '../facturx-out/line-text.js';
import { FacturxLinesError } from '../facturx-out/errors.js';
import { FACTURX_PURPOSE } from '../facturx-out/messages.js';
import { FacteurError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Account, ConversationRecord, IdentityKey, Store } from '../store/types.js';
import type { DraftSnapshot } from './draft-runner.js';
import type { DraftContext } from './types.js';
import { findInvoiceConversation } from './after-deposit-invoices.js';
import { FXO_CHOICE, FXO_PENDING_NAMESPACE, type FacturxOutCommand } from './facturx-out-commands.js';
import { FXO_CHOICES, FXO_TEXT, lineText } from './facturx-out-messages.js';
import { errorView, infoView } from './service-views.js';
import type { View } from './view.js';

/** Makes the Factur-X (src/facturx-out/produce.ts behind it; injected so tests and apps choose). */
export interface FacturxOutPort {
  produce(
    pdf: Uint8Array,
    source: FacturxSource,
    originalName: string,
  ): Promise<{ pdf: Uint8Array; fileName: string }>;
}

export interface FacturxOutDeps {
  store: Store;
  logger: Logger;
  recognizer: Pick<Recognizer, 'inspect'>;
  port?: FacturxOutPort;
}

const idKey = (identity: IdentityKey) => `${identity.channel}:${identity.userId}`;

/** The confirmed data of a deposited draft, completed by the page (IBAN, VAT number, lines). */
export function sourceFromDraft(
  ctx: DraftContext,
  report: Parameters<typeof sourceFromReport>[0],
  typed?: FacturxLine[],
): ReturnType<typeof sourceFromReport> {
  const v = ctx.values;
  const supplier = ctx.suppliers.find((s) => s.idStructureCPP === v.supplier);
  return sourceFromReport(report, {
    recipientSiret: v.recipient ?? ctx.receipt?.recipientSiret ?? '',
    recipientName: ctx.recipientInfo?.structure.name ?? ctx.receipt?.recipientName,
    serviceCode: v.service,
    engagement: v.engagement,
    market: v.market,
    cadre: v.cadre,
    invoiceNumber: v.invoiceNumber,
    invoiceDate: v.invoiceDate,
    creditNote: v.invoiceType === 'AVOIR',
    supplierSiret: supplier?.siret ?? ctx.receipt?.supplierSiret,
    supplierName: supplier?.name,
    vatRegime: v.vatRegime,
    totalExclTaxCents: v.totalExclTax,
    totalTaxCents: v.totalTax,
    totalInclTaxCents: v.totalInclTax,
    ...(typed ? { lines: typed } : {}),
  });
}

export function createFacturxOut(deps: FacturxOutDeps) {
  const { store, logger } = deps;

  async function target(identity: IdentityKey, account: Account, cmd: FacturxOutCommand) {
    const id =
      cmd.draftId ??
      (cmd.reference
        ? await findInvoiceConversation(store, account.id, cmd.reference)
        : await store.conversations.getCurrent(identity));
    const record = id ? await store.conversations.get(id) : undefined;
    return record && record.accountId === account.id ? record : undefined;
  }

  async function make(
    identity: IdentityKey,
    record: ConversationRecord,
    typed?: FacturxLine[],
  ): Promise<View[]> {
    const ctx = (record.snapshot as DraftSnapshot | null)?.context;
    const where = { draftId: record.id, provisionalNumber: record.provisionalNumber };
    if (!ctx?.receipt) return [infoView([FXO_TEXT.notDeposited], where)];
    if (!deps.port) return [errorView(FXO_TEXT.unavailable, where)];
    const file = (await store.files.listByConversation(record.id)).find((f) => f.kind === 'invoice-pdf');
    const stored = file ? await store.files.get(file.id) : undefined;
    if (!stored) return [infoView([FXO_TEXT.pdfGone], where)];
    const report = await deps.recognizer.inspect(stored.bytes, stored.file.fileName);
    const source = sourceFromDraft(ctx, report, typed);
    if (!source.ok) return [errorView(FXO_TEXT.unavailable, where)];
    try {
      const out = await deps.port.produce(stored.bytes, source.source, stored.file.fileName);
      await store.channelState.delete(FXO_PENDING_NAMESPACE, idKey(identity));
      logger.info({ conversation: record.id, typedLines: Boolean(typed) }, 'facturx version made');
      return [
        infoView([FACTURX_PURPOSE], {
          ...where,
          attachments: [
            { kind: 'facturx-pdf', fileName: out.fileName, mimeType: 'application/pdf', bytes: out.pdf },
          ],
        }),
      ];
    } catch (error) {
      if (error instanceof FacturxLinesError) {
        await store.channelState.set(FXO_PENDING_NAMESPACE, idKey(identity), { draftId: record.id });
        logger.info(
          { conversation: record.id, problems: error.problems.map((p) => p.code) },
          'facturx lines asked',
        );
        const lines = source.source.lines;
        return [
          infoView(
            [
              lines.length ? FXO_TEXT.linesRead : FXO_TEXT.noLinesRead,
              ...lines.map(lineText),
              error.userMessage,
              FXO_TEXT.linesAsk(source.source.invoiceNumber),
            ],
            {
              ...where,
              choices: [{ id: FXO_CHOICE.cancel, label: FXO_CHOICES.cancel }],
              expectsText: { field: 'facturx-lines', hint: FXO_TEXT.linesAsk(source.source.invoiceNumber) },
            },
          ),
        ];
      }
      if (error instanceof FacteurError) {
        logger.warn({ conversation: record.id, code: error.code }, 'facturx version refused');
        return [errorView(error.userMessage, where)];
      }
      throw error;
    }
  }

  /** The button or the typed request. */
  async function version(identity: IdentityKey, account: Account, cmd: FacturxOutCommand): Promise<View[]> {
    const record = await target(identity, account, cmd);
    if (!record)
      return [errorView(cmd.reference ? FXO_TEXT.unknownInvoice(cmd.reference) : FXO_TEXT.noInvoice)];
    return make(identity, record);
  }

  /** A text while lines are awaited: the lines (or « annuler »); undefined when none are awaited. */
  async function pendingText(
    identity: IdentityKey,
    account: Account,
    text: string,
  ): Promise<View[] | undefined> {
    const pending = await store.channelState.get<{ draftId: string }>(FXO_PENDING_NAMESPACE, idKey(identity));
    if (!pending) return undefined;
    // An open draft keeps its own answers: only lines (or « annuler » with no open draft) go here.
    const currentId = await store.conversations.getCurrent(identity);
    const current = currentId ? await store.conversations.get(currentId) : undefined;
    const draftOpen = current?.status === 'open';
    if (/^\s*(annuler|non|stop|laisser tomber)\s*[.!]?\s*$/i.test(text))
      return draftOpen ? undefined : cancel(identity);
    const record = await target(identity, account, { kind: 'facturx-version', draftId: pending.draftId });
    if (!record) {
      await store.channelState.delete(FXO_PENDING_NAMESPACE, idKey(identity));
      return undefined;
    }
    const ctx = (record.snapshot as DraftSnapshot | null)?.context;
    const vatFree = ctx?.values.vatRegime === 'SANS_TVA' || ctx?.values.vatRegime === 'EXONERATION';
    const typed = parseLinesText(text, { vatFree });
    if (!typed.ok && draftOpen) return undefined;
    if (!typed.ok)
      return [
        infoView([FXO_TEXT.lineUnreadable(typed.line)], {
          choices: [{ id: FXO_CHOICE.cancel, label: FXO_CHOICES.cancel }],
        }),
      ];
    return make(identity, record, typed.lines);
  }

  async function cancel(identity: IdentityKey): Promise<View[]> {
    await store.channelState.delete(FXO_PENDING_NAMESPACE, idKey(identity));
    return [infoView([FXO_TEXT.cancelled])];
  }

  return { version, pendingText, cancel };
}
