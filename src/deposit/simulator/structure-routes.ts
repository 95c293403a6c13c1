import { LIBELLE_OK, LIBELLE_OK_STRUCTURES, SIM_CODES } from '../api/codes.js';
import type { RequestOf, ResponseOf } from '../api/operations.js';
import { maskIban, type SeedAccount, type SeedStructure } from './seed.js';
import { SimError, type World } from './world.js';

/** `/structures/v1/*` and the supplier's `/transverses/v1/*` answers. */

const ok = { codeRetour: 0, libelle: LIBELLE_OK_STRUCTURES };

function paginate<T>(items: T[], page?: { nbResultatsParPage?: number; pageResultatDemandee?: number }) {
  const size = page?.nbResultatsParPage ?? 10;
  const current = page?.pageResultatDemandee ?? 1;
  const pages = Math.max(1, Math.ceil(items.length / size));
  return {
    slice: items.slice((current - 1) * size, current * size),
    parametresRetour: { nbResultatsParPage: size, pageCourante: current, pages, total: items.length },
  };
}

function structureOrFail(world: World, id: number): SeedStructure {
  const s = world.structureById.get(id);
  if (!s) throw new SimError(SIM_CODES.structureUnknown, `Structure ${id} inconnue`);
  return s;
}

export function rechercherStructure(
  world: World,
  _account: SeedAccount,
  req: RequestOf<'rechercherStructure'>,
): ResponseOf<'rechercherStructure'> {
  const c = req.structure;
  const name = (c.raisonSocialeStructure ?? c.libelleStructure)?.toLowerCase();
  // SIMULATOR CHOICE: an identifier matches by prefix (the real search's matching rule is not
  // documented); this is what the "type a few digits, pick from a list" flow needs.
  const found = world.seed.structures.filter(
    (s) =>
      (!c.identifiantStructure || s.siret.startsWith(c.identifiantStructure)) &&
      (!c.typeIdentifiantStructure || c.typeIdentifiantStructure === 'SIRET') &&
      (!c.typeStructure || s.type === c.typeStructure) &&
      (!c.statutStructure || (c.statutStructure === 'ACTIF') === s.active) &&
      (!req.restreindreStructuresPrivees || s.type === 'PUBLIQUE') &&
      (!name || s.name.toLowerCase().includes(name)),
  );
  const sort = req.parametres?.triColonne ?? 'IdentifiantStructure';
  const key = (s: SeedStructure) =>
    sort === 'DesignationStructure' ? s.name : sort === 'Statut' ? String(!s.active) : s.siret;
  found.sort((a, b) => key(a).localeCompare(key(b)) * (req.parametres?.triSens === 'Descendant' ? -1 : 1));
  const { slice, parametresRetour } = paginate(found, req.parametres);
  return {
    ...ok,
    listeStructures: slice.map((s) => ({
      idStructureCPP: s.idStructureCPP,
      identifiantStructure: s.siret,
      typeIdentifiantStructure: 'SIRET' as const,
      designationStructure: s.name,
      statut: s.active ? ('ACTIVE' as const) : ('INACTIVE' as const),
    })),
    parametresRetour,
  };
}

export function consulterStructure(
  world: World,
  _account: SeedAccount,
  req: RequestOf<'consulterStructure'>,
): ResponseOf<'consulterStructure'> {
  const s = structureOrFail(world, req.idStructureCPP);
  return {
    ...ok,
    informationGenerales: {
      idStructureCPP: s.idStructureCPP,
      identifiantStructure: s.siret,
      typeIdentifiantStructure: 'SIRET',
      raisonSocialeStructure: s.name,
      libelleStructure: s.name,
      ...(s.vatNumber ? { numeroTVA: s.vatNumber } : {}),
      ...(s.email ? { emailStructure: s.email } : {}),
      structurePriveePublique: s.type,
    },
    ...(s.address ? { adressePostaleDuSiege: s.address } : {}),
    parametres: {
      codeServiceDoitEtreRenseigne: s.rules.serviceCodeRequired,
      numeroEJDoitEtreRenseigne: s.rules.engagementRequired,
      gestionNumeroEJOuCodeService: s.rules.engagementOrService,
      statutMiseEnPaiementNestPasRemonte: false,
    },
  };
}

