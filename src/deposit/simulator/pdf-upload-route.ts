/** `deposerPdf`: the simulated Chorus stores an uploaded PDF and answers with what it recognised. */
import { isUnusable, type InspectionReport } from '../../recognition/types.js';
import { CODE_BY_REFUSAL, SIM_CODES } from '../api/codes.js';
import { MAX_PDF_BYTES } from '../api/factures.js';
import type { RequestOf, ResponseOf } from '../api/operations.js';
import { REFUSAL_MESSAGES } from '../messages.js';
import type { RefusalCode } from '../port.js';
import type { SeedAccount } from './seed.js';
import { SimError, type World } from './world.js';
import { ok } from './ok-reply.js';
import { storePiece } from './stored-piece.js';

function refuse(code: RefusalCode, detail?: string): never {
  throw new SimError(
    CODE_BY_REFUSAL[code],
    detail ? `${REFUSAL_MESSAGES[code]} (${detail})` : REFUSAL_MESSAGES[code],
  );
}

const amount = (v: string | undefined) => (v === undefined ? null : Number(v));

/** Fills the OCR answer from Facteur's own recognition (null where nothing was read, like Chorus). */
export function recognitionAnswer(report: InspectionReport) {
  const f = (key: keyof InspectionReport['fields']) => report.fields[key]?.value;
  const ttc = amount(f('totalInclTax'));
  return {
    numeroFacture: f('invoiceNumber')?.slice(0, 20) ?? null,
    dateFacture: f('invoiceDate') ?? null,
    codeDestinataire: f('recipientSiret') ?? null,
    codeServiceExecutant: f('recipientServiceCode') ?? null,
    codeFournisseur: f('supplierSiret') ?? null,
    codeDeviseFacture: f('currency') ?? (ttc !== null ? 'EUR' : null),
    typeFacture: report.invoiceType ?? 'FACTURE',
    typeTva: report.vatRegime ?? null,
    numeroBonCommande: f('engagementNumber') ?? null,
    montantTtcAvantRemiseGlobalTTC: ttc,
    montantHtTotal: amount(f('totalExclTax')),
    montantTVA: amount(f('totalTax')),
    montantAPayer: ttc,
  };
}

export async function deposerPdf(
  world: World,
  account: SeedAccount,
  req: RequestOf<'deposerPdf'>,
): Promise<ResponseOf<'deposerPdf'>> {
  const bytes = Buffer.from(req.fichierFacture, 'base64');
  if (bytes.byteLength > MAX_PDF_BYTES)
    throw new SimError(SIM_CODES.fileTooLarge, REFUSAL_MESSAGES['file-too-large'], 413);
  if (/[\\/]/.test(req.nomFichier)) refuse('file-name-too-long', 'le nom ne doit pas contenir de chemin');
  const report = await world.recognizer.inspect(
    new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    req.nomFichier,
  );
  if (isUnusable(report)) {
    throw new SimError(SIM_CODES.pdfUnreadable, report.violations.map((v) => v.message).join(' '));
  }
  const id = await storePiece(world, account.login, req.nomFichier, bytes);
  return { ...ok, pieceJointeId: id, ...recognitionAnswer(report) };
}
