import type { Logger } from '../shared/logger.js';
import { createSilentLogger } from '../shared/logger.js';
import { ATTACHMENT_EXTENSIONS, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENT_NAME } from './api/follow-up.js';
import type { ChorusClient } from './client.js';
import { ChorusInputError, ChorusTransportError } from './errors.js';
import type {
  AttachmentFile,
  ChangedInvoice,
  FollowUpService,
  InvoiceHistory,
  UploadedAttachment,
} from './follow-up-port.js';
import { FOLLOW_UP_MESSAGES as M } from './follow-up-messages.js';
import { amountToCents } from './money.js';
import type { ChorusCredentials } from './port.js';

export interface FollowUpServiceDeps {
  clientFor: (creds: ChorusCredentials) => ChorusClient;
  logger?: Logger;
  /** Results per page of the changed-invoice search (default 500). */
  pageSize?: number;
  /** Pages read at most per search (default 200: 100,000 changes), a bound on one cycle. */
  maxPages?: number;
}

/** A Chorus date or date-time (`2025-03-14`, `2025-03-14 10:00`, ISO) as an ISO date-time. */
export function chorusInstant(value: string): string {
  const v = value.trim();
  const parsed = Date.parse(/^\d{4}-\d{2}-\d{2} \d/.test(v) ? v.replace(' ', 'T') : v);
  return Number.isNaN(parsed) ? v : new Date(parsed).toISOString();
}

/** `facture.pdf` → `PDF`; undefined without an extension. */
function extensionOf(fileName: string): string | undefined {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(fileName);
  return m?.[1]?.toUpperCase();
}

/** Shortens a name to Chorus' 50 characters, keeping the extension; no path, no control chars. */
export function attachmentName(fileName: string): string {
  const base =
    fileName
      .split(/[\\/]/)
      .pop()!
      .split('')
      .filter((c) => c.charCodeAt(0) >= 0x20)
      .join('')
      .trim() || 'piece-jointe';
  if (base.length <= MAX_ATTACHMENT_NAME) return base;
  const ext = extensionOf(base);
  const suffix = ext ? `.${base.slice(base.length - ext.length)}` : '';
  return base.slice(0, MAX_ATTACHMENT_NAME - suffix.length) + suffix;
}

function checkAttachment(file: AttachmentFile): { name: string; extension: string } {
  const issue = (message: string): never => {
    throw new ChorusInputError('ajouterFichierDansSysteme', [{ path: ['bytes'], message }], message);
  };
  if (file.bytes.byteLength === 0) issue(M.attachmentEmpty);
  if (file.bytes.byteLength > MAX_ATTACHMENT_BYTES) issue(M.attachmentTooLarge);
  const extension = extensionOf(file.fileName) ?? '';
  if (!(ATTACHMENT_EXTENSIONS as readonly string[]).includes(extension))
    issue(M.attachmentExtension(extension || '?'));
  return { name: attachmentName(file.fileName), extension };
}

const isUploaded = (a: UploadedAttachment | AttachmentFile): a is UploadedAttachment =>
  typeof (a as UploadedAttachment).pieceJointeId === 'number';

