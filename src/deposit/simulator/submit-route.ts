/** `soumettre`: the simulated Chorus checks a submission and records the invoice. */
import { createHash } from 'node:crypto';
import { CODE_BY_REFUSAL, SIM_CODES } from '../api/codes.js';
import type { RequestOf, ResponseOf } from '../api/operations.js';
import { REFUSAL_MESSAGES } from '../messages.js';
import type { SeedAccount } from './seed.js';
import type { SimInvoice } from './store.js';
import { soumettreRefusals } from './submit-refusals.js';
import { SimError, parisDate, type World } from './world.js';
import { ok } from './ok-reply.js';

export async function soumettre(
  world: World,
  account: SeedAccount,
  req: RequestOf<'soumettre'>,
): Promise<ResponseOf<'soumettre'>> {
  const supplier = world.structureById.get(req.fournisseur.idFournisseur);
  if (!supplier || !account.supplierStructureIds.includes(supplier.idStructureCPP)) {
    throw new SimError(
      SIM_CODES.notSupplier,
      `Structure ${req.fournisseur.idFournisseur} non rattachée au compte technique`,
    );
  }
  const supplierService = req.fournisseur.idServiceFournisseur;
  if (
    supplierService !== undefined &&
    !supplier.services.some((x) => x.idService === supplierService && x.active)
  ) {
    throw new SimError(SIM_CODES.serviceNotFound, `Service fournisseur ${supplierService} inconnu ou fermé`);
  }
  const pieceId = req.pieceJointePrincipale[0]!.pieceJointePrincipaleId;
  const piece = world.store.state.pieces.find((p) => p.id === pieceId && p.login === account.login);
  if (!piece || piece.invoiceId !== undefined) {
    throw new SimError(SIM_CODES.pieceUnknown, `Pièce jointe ${pieceId} inconnue ou déjà utilisée`);
  }
  // Supporting documents (`ajouter/fichier`): the account's own, not used by another invoice.
  const extras = (req.pieceJointeComplementaire ?? []).map((p) => {
    const extra = world.store.state.pieces.find(
      (x) => x.id === p.pieceJointeComplementaireId && x.login === account.login,
    );
    if (!extra || extra.invoiceId !== undefined || extra.id === pieceId)
      throw new SimError(
        SIM_CODES.pieceUnknown,
        `Pièce jointe ${p.pieceJointeComplementaireId} inconnue ou déjà utilisée`,
      );
    return extra;
  });
  // Check and insert without awaiting in between: concurrent submissions cannot both pass.
  const refusals = soumettreRefusals(world, account, req);
  if (refusals.length > 0) {
    const [code, detail] = refusals[0]!;
    const libelle = refusals
      .map(([c, d]) => (d ? `${REFUSAL_MESSAGES[c]} (${d})` : REFUSAL_MESSAGES[c]))
      .join(' | ');
    throw new SimError(
      CODE_BY_REFUSAL[code],
      detail && refusals.length === 1 ? `${REFUSAL_MESSAGES[code]} (${detail})` : libelle,
    );
  }
  const recipient = world.structureBySiret.get(req.destinataire.codeDestinataire)!;
  const state = world.store.state;
  const now = world.now();
  const id = state.nextInvoiceId++;
  const invoice: SimInvoice = {
    id,
    login: account.login,
    number: req.numeroFactureSaisi,
    invoiceDate: req.dateFacture,
    depositedAt: now.toISOString(),
    supplierStructureId: supplier.idStructureCPP,
    supplierSiret: supplier.siret,
    supplierName: supplier.name,
    recipientStructureId: recipient.idStructureCPP,
    recipientSiret: recipient.siret,
    recipientName: recipient.name,
    serviceCode: req.destinataire.codeServiceExecutant,
    engagementNumber: req.references.numeroBonCommande,
    marketNumber: req.references.numeroMarche,
    cadreCode: req.cadreDeFacturation.codeCadreFacturation,
    validatorSiret: req.cadreDeFacturation.codeStructureValideur,
    bankAccountId: req.fournisseur.codeCoordonneesBancairesFournisseur,
    invoiceType: req.references.typeFacture,
    vatRegime: req.references.typeTva,
    paymentMode: req.references.modePaiement,
    currency: req.references.deviseFacture,
    totalExclTax: req.montantTotal.montantHtTotal,
    totalTax: req.montantTotal.montantTVA,
    totalInclTax: req.montantTotal.montantTtcTotal,
    amountDue: req.montantTotal.montantAPayer,
    pieceJointeId: pieceId,
    fileName: piece.fileName,
    modeDepot: req.modeDepot,
    comment: req.commentaire,
    fingerprint: createHash('sha256').update(`${piece.sha256}:${id}:${now.toISOString()}`).digest('hex'),
    status: 'DEPOSEE',
    history: [],
    ...(extras.length > 0 ? { extraPieceIds: extras.map((x) => x.id) } : {}),
  };
  world.setStatusAt(invoice, 'DEPOSEE', invoice.depositedAt, undefined, account.login);
  piece.invoiceId = id;
  for (const extra of extras) extra.invoiceId = id;
  world.store.touch(piece, ...extras);
  state.invoices.push(invoice);
  await world.store.persist();
  return {
    ...ok,
    identifiantFactureCPP: id,
    numeroFacture: invoice.number,
    dateDepot: parisDate(now),
    statutFacture: invoice.status,
    identifiantStructure: supplier.siret,
    empreinteCertificatDepot: invoice.fingerprint,
  };
}
