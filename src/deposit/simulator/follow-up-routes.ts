import { CODE_BY_REFUSAL, SIM_CODES } from '../api/codes.js';
import { ATTACHMENT_EXTENSIONS, MAX_ATTACHMENT_BYTES } from '../api/follow-up.js';
import type { RequestOf, ResponseOf } from '../api/operations.js';
import { REFUSAL_MESSAGES } from '../messages.js';
import { invoiceOrFail } from './invoice-lookup-routes.js';
import { recipientRefusals } from './submit-refusals.js';
import type { SeedAccount } from './seed.js';
import { SimError, parisDate, type World } from './world.js';
import { ok } from './ok-reply.js';
import { storePiece } from './stored-piece.js';

/**
 * The simulated `ajouter/fichier`, `completer` and `recycler` (after-deposit.md §2,
 * chorus-pro-api.md §6.3, §7.4), with the refusals Chorus Pro gives: wrong status, unknown or
 * already used attachment, file too large (20003), extension not accepted, routing refused.
 */

/** SIMULATOR-SPECIFIC codes of the after-deposit operations (the official list is not public). */
export const FOLLOW_UP_SIM_CODES = {
  notSuspended: 20030,
  notToRecycle: 20031,
  extensionRefused: 20032,
  nothingToComplete: 20033,
} as const;

export async function ajouterFichier(
  world: World,
  account: SeedAccount,
  req: RequestOf<'ajouterFichier'>,
): Promise<ResponseOf<'ajouterFichier'>> {
  const bytes = Buffer.from(req.pieceJointeFichier, 'base64');
  if (bytes.byteLength > MAX_ATTACHMENT_BYTES)
    throw new SimError(SIM_CODES.fileTooLarge, 'Fichier trop volumineux (10 Mo au plus)');
  const ext = req.pieceJointeExtension.toUpperCase();
  if (!(ATTACHMENT_EXTENSIONS as readonly string[]).includes(ext))
    throw new SimError(FOLLOW_UP_SIM_CODES.extensionRefused, `Extension de fichier non autorisée : ${ext}`);
  const id = await storePiece(world, account.login, req.pieceJointeNom, bytes);
  return { ...ok, pieceJointeId: id };
}

export async function completer(
  world: World,
  account: SeedAccount,
  req: RequestOf<'completer'>,
): Promise<ResponseOf<'completer'>> {
  const invoice = await invoiceOrFail(world, account, req.identifiantFactureCPP);
  if (invoice.status !== 'SUSPENDUE')
    throw new SimError(
      FOLLOW_UP_SIM_CODES.notSuspended,
      `La facture ${invoice.number} n’est pas au statut SUSPENDUE (statut actuel : ${invoice.status})`,
    );
  const pieces = req.pieceJointeComplementaire ?? [];
  if (!req.commentaire?.trim() && pieces.length === 0)
    throw new SimError(FOLLOW_UP_SIM_CODES.nothingToComplete, 'Commentaire ou pièce jointe obligatoire');
  const found = pieces.map((p) => {
    const piece = world.store.state.pieces.find(
      (x) => x.id === p.pieceJointeComplementaireId && x.login === account.login,
    );
    if (!piece || piece.invoiceId !== undefined)
      throw new SimError(
        SIM_CODES.pieceUnknown,
        `Pièce jointe ${p.pieceJointeComplementaireId} inconnue ou déjà utilisée`,
      );
    return piece;
  });
  // Checked first, applied without awaiting in between: two concurrent calls cannot both pass.
  for (const piece of found) piece.invoiceId = invoice.id;
  world.store.touch(...found);
  invoice.extraPieceIds = [...(invoice.extraPieceIds ?? []), ...found.map((p) => p.id)];
  world.setStatus(invoice, 'COMPLETEE', req.commentaire?.trim() || undefined, account.login);
  await world.store.persist();
  return {
    ...ok,
    identifiantFactureCPP: invoice.id,
    numeroFacture: invoice.number,
    dateTraitement: world.now().toISOString(),
  };
}

export async function recycler(
  world: World,
  account: SeedAccount,
  req: RequestOf<'recycler'>,
): Promise<ResponseOf<'recycler'>> {
  const invoice = await invoiceOrFail(world, account, req.identifiantFactureCPP);
  if (invoice.status !== 'A_RECYCLER')
    throw new SimError(
      FOLLOW_UP_SIM_CODES.notToRecycle,
      `La facture ${invoice.number} n’est pas au statut A_RECYCLER (statut actuel : ${invoice.status})`,
    );
  const service = req.destinataire.codeServiceExecutant;
  const engagement = req.reference?.numeroBonCommande ?? invoice.engagementNumber;
  const refusals = recipientRefusals(world, req.destinataire.codeDestinataire, service, engagement);
  if (refusals.length > 0) {
    const [code, detail] = refusals[0]!;
    throw new SimError(
      CODE_BY_REFUSAL[code],
      refusals.map(([c, d]) => (d ? `${REFUSAL_MESSAGES[c]} (${d})` : REFUSAL_MESSAGES[c])).join(' | ') ||
        `${REFUSAL_MESSAGES[code]} (${detail ?? ''})`,
    );
  }
  const recipient = world.structureBySiret.get(req.destinataire.codeDestinataire)!;
  invoice.recipientStructureId = recipient.idStructureCPP;
  invoice.recipientSiret = recipient.siret;
  invoice.recipientName = recipient.name;
  invoice.serviceCode = service;
  if (req.reference?.numeroBonCommande) invoice.engagementNumber = req.reference.numeroBonCommande;
  if (req.reference?.numeroMarche) invoice.marketNumber = req.reference.numeroMarche;
  const now = world.now();
  // Same invoice, same number: it starts its journey again at DEPOSEE (official example).
  world.setStatus(invoice, 'DEPOSEE', req.commentaire?.trim() || undefined, account.login);
  await world.store.persist();
  return {
    ...ok,
    identifiantFactureCPP: invoice.id,
    numeroFacture: invoice.number,
    dateDepot: parisDate(now),
    statutFacture: invoice.status,
  };
}
