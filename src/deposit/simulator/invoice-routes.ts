import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { isUnusable, type InspectionReport } from '../../recognition/types.js';
import { CODE_BY_REFUSAL, LIBELLE_OK, SIM_CODES } from '../api/codes.js';
import { INVOICE_NUMBER_PATTERN, MAX_FILE_NAME, MAX_PDF_BYTES } from '../api/factures.js';
import type { RequestOf, ResponseOf } from '../api/operations.js';
import { REFUSAL_MESSAGES } from '../messages.js';
import type { RefusalCode } from '../port.js';
import type { SeedAccount } from './seed.js';
import type { SimInvoice } from './store.js';
import { SimError, parisDate, type World } from './world.js';
import { settleFluxes } from './flux-routes.js';

const ok = { codeRetour: 0, libelle: LIBELLE_OK };

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
  const state = world.store.state;
  const id = state.nextPieceId++;
  const path = world.store.piecePath(id);
  if (path) await writeFile(path, bytes);
  state.pieces.push({
    id,
    login: account.login,
    fileName: req.nomFichier,
    size: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    uploadedAt: world.now().toISOString(),
  });
  await world.store.persist();
  return { ...ok, pieceJointeId: id, ...recognitionAnswer(report) };
}

/** Why the simulated Chorus refuses this routing (recipient, service, engagement): `soumettre`, `recycler`. */
export function recipientRefusals(
  world: World,
  siret: string,
  code: string | undefined,
  engagement: string | undefined,
): Array<[RefusalCode, string?]> {
  const out: Array<[RefusalCode, string?]> = [];
  const recipient = world.structureBySiret.get(siret);
  if (!recipient) out.push(['recipient-unknown', siret]);
  else if (!recipient.active) out.push(['recipient-inactive', siret]);
  else {
    const service = code ? recipient.services.find((s) => s.code === code) : undefined;
    if (code && !service) out.push(['service-unknown', code]);
    else if (service && !service.active) out.push(['service-inactive', code]);
    const rules = recipient.rules;
    if (rules.engagementOrService) {
      if (!code && !engagement) out.push(['engagement-or-service-required']);
    } else {
      if (rules.serviceCodeRequired && !code) out.push(['service-required']);
      if ((rules.engagementRequired || service?.engagementRequired) && !engagement)
        out.push(['engagement-required']);
    }
  }
  return out;
}

/** Every reason the simulated Chorus refuses `req`, in the order it checks them. */
export function soumettreRefusals(
  world: World,
  account: SeedAccount,
  req: RequestOf<'soumettre'>,
): Array<[RefusalCode, string?]> {
  const out = recipientRefusals(
    world,
    req.destinataire.codeDestinataire,
    req.destinataire.codeServiceExecutant,
    req.references.numeroBonCommande,
  );
  const cadre = req.cadreDeFacturation.codeCadreFacturation;
  if (
    (cadre === 'A9_FACTURE_SOUSTRAITANT' || cadre === 'A12_FACTURE_COTRAITANT') &&
    !req.cadreDeFacturation.codeStructureValideur
  ) {
    out.push(['validator-required']);
  }
  if (!INVOICE_NUMBER_PATTERN.test(req.numeroFactureSaisi))
    out.push(['invoice-number-invalid', req.numeroFactureSaisi]);
  else if (
    world.store.state.invoices.some(
      (i) =>
        i.supplierStructureId === req.fournisseur.idFournisseur &&
        i.number === req.numeroFactureSaisi &&
        i.status !== 'SUPPRIMEE',
    )
  ) {
    out.push(['invoice-number-used', req.numeroFactureSaisi]);
  }
  const banks = (world.banksByStructure.get(req.fournisseur.idFournisseur) ?? []).filter((b) => b.valid);
  const bankId = req.fournisseur.codeCoordonneesBancairesFournisseur;
  if (bankId ? !banks.some((b) => b.id === bankId) : banks.length > 0)
    out.push(['bank-account-invalid', bankId ? String(bankId) : 'absent']);
  const t = req.montantTotal;
  if (Math.round((t.montantHtTotal + t.montantTVA) * 100) !== Math.round(t.montantTtcTotal * 100))
    out.push(['totals-mismatch']);
  const piece = world.store.state.pieces.find(
    (p) => p.id === req.pieceJointePrincipale[0]!.pieceJointePrincipaleId,
  );
  if (piece && piece.fileName.length > MAX_FILE_NAME) out.push(['file-name-too-long']);
  return out;
}

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

/** The account's invoices, with due lifecycle changes applied (persisted when any). */
async function visibleInvoices(world: World, account: SeedAccount): Promise<SimInvoice[]> {
  await settleFluxes(world);
  const mine = world.store.state.invoices.filter(
    (i) => i.login === account.login || account.supplierStructureIds.includes(i.supplierStructureId),
  );
  let changed = false;
  for (const i of mine) changed = world.advanceLifecycle(i) || changed;
  if (changed) await world.store.persist();
  return mine;
}

const inRange = (value: string, from?: string, to?: string) =>
  (!from || value >= from) && (!to || value <= to);

/** The current status was set within [from, to] (instants; a bare date is its whole Paris day). */
function changedWithin(invoice: SimInvoice, from?: string, to?: string): boolean {
  if (!from && !to) return true;
  const at = Date.parse(invoice.history.at(-1)?.at ?? invoice.depositedAt);
  const bound = (v: string, end: boolean) =>
    /^\d{4}-\d{2}-\d{2}$/.test(v)
      ? Date.parse(`${v}T${end ? '23:59:59.999' : '00:00:00'}+01:00`)
      : Date.parse(v);
  return (!from || at >= bound(from, false)) && (!to || at <= bound(to, true));
}

