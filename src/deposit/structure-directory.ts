/**
 * Directory reads of the `DepositService`: the supplier's own structures and bank accounts, the
 * search for a buyer by SIRET (or prefix), and the buyer's rules and services. Functions of one
 * PISTE client, so a caller can reuse the client (and its directory cache) across calls.
 */
import { z } from 'zod';
import type { ChorusClient } from './client.js';
import { ChorusInputError } from './errors.js';
import { structureSearchBody } from './mapping.js';
import { MESSAGES } from './messages.js';
import type {
  BankAccount,
  RecipientRules,
  ServiceSummary,
  StructureSummary,
  SupplierStructure,
} from './port.js';

const siretQuery = z
  .string()
  .transform((v) => v.replace(/[\s.]/g, ''))
  .pipe(z.string().regex(/^\d{3,14}$/, MESSAGES.prefixTooShort));

export async function searchStructures(client: ChorusClient, query: string): Promise<StructureSummary[]> {
  const parsed = siretQuery.safeParse(query);
  if (!parsed.success)
    throw new ChorusInputError('rechercherStructure', parsed.error.issues, MESSAGES.prefixTooShort);
  const result = await client.searchStructures(structureSearchBody(parsed.data));
  return (result.listeStructures ?? [])
    .map((s) => ({
      idStructureCPP: s.idStructureCPP,
      siret: s.identifiantStructure,
      name: s.designationStructure ?? s.identifiantStructure,
      active: s.statut !== 'INACTIVE',
    }))
    .sort((a, b) => Number(b.active) - Number(a.active) || a.siret.localeCompare(b.siret));
}

export async function supplierStructures(client: ChorusClient): Promise<SupplierStructure[]> {
  const result = await client.supplierStructures();
  return (result.listeStructures ?? []).map((s) => ({
    idStructureCPP: s.idStructureCPP,
    siret: s.identifiant,
    name: s.designationStructure ?? s.identifiant,
  }));
}

export async function bankAccounts(client: ChorusClient, supplierId: number): Promise<BankAccount[]> {
  const result = await client.bankAccounts(supplierId);
  return (result.listeCoordonneeBancaire ?? []).map((a) => ({
    id: a.idCoordonneeBancaire,
    label: a.nomCoordonneeBancaire ?? `Compte n° ${a.idCoordonneeBancaire}`,
    ...(a.ibanMasque ? { ibanHint: a.ibanMasque } : {}),
    ...(a.estCompteAffactureur !== null && a.estCompteAffactureur !== undefined
      ? { isFactor: a.estCompteAffactureur }
      : {}),
  }));
}

export async function recipientRules(client: ChorusClient, idStructureCPP: number): Promise<RecipientRules> {
  const [detail, services] = await Promise.all([
    client.consultStructure(idStructureCPP),
    client.structureServices(idStructureCPP),
  ]);
  const info = detail.informationGenerales ?? {};
  const siret = info.identifiantStructure ?? '';
  const listed = /^\d{14}$/.test(siret)
    ? (await searchStructures(client, siret)).find((s) => s.idStructureCPP === idStructureCPP)
    : undefined;
  const serviceList = (services.listeServices ?? []).filter((s) => s.codeService !== 'FACTURES_PUBLIQUES');
  const summaries: ServiceSummary[] = await Promise.all(
    serviceList.slice(0, 50).map(async (s) => {
      const active = s.estActif !== false;
      const summary: ServiceSummary = {
        idService: s.idService,
        code: s.codeService,
        label: s.libelleService ?? s.codeService,
        active,
      };
      if (active) {
        const sd = await client.consultService(idStructureCPP, s.idService);
        if (sd.parametres?.numeroEngagement) summary.engagementRequired = true;
      }
      return summary;
    }),
  );
  const flags = detail.parametres ?? {};
  return {
    structure: {
      idStructureCPP,
      siret,
      name: info.raisonSocialeStructure ?? info.libelleStructure ?? listed?.name ?? siret,
      active: listed?.active ?? true,
    },
    serviceCodeRequired:
      flags.codeServiceDoitEtreRenseigne === true && flags.gestionNumeroEJOuCodeService !== true,
    engagementRequired:
      flags.numeroEJDoitEtreRenseigne === true && flags.gestionNumeroEJOuCodeService !== true,
    engagementOrServiceRequired: flags.gestionNumeroEJOuCodeService === true,
    services: summaries.sort((a, b) => Number(b.active) - Number(a.active) || a.code.localeCompare(b.code)),
  };
}
