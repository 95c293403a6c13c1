import { z } from 'zod';
import {
  pagingRequestSchema,
  pagingResponseSchema,
  triSensSchema,
  typeIdentifiantSchema,
  withEnvelope,
} from './common.js';

/**
 * `/structures/v1/*`, following the official PISTE swagger (structures-api.swagger.json), which
 * wins over the markdown reference where they differ. Response objects keep only what we read;
 * requests are exactly the swagger's definitions (checked by the contract tests with ajv).
 */

// rechercherStructure — RechercherStructureParam / WsRetourRechercherStructure
export const rechercherStructureRequest = z.object({
  structure: z.object({
    identifiantStructure: z.string().min(1).max(80).optional(),
    typeIdentifiantStructure: typeIdentifiantSchema.optional(),
    typeStructure: z.enum(['PRIVEE', 'PUBLIQUE']).optional(),
    statutStructure: z.enum(['ACTIF', 'INACTIF']).optional(),
    raisonSocialeStructure: z.string().optional(),
    libelleStructure: z.string().optional(),
  }),
  restreindreStructuresPrivees: z.boolean().optional(),
  parametres: pagingRequestSchema
    .extend({
      triColonne: z
        .enum(['IdentifiantStructure', 'DesignationStructure', 'TypeIdentifiantStructure', 'Statut'])
        .optional(),
    })
    .optional(),
});
export const structureAAfficherSchema = z.object({
  idStructureCPP: z.number().int(),
  identifiantStructure: z.string(),
  typeIdentifiantStructure: typeIdentifiantSchema.nullish(),
  designationStructure: z.string().nullish(),
  statut: z.enum(['ACTIVE', 'INACTIVE']).nullish(),
});
export const rechercherStructureResponse = withEnvelope({
  listeStructures: z.array(structureAAfficherSchema).nullish(),
  parametresRetour: pagingResponseSchema.nullish(),
});

// consulterStructureAvecTVAIntraCom — ConsulterStructureAvecTVAIntraComParam / WsRetourConsulterStructureTVAIntraCom
export const consulterStructureRequest = z.object({
  idStructureCPP: z.number().int().positive(),
  codeLangue: z.string().optional(),
});
export const adressePostaleSchema = z.object({
  adresse: z.string().nullish(),
  complementAdresse1: z.string().nullish(),
  complementAdresse2: z.string().nullish(),
  codePostal: z.string().nullish(),
  ville: z.string().nullish(),
  pays: z.string().nullish(),
  telephone: z.string().nullish(),
  indicatifTelephone: z.string().nullish(),
  fax: z.string().nullish(),
  indicatifFax: z.string().nullish(),
});
export const consulterStructureResponse = withEnvelope({
  informationGenerales: z
    .object({
      idStructureCPP: z.number().int().nullish(),
      identifiantStructure: z.string().nullish(),
      typeIdentifiantStructure: typeIdentifiantSchema.nullish(),
      raisonSocialeStructure: z.string().nullish(),
      libelleStructure: z.string().nullish(),
      nomStructure: z.string().nullish(),
      prenomStructure: z.string().nullish(),
      numeroTVA: z.string().nullish(),
      emailStructure: z.string().nullish(),
      structurePriveePublique: z.enum(['PRIVEE', 'PUBLIQUE']).nullish(),
    })
    .nullish(),
  adressePostaleDuSiege: adressePostaleSchema.nullish(),
  parametres: z
    .object({
      codeServiceDoitEtreRenseigne: z.boolean().nullish(),
      numeroEJDoitEtreRenseigne: z.boolean().nullish(),
      gestionNumeroEJOuCodeService: z.boolean().nullish(),
      statutMiseEnPaiementNestPasRemonte: z.boolean().nullish(),
    })
    .nullish(),
});

// rechercherServicesStructure — RechercherServicesStructureParam / WsRetourRechercherServicesStructure
export const rechercherServicesRequest = z.object({
  idStructure: z.number().int().positive(),
  parametresRechercherServicesStructure: z
    .object({
      nbResultatsParPage: z.number().int().positive().max(10_000).optional(),
      pageResultatDemandee: z.number().int().positive().optional(),
      triColonne: z
        .enum(['CodeService', 'LibelleService', 'DateDbtService', 'DateFinService', 'EstActif'])
        .optional(),
      triSens: triSensSchema.optional(),
    })
    .optional(),
});
export const serviceExposeSchema = z.object({
  idService: z.number().int(),
  codeService: z.string(),
  libelleService: z.string().nullish(),
  estActif: z.boolean().nullish(),
  statutService: z.string().nullish(),
});
export const rechercherServicesResponse = withEnvelope({
  listeServices: z.array(serviceExposeSchema).nullish(),
  parametresRetour: pagingResponseSchema.nullish(),
});

// consulterServiceStructure — ConsulterServiceStructureParam / WsRetourConsulterServiceStructure
export const consulterServiceRequest = z.object({
  idStructure: z.number().int().positive(),
  idService: z.number().int().positive(),
  codeLangue: z.string().optional(),
});
export const consulterServiceResponse = withEnvelope({
  informationsGenerales: z
    .object({
      codeService: z.string().nullish(),
      nomService: z.string().nullish(),
      descriptionService: z.string().nullish(),
    })
    .nullish(),
  adressePostale: adressePostaleSchema.nullish(),
  parametres: z
    .object({
      numeroEngagement: z.boolean().nullish(),
      miseEnPaiement: z.boolean().nullish(),
      dateDebutValidite: z.string().nullish(),
      dateFinValidite: z.string().nullish(),
    })
    .nullish(),
});
