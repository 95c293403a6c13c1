import { z } from 'zod';
import { pagingRequestSchema, pagingResponseSchema, withEnvelope } from './common.js';

/** `/transverses/v1/*` used by a supplier (chorus-pro-api.md §5; no official swagger: [GO] [PHP]). */

// recuperer/structures/actives/fournisseur — body `{}`
export const structuresActivesFournisseurRequest = z.object({});
export const structuresActivesFournisseurResponse = withEnvelope({
  listeStructures: z
    .array(
      z.object({
        idStructureCPP: z.number().int(),
        identifiant: z.string(),
        designationStructure: z.string().nullish(),
      }),
    )
    .nullish(),
});

// recuperer/coordbanc/valides
export const coordBancValidesRequest = z.object({ idStructure: z.number().int().positive() });
export const coordonneeBancaireSchema = z.object({
  idCoordonneeBancaire: z.number().int(),
  nomCoordonneeBancaire: z.string().nullish(),
  // SIMULATOR EXTENSION (not in the real answer, which gives only id and label, §5.4): a masked
  // IBAN and whether the account belongs to a factor. Optional, read when present.
  ibanMasque: z.string().nullish(),
  estCompteAffactureur: z.boolean().nullish(),
});
export const coordBancValidesResponse = withEnvelope({
  listeCoordonneeBancaire: z.array(coordonneeBancaireSchema).nullish(),
});

// utilisateurs/v1/monCompte/recuperer/rattachements — the supplier's structures with their
// services (`idServiceFournisseur` of soumettre), §5.3 [GO].
export const rattachementsRequest = z.object({
  parametresRecherche: pagingRequestSchema.optional(),
});
export const rattachementsResponse = withEnvelope({
  listeStructureRattachement: z
    .array(
      z.object({
        idStructure: z.number().int(),
        identifiantStructure: z.string(),
        typeIdentifiantStructure: z.string().nullish(),
        designationStructure: z.string().nullish(),
        roleUtilisateur: z.string().nullish(),
        statutRattachementStructure: z.string().nullish(),
        listeServicesRattache: z
          .array(
            z.object({
              idService: z.number().int(),
              codeService: z.string(),
              libelleService: z.string().nullish(),
              estActif: z.boolean().nullish(),
              statutService: z.string().nullish(),
            }),
          )
          .nullish(),
      }),
    )
    .nullish(),
  parametresRetour: pagingResponseSchema.nullish(),
});
