import { z } from 'zod';
import { looseDateSchema, withEnvelope } from './common.js';
import { MAX_FILE_NAME } from './factures.js';

/**
 * The flux channel (facturx-and-chorus.md §1): `factures/v1/deposer/flux` and the integration
 * reports `transverses/v1/consulterCR` / `consulterCRDetaille` (field names from [GO] [PYC] [PHP]
 * and the official detailed-report example). The machine-readable report is `consulterCRDetaille`
 * (`consulterCR` is known broken for Factur-X [OCA]); both are implemented.
 */

/** Factur-X PDF/A-3, flow E2 ([OCA] `l10n_fr_chorus_facturx`). */
export const FACTURX_SYNTAX = 'IN_DP_E2_CII_FACTURX';

export const syntaxeFluxSchema = z.enum([
  'IN_DP_E1_UBL_INVOICE',
  'IN_DP_E1_CII_16B',
  'IN_DP_E1_CII',
  'IN_DP_E1_PES_FACTURE',
  'IN_DP_E1_XCBL',
  'IN_DP_E2_UBL_INVOICE_MIN',
  'IN_DP_E2_CII_MIN_16B',
  'IN_DP_E2_CII_MIN',
  'IN_DP_E2_CPP_FACTURE_MIN',
  'IN_DP_E2_PES_FACTURE_MIN',
  'IN_DP_E2_CII_FACTURX',
  'IN_DP_PDFARCHIVE_UBL_INVOICE_MUG',
  'IN_DP_PDFARCHIVE_CII_MUG',
  'IN_DP_E3_UBL_INVOICE',
]);
export type SyntaxeFlux = z.infer<typeof syntaxeFluxSchema>;

// deposer/flux
export const deposerFluxRequest = z.object({
  fichierFlux: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64 attendu'),
  nomFichier: z.string().min(1).max(MAX_FILE_NAME),
  syntaxeFlux: syntaxeFluxSchema,
  avecSignature: z.boolean(),
  idUtilisateurCourant: z.number().int().optional(),
});
export const deposerFluxResponse = withEnvelope({
  numeroFluxDepot: z.string().min(1),
  dateDepot: looseDateSchema.nullish(),
  syntaxeFlux: z.string().nullish(),
});

// consulterCR (human-readable report; fichierCR is a base64 PDF)
export const consulterCRRequest = z.object({
  numeroFluxDepot: z.string().min(1),
  syntaxeFlux: syntaxeFluxSchema.optional(),
  dateDepot: looseDateSchema.optional(),
});
export const consulterCRResponse = withEnvelope({
  numeroFluxDepot: z.string().nullish(),
  nomFichierFlux: z.string().nullish(),
  codeInterfaceFlux: z.string().nullish(),
  dateDepotFlux: z.string().nullish(),
  dateHeureEtatCourantFlux: z.string().nullish(),
  etatCourantFlux: z.string().nullish(),
  fichierCR: z.string().nullish(),
});

// consulterCRDetaille (machine-readable report)
export const consulterCRDetailleRequest = z.object({
  numeroFluxDepot: z.string().min(1),
  syntaxeFlux: syntaxeFluxSchema.optional(),
});
export const erreurDPSchema = z.object({
  identifiantFournisseur: z.string().nullish(),
  identifiantDestinataire: z.string().nullish(),
  numeroDP: z.string().nullish(),
  libelleErreurDP: z.string(),
});
export const erreurTechniqueSchema = z.object({
  codeErreur: z.string().nullish(),
  libelleErreur: z.string(),
  natureErreur: z.string().nullish(),
});
export const consulterCRDetailleResponse = withEnvelope({
  nomFichier: z.string().nullish(),
  codeInterfaceDepotFlux: z.string().nullish(),
  dateDepotFlux: z.string().nullish(),
  dateHeureEtatCourantDepotFlux: z.string().nullish(),
  dateHeureEtatCourantFlux: z.string().nullish(),
  etatCourantDepotFlux: z.string(),
  listeErreurDP: z.array(erreurDPSchema).nullish(),
  listeErreurTechnique: z.array(erreurTechniqueSchema).nullish(),
});

/** Flow states that end the follow-up (§1.3); anything else, even unknown, is still pending. */
export const FLUX_TERMINAL_STATES = {
  integrated: ['IN_INTEGRE', 'IN_INTEGRE_PARTIEL'],
  rejected: ['IN_REJETE', 'QP_IRRECEVABLE'],
  /** Not processed by the exchange system: the flow must be re-sent entirely. */
  incident: ['IN_INCIDENTE'],
} as const;

export type FluxOutcome = 'pending' | 'integrated' | 'rejected' | 'incident';

export function fluxOutcome(state: string): FluxOutcome {
  for (const [outcome, states] of Object.entries(FLUX_TERMINAL_STATES) as Array<
    [FluxOutcome, readonly string[]]
  >) {
    if (states.includes(state)) return outcome;
  }
  return 'pending';
}