export function rechercherServices(
  world: World,
  _account: SeedAccount,
  req: RequestOf<'rechercherServices'>,
): ResponseOf<'rechercherServices'> {
  const s = structureOrFail(world, req.idStructure);
  const p = req.parametresRechercherServicesStructure;
  const services = [...s.services];
  const sort = p?.triColonne ?? 'CodeService';
  const key = (x: (typeof services)[number]) =>
    sort === 'LibelleService' ? x.label : sort === 'EstActif' ? String(!x.active) : x.code;
  services.sort((a, b) => key(a).localeCompare(key(b)) * (p?.triSens === 'Descendant' ? -1 : 1));
  const { slice, parametresRetour } = paginate(services, p);
  return {
    ...ok,
    listeServices: slice.map((x) => ({
      idService: x.idService,
      codeService: x.code,
      libelleService: x.label,
      estActif: x.active,
      statutService: x.active ? 'ACTIF' : 'INACTIF',
    })),
    parametresRetour,
  };
}

export function consulterService(
  world: World,
  _account: SeedAccount,
  req: RequestOf<'consulterService'>,
): ResponseOf<'consulterService'> {
  const s = structureOrFail(world, req.idStructure);
  const service = s.services.find((x) => x.idService === req.idService);
  if (!service)
    throw new SimError(
      SIM_CODES.serviceNotFound,
      `Service ${req.idService} inconnu pour la structure ${s.idStructureCPP}`,
    );
  return {
    ...ok,
    informationsGenerales: {
      codeService: service.code,
      nomService: service.label,
      descriptionService: service.label,
    },
    ...(s.address ? { adressePostale: s.address } : {}),
    parametres: { numeroEngagement: service.engagementRequired, miseEnPaiement: true },
  };
}

export function structuresActivesFournisseur(
  world: World,
  account: SeedAccount,
): ResponseOf<'structuresActivesFournisseur'> {
  return {
    codeRetour: 0,
    libelle: LIBELLE_OK,
    listeStructures: account.supplierStructureIds
      .map((id) => world.structureById.get(id))
      .filter((s): s is SeedStructure => s !== undefined && s.active)
      .map((s) => ({ idStructureCPP: s.idStructureCPP, identifiant: s.siret, designationStructure: s.name })),
  };
}

export function coordBancValides(
  world: World,
  account: SeedAccount,
  req: RequestOf<'coordBancValides'>,
): ResponseOf<'coordBancValides'> {
  if (!account.supplierStructureIds.includes(req.idStructure)) {
    throw new SimError(
      SIM_CODES.notSupplier,
      `Structure ${req.idStructure} non rattachée au compte technique`,
    );
  }
  return {
    codeRetour: 0,
    libelle: LIBELLE_OK,
    listeCoordonneeBancaire: (world.banksByStructure.get(req.idStructure) ?? [])
      .filter((b) => b.valid)
      .map((b) => ({
        idCoordonneeBancaire: b.id,
        nomCoordonneeBancaire: b.label,
        ibanMasque: maskIban(b.iban),
        estCompteAffactureur: b.isFactor,
      })),
  };
}

export function rattachements(
  world: World,
  account: SeedAccount,
  req: RequestOf<'rattachements'>,
): ResponseOf<'rattachements'> {
  const mine = account.supplierStructureIds
    .map((id) => world.structureById.get(id))
    .filter((s): s is SeedStructure => s !== undefined);
  const { slice, parametresRetour } = paginate(mine, req.parametresRecherche);
  return {
    codeRetour: 0,
    libelle: LIBELLE_OK,
    listeStructureRattachement: slice.map((s) => ({
      idStructure: s.idStructureCPP,
      identifiantStructure: s.siret,
      typeIdentifiantStructure: 'SIRET',
      designationStructure: s.name,
      roleUtilisateur: 'GESTIONNAIRE',
      statutRattachementStructure: 'VALIDEE',
      listeServicesRattache: s.services.map((x) => ({
        idService: x.idService,
        codeService: x.code,
        libelleService: x.label,
        estActif: x.active,
        statutService: x.active ? 'ACTIF' : 'INACTIF',
      })),
    })),
    parametresRetour,
  };
}