/** The after-deposit operations on top of the PISTE client (real Chorus Pro or the simulator). */
export function createFollowUpService(deps: FollowUpServiceDeps): FollowUpService {
  const logger = (deps.logger ?? createSilentLogger()).child({ component: 'follow-up-client' });
  const pageSize = deps.pageSize ?? 500;
  const maxPages = deps.maxPages ?? 200;

  async function history(
    creds: ChorusCredentials,
    chorusInvoiceId: number,
    signal?: AbortSignal,
  ): Promise<InvoiceHistory> {
    const h = await deps.clientFor(creds).invoiceHistory(chorusInvoiceId, { signal });
    const entries = (h.historiquesDesStatuts?.histoStatut ?? [])
      .map((e) => ({
        ...(e.histoStatutId !== null && e.histoStatutId !== undefined ? { id: e.histoStatutId } : {}),
        status: e.histoStatutCode,
        at: chorusInstant(e.histoStatutDatePassage),
        ...(e.histoStatutCommentaire ? { comment: e.histoStatutCommentaire } : {}),
        ...(e.histoStatutUtilisateurNom ? { by: e.histoStatutUtilisateurNom } : {}),
      }))
      .sort((a, b) => a.at.localeCompare(b.at) || (a.id ?? 0) - (b.id ?? 0));
    return {
      chorusInvoiceId,
      ...(h.numeroFacture ? { invoiceNumber: h.numeroFacture } : {}),
      status: h.statutCourantCode ?? entries.at(-1)?.status ?? 'INCONNU',
      entries,
    };
  }

  async function addAttachment(creds: ChorusCredentials, file: AttachmentFile): Promise<UploadedAttachment> {
    const { name, extension } = checkAttachment(file);
    const result = await deps.clientFor(creds).call('ajouterFichier', {
      pieceJointeFichier: Buffer.from(
        file.bytes.buffer,
        file.bytes.byteOffset,
        file.bytes.byteLength,
      ).toString('base64'),
      pieceJointeNom: name,
      pieceJointeTypeMime: (file.mimeType || 'application/octet-stream').slice(0, 255),
      pieceJointeExtension: extension,
    });
    logger.info({ pieceJointeId: result.pieceJointeId, size: file.bytes.byteLength }, 'attachment uploaded');
    return { pieceJointeId: result.pieceJointeId, fileName: name };
  }

  return {
    async changedSince(creds, since, options = {}) {
      const client = deps.clientFor(creds);
      const size = options.pageSize ?? pageSize;
      const invoices: ChangedInvoice[] = [];
      let calls = 0;
      for (let page = 1; page <= maxPages; page++) {
        const result = await client.searchInvoices(
          {
            periodeDateHeureEtatCourantDu: since,
            ...(options.until ? { periodeDateHeureEtatCourantAu: options.until } : {}),
            rechercheFactureParFournisseur: { nbResultatsParPage: size, pageResultatDemandee: page },
          },
          { signal: options.signal },
        );
        calls++;
        for (const f of result.listeFactures ?? []) {
          if (!f.statut) continue;
          invoices.push({
            chorusInvoiceId: f.identifiantFactureCPP,
            invoiceNumber: f.numeroFacture,
            status: f.statut,
            statusAt: chorusInstant(f.dateHeureEtatCourant ?? f.dateDepot ?? since),
            ...(f.commentaireEtatCourant ? { statusComment: f.commentaireEtatCourant } : {}),
            ...(f.codeDestinataire ? { recipientSiret: f.codeDestinataire } : {}),
            ...(typeof f.montantTTC === 'number' ? { totalInclTaxCents: amountToCents(f.montantTTC) } : {}),
          });
        }
        const pages = result.parametresRetour?.pages ?? 1;
        if (page >= pages || (result.listeFactures ?? []).length < size) break;
      }
      return { invoices, calls };
    },

    history,
    addAttachment,

    async complete(creds, request) {
      const comment = request.comment?.trim();
      if (comment && comment.length > 1000)
        throw new ChorusInputError(
          'completerFacture',
          [{ path: ['commentaire'], message: M.commentTooLong }],
          M.commentTooLong,
        );
      const pending = request.attachments ?? [];
      if (!comment && pending.length === 0)
        throw new ChorusInputError(
          'completerFacture',
          [{ path: [], message: M.completeNeedsSomething }],
          M.completeNeedsSomething,
        );
      // Check every file before uploading any: a bad third file does not leave two orphans behind.
      for (const a of pending) if (!isUploaded(a)) checkAttachment(a);
      const attachments: UploadedAttachment[] = [];
      for (const a of pending) attachments.push(isUploaded(a) ? a : await addAttachment(creds, a));
      const body = {
        identifiantFactureCPP: request.chorusInvoiceId,
        ...(comment ? { commentaire: comment } : {}),
        ...(attachments.length > 0
          ? {
              pieceJointeComplementaire: attachments.map((a) => ({
                pieceJointeComplementaireId: a.pieceJointeId,
                pieceJointeComplementaireDesignation: a.fileName,
              })),
            }
          : {}),
      };
      const client = deps.clientFor(creds);
      const startedAt = new Date().toISOString();
      try {
        const r = await client.call('completer', body);
        return {
          chorusInvoiceId: request.chorusInvoiceId,
          ...(r.numeroFacture ? { invoiceNumber: r.numeroFacture } : {}),
          processedAt: r.dateTraitement ? chorusInstant(r.dateTraitement) : startedAt,
          attachments,
        };
      } catch (error) {
        // Outcome unknown: the history says whether Chorus Pro took it (never complete twice).
        if (!(error instanceof ChorusTransportError) || !error.outcomeUnknown) throw error;
        const h = await history(creds, request.chorusInvoiceId);
        const done = h.entries.find((e) => e.status === 'COMPLETEE' && e.at >= startedAt.slice(0, 10));
        if (h.status !== 'COMPLETEE' || !done) throw error;
        logger.warn({ chorusInvoiceId: request.chorusInvoiceId }, 'completer outcome unknown: found applied');
        return { chorusInvoiceId: request.chorusInvoiceId, processedAt: done.at, attachments };
      }
    },

    async recycle(creds, request) {
      const siret = request.recipientSiret.replace(/[\s.]/g, '');
      if (!/^\d{14}$/.test(siret))
        throw new ChorusInputError(
          'recyclerFacture',
          [{ path: ['destinataire'], message: M.recipientSiret }],
          M.recipientSiret,
        );
      const body = {
        identifiantFactureCPP: request.chorusInvoiceId,
        destinataire: {
          codeDestinataire: siret,
          ...(request.serviceCode ? { codeServiceExecutant: request.serviceCode } : {}),
        },
        ...(request.engagementNumber ? { reference: { numeroBonCommande: request.engagementNumber } } : {}),
        ...(request.comment ? { commentaire: request.comment.slice(0, 1000) } : {}),
      };
      try {
        const r = await deps.clientFor(creds).call('recycler', body);
        return {
          chorusInvoiceId: request.chorusInvoiceId,
          ...(r.numeroFacture ? { invoiceNumber: r.numeroFacture } : {}),
          ...(r.dateDepot ? { depositedAt: chorusInstant(r.dateDepot) } : {}),
          status: r.statutFacture ?? 'DEPOSEE',
        };
      } catch (error) {
        if (!(error instanceof ChorusTransportError) || !error.outcomeUnknown) throw error;
        const h = await history(creds, request.chorusInvoiceId);
        if (h.status === 'A_RECYCLER') throw error;
        logger.warn({ chorusInvoiceId: request.chorusInvoiceId }, 'recycler outcome unknown: found applied');
        return { chorusInvoiceId: request.chorusInvoiceId, status: h.status };
      }
    },
  };
}
