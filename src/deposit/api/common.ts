import { z } from 'zod';

/**
 * Shapes shared by every Chorus Pro operation (chorus-pro-api.md §2). The client and the simulator
 * both use these schemas: the client validates what it sends and what it receives, the simulator
 * what it receives and what it answers.
 */

/** Every answer: `codeRetour` 0 = success, anything else a functional error. */
export const envelopeSchema = z.object({
  codeRetour: z.number().int(),
  libelle: z.string(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

export const triSensSchema = z.enum(['Ascendant', 'Descendant']);

/** Pagination asked (`parametres`, `parametresRechercherServicesStructure`, …). */
export const pagingRequestSchema = z.object({
  nbResultatsParPage: z.number().int().positive().max(10_000).optional(),
  pageResultatDemandee: z.number().int().positive().optional(),
  triSens: triSensSchema.optional(),
});

/** Pagination answered (`ParametresRetour` of the swagger). */
export const pagingResponseSchema = z.object({
  nbResultatsParPage: z.number().int().nullish(),
  pageCourante: z.number().int().nullish(),
  pages: z.number().int().nullish(),
  total: z.number().int().nullish(),
});

export const typeIdentifiantSchema = z.enum([
  'SIRET',
  'UE_HORS_FRANCE',
  'HORS_UE',
  'RIDET',
  'TAHITI',
  'AUTRE',
  'PARTICULIER',
]);

/** `YYYY-MM-DD`. */
export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date attendue au format AAAA-MM-JJ');

/** Chorus' dates are sometimes full timestamps (`2025-03-14T10:00:00.000+0100`, `2025-03-14 10:00`). */
export const looseDateSchema = z.string().min(10);

/** Money on the wire is a JSON number with decimals (never cents). */
export const amountSchema = z.number().finite();

export function withEnvelope<T extends z.ZodRawShape>(shape: T) {
  return envelopeSchema.extend(shape);
}
