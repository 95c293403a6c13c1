/**
 * « factur-x auto » at submit (issue #13): when the account asked for it, the Factur-X is made
 * from the confirmed data before the deposit and deposited as a flux (IN_DP_E2_CII_FACTURX)
 * through the flux path (`submitAsFlux`: marked durably first, integration report followed,
 * restarts resumed). Lines that do not add up stop the submit before anything is sent: the lines
 * read are shown and the user types them (kept per draft), then confirms again. When the Factur-X
 * cannot be made otherwise (PDF/A blockers, incomplete data) or Chorus Pro rejects the flux, the
 * plain PDF is deposited instead and the receipt says why.
 * Never twice: a flux already sent for this draft is followed, never sent again; the PDF goes
 * only once the flux is known rejected (or was never sent).
 */
import { FacturxLinesError } from '../facturx-out/errors.js';
import type { DepositReceipt, Submission } from '../deposit/port.js';
import type { Recognizer } from '../recognition/types.js';
import { FacteurError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/types.js';
import { submitAsFlux, type FluxSubmitDeps } from './facturx-submit.js';
import { FXO_TEXT, lineText } from './facturx-out-messages.js';
import { FXA_LINES_NAMESPACE, type AutoLines } from './facturx-out-commands.js';
import { sourceFromDraft, type FacturxOutPort } from './facturx-out-service.js';
import type { ActorFailure, DraftContext } from './types.js';

export interface AutoSubmitDeps extends Omit<FluxSubmitDeps, 'loadPdf'> {
  store: Store;
  logger: Logger;
  recognizer: Pick<Recognizer, 'inspect'>;
  port: FacturxOutPort;
  /** The draft's context as confirmed (values, suppliers, recipient). */
  context: () => DraftContext | undefined;
  loadPdf: () => Promise<{ file: { fileName: string }; bytes: Uint8Array }>;
  /** The plain PDF deposit (its own never-twice guard). */
  submitPdf: (submission: Submission) => Promise<DepositReceipt>;
}

const REJECTED = new Set(['flux-rejected', 'flux-incident', 'flux-not-depositable']);
const ENDED = new Set(['rejected', 'incident', 'abandoned']);

class NotMade extends Error {
  constructor(readonly notice: string) {
    super('facturx auto: not made');
  }
}

function isFailure(x: unknown): x is ActorFailure {
  return typeof x === 'object' && x !== null && typeof (x as ActorFailure).code === 'string';
}

const shortReasons = (reasons: readonly string[] | undefined, fallback: string) =>
  reasons && reasons.length > 0 ? reasons.slice(0, 2).join(' ; ') : fallback;

export async function submitFacturxAuto(
  deps: AutoSubmitDeps,
  submission: Submission,
): Promise<DepositReceipt> {
  const { store, conversationId } = deps;
  const logger = deps.logger.child({ facturxAuto: true });
  const previous = await store.deposits.get(conversationId);
  if (previous?.state === 'deposited' && previous.receipt) return previous.receipt;

  const record = await store.fluxDeposits.get(conversationId);
  if (record && ENDED.has(record.state)) {
    // The flux of this draft ended without an invoice: only the PDF is left to deposit.
    return fallback(
      deps,
      submission,
      FXO_TEXT.autoFallbackRejected(shortReasons(record.reasons, record.state)),
    );
  }

  let made: { pdf: Uint8Array; fileName: string } | undefined;
  const makeOnce = async () => (made ??= await make(deps));
  if (!record) {
    try {
      await makeOnce();
    } catch (error) {
      if (error instanceof NotMade) {
        logger.info({ conversation: conversationId }, 'facturx auto: not made, PDF deposit');
        return fallback(deps, submission, error.notice);
      }
      throw error;
    }
  }
  try {
    const receipt = await submitAsFlux(
      {
        ...deps,
        loadPdf: async () => {
          const out = await makeOnce();
          return { file: { fileName: out.fileName }, bytes: out.pdf };
        },
      },
      submission,
    );
    return { ...receipt, notice: FXO_TEXT.autoFluxDeposited };
  } catch (error) {
    if (error instanceof NotMade) return fallback(deps, submission, error.notice);
    if (isFailure(error) && REJECTED.has(error.code)) {
      logger.warn(
        { conversation: conversationId, code: error.code },
        'facturx auto: flux rejected, PDF deposit',
      );
      return fallback(
        deps,
        submission,
        FXO_TEXT.autoFallbackRejected(shortReasons(error.reasons, error.message)),
      );
    }
    throw error;
  }
}

async function fallback(
  deps: AutoSubmitDeps,
  submission: Submission,
  notice: string,
): Promise<DepositReceipt> {
  const receipt = await deps.submitPdf(submission);
  return { ...receipt, notice };
}

/** The Factur-X of the draft as confirmed; `NotMade` (with the French notice) when it cannot be made. */
async function make(deps: AutoSubmitDeps): Promise<{ pdf: Uint8Array; fileName: string }> {
  const ctx = deps.context();
  if (!ctx) throw new NotMade(FXO_TEXT.autoFallbackNotMade('brouillon introuvable'));
  const { file, bytes } = await deps.loadPdf();
  const report = await deps.recognizer.inspect(bytes, file.fileName);
  const typed = await deps.store.channelState.get<AutoLines>(FXA_LINES_NAMESPACE, deps.conversationId);
  const source = sourceFromDraft(ctx, report, typed?.lines);
  if (!source.ok) throw new NotMade(FXO_TEXT.autoFallbackNotMade('données incomplètes'));
  try {
    return await deps.port.produce(bytes, source.source, file.fileName);
  } catch (error) {
    if (error instanceof FacturxLinesError) {
      // Nothing is invented: the lines read are shown, the user types them, then confirms again.
      await deps.store.channelState.set(FXA_LINES_NAMESPACE, deps.conversationId, { asked: true });
      const lines = source.source.lines;
      const failure: ActorFailure = {
        code: 'facturx-lines',
        message: [
          lines.length ? FXO_TEXT.linesRead : FXO_TEXT.noLinesRead,
          ...lines.map(lineText),
          error.userMessage,
          FXO_TEXT.autoLinesAsk(source.source.invoiceNumber),
        ].join('\n'),
        transient: false,
      };
      throw failure;
    }
    if (error instanceof FacteurError) throw new NotMade(FXO_TEXT.autoFallbackNotMade(error.userMessage));
    throw error;
  }
}