export async function rechercherFournisseur(
  world: World,
  account: SeedAccount,
  req: RequestOf<'rechercherFournisseur'>,
): Promise<ResponseOf<'rechercherFournisseur'>> {
  if (req.idFournisseur !== undefined && !account.supplierStructureIds.includes(req.idFournisseur)) {
    throw new SimError(
      SIM_CODES.notSupplier,
      `Structure ${req.idFournisseur} non rattachée au compte technique`,
    );
  }
  const found = (await visibleInvoices(world, account))
    .filter(
      (i) =>
        (req.idFournisseur === undefined || i.supplierStructureId === req.idFournisseur) &&
        (!req.numeroFacture || i.number === req.numeroFacture) &&
        (!req.numeroFluxDepot || i.fluxNumber === req.numeroFluxDepot) &&
        (!req.statutCourant?.length || req.statutCourant.includes(i.status)) &&
        inRange(i.invoiceDate, req.periodeDateFactureDu, req.periodeDateFactureAu) &&
        inRange(parisDate(new Date(i.depositedAt)), req.periodeDateDepotDu, req.periodeDateDepotAu) &&
        changedWithin(i, req.periodeDateHeureEtatCourantDu, req.periodeDateHeureEtatCourantAu),
    )
    .sort((a, b) => b.depositedAt.localeCompare(a.depositedAt) || b.id - a.id);
  const paging = req.rechercheFactureParFournisseur;
  const size = paging?.nbResultatsParPage ?? 10;
  const page = paging?.pageResultatDemandee ?? 1;
  return {
    ...ok,
    listeFactures: found.slice((page - 1) * size, page * size).map((i) => ({
      identifiantFactureCPP: i.id,
      numeroFacture: i.number,
      statut: i.status,
      dateFacture: i.invoiceDate,
      dateDepot: parisDate(new Date(i.depositedAt)),
      dateHeureEtatCourant: i.history.at(-1)?.at ?? i.depositedAt,
      commentaireEtatCourant: i.history.at(-1)?.comment ?? null,
      typeFacture: i.invoiceType,
      devise: i.currency,
      montantHT: i.totalExclTax,
      montantTTC: i.totalInclTax,
      montantAPayer: i.amountDue,
      codeDestinataire: i.recipientSiret,
      designationDestinataire: i.recipientName,
      codeServiceExecutant: i.serviceCode ?? null,
      codeFournisseur: i.supplierSiret,
      numeroBonCommande: i.engagementNumber ?? null,
      numeroFluxDepot: i.fluxNumber ?? null,
    })),
    parametresRetour: {
      nbResultatsParPage: size,
      pageCourante: page,
      pages: Math.max(1, Math.ceil(found.length / size)),
      total: found.length,
    },
  };
}

export async function invoiceOrFail(world: World, account: SeedAccount, id: number): Promise<SimInvoice> {
  const invoice = (await visibleInvoices(world, account)).find((i) => i.id === id);
  if (!invoice) throw new SimError(SIM_CODES.invoiceUnknown, `Facture ${id} introuvable`);
  return invoice;
}

export async function consulterFacture(
  world: World,
  account: SeedAccount,
  req: RequestOf<'consulterFacture'>,
): Promise<ResponseOf<'consulterFacture'>> {
  const i = await invoiceOrFail(world, account, req.identifiantFactureCPP);
  return {
    ...ok,
    facture: {
      identifiantFactureCPP: i.id,
      numeroFacture: i.number,
      statutFacture: i.status,
      modeDepot: i.modeDepot,
      commentaire: i.comment ?? null,
      cadreDeFacturation: {
        codeCadreFacturation: i.cadreCode,
        codeStructureValideur: i.validatorSiret ?? null,
      },
      destinataire: {
        codeDestinataire: i.recipientSiret,
        libelleDestinataire: i.recipientName,
        codeServiceExecutant: i.serviceCode ?? null,
      },
      fournisseur: {
        idFournisseur: i.supplierStructureId,
        codeFournisseur: i.supplierSiret,
        designationFournisseur: i.supplierName,
        coordBancairesFournisseurId: i.bankAccountId ?? null,
      },
      references: {
        typeFacture: i.invoiceType,
        typeTva: i.vatRegime,
        dateFacture: i.invoiceDate,
        dateDepot: i.depositedAt,
        codeDeviseFacture: i.currency,
        numeroBonCommande: i.engagementNumber ?? null,
        numeroMarche: i.marketNumber ?? null,
      },
      montantTotal: {
        montantHtTotal: i.totalExclTax,
        montantTVA: i.totalTax,
        montantTtcTotal: i.totalInclTax,
        montantAPayer: i.amountDue,
      },
    },
  };
}

export async function consulterHistorique(
  world: World,
  account: SeedAccount,
  req: RequestOf<'consulterHistorique'>,
): Promise<ResponseOf<'consulterHistorique'>> {
  const i = await invoiceOrFail(world, account, req.idFacture);
  return {
    ...ok,
    idFacture: i.id,
    numeroFacture: i.number,
    statutCourantCode: i.status,
    historiquesDesStatuts: {
      histoStatut: [...i.history].reverse().map((h) => ({
        histoStatutId: h.id,
        histoStatutCode: h.status,
        histoStatutDatePassage: h.at,
        histoStatutCommentaire: h.comment ?? null,
        histoStatutUtilisateurNom: h.by ?? null,
      })),
    },
  };
}
