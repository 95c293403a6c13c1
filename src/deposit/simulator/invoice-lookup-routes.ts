/** Reading invoices on the simulated Chorus: `rechercherFournisseur`, `consulterFacture`, `consulterHistorique`. */
import { SIM_CODES } from '../api/codes.js';
import type { RequestOf, ResponseOf } from '../api/operations.js';
import type { SeedAccount } from './seed.js';
import type { SimInvoice } from './store.js';
import { SimError, parisDate, type World } from './world.js';
import { settleFluxes } from './flux-routes.js';
import { ok } from './ok-reply.js';

/** Whether the account sees an invoice: deposited with its login, or for one of its structures. */
const seenBy = (account: SeedAccount, i: SimInvoice): boolean =>
  i.login === account.login || account.supplierStructureIds.includes(i.supplierStructureId);

/**
 * `invoices` with their due lifecycle changes applied (persisted when any). Only the invoices a
 * request returns are brought up to date: a status is always read through here, so the others
 * move when they are read (a search or a look-up used to advance every invoice of the account,
 * each call costing as much as the simulator held).
 */
async function upToDate(world: World, invoices: SimInvoice[]): Promise<SimInvoice[]> {
  let changed = false;
  for (const i of invoices) changed = world.advanceLifecycle(i) || changed;
  if (changed) await world.store.persist();
  return invoices;
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
  await settleFluxes(world);
  // What the lifecycle never changes first; then the status and its date, once up to date.
  const candidates = world.store.state.invoices.filter(
    (i) =>
      seenBy(account, i) &&
      (req.idFournisseur === undefined || i.supplierStructureId === req.idFournisseur) &&
      (!req.numeroFacture || i.number === req.numeroFacture) &&
      (!req.numeroFluxDepot || i.fluxNumber === req.numeroFluxDepot) &&
      inRange(i.invoiceDate, req.periodeDateFactureDu, req.periodeDateFactureAu) &&
      inRange(parisDate(new Date(i.depositedAt)), req.periodeDateDepotDu, req.periodeDateDepotAu),
  );
  const found = (await upToDate(world, candidates))
    .filter(
      (i) =>
        (!req.statutCourant?.length || req.statutCourant.includes(i.status)) &&
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
  await settleFluxes(world);
  const invoice = world.store.state.invoices.find((i) => i.id === id);
  if (!invoice || !seenBy(account, invoice))
    throw new SimError(SIM_CODES.invoiceUnknown, `Facture ${id} introuvable`);
  await upToDate(world, [invoice]);
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
