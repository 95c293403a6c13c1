import { z } from 'zod';
import { withEnvelope } from './common.js';

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
