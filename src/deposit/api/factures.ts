import { z } from 'zod';
import {
  amountSchema,
  isoDateSchema,
  looseDateSchema,
  pagingRequestSchema,
  pagingResponseSchema,
  withEnvelope,
} from './common.js';

/** `/factures/v1/*` for one PDF invoice (chorus-pro-api.md §6–7; field names from [CP] [GO] [PHP]). */

export const CADRE_CODES = {
  A1: 'A1_FACTURE_FOURNISSEUR',
  A2: 'A2_FACTURE_FOURNISSEUR_DEJA_PAYEE',
  A9: 'A9_FACTURE_SOUSTRAITANT',
  A12: 'A12_FACTURE_COTRAITANT',
} as const;
export const cadreCodeSchema = z.enum([CADRE_CODES.A1, CADRE_CODES.A2, CADRE_CODES.A9, CADRE_CODES.A12]);
export const typeFactureSchema = z.enum(['FACTURE', 'AVOIR']);
export const typeTvaSchema = z.enum(['TVA_SUR_DEBIT', 'TVA_SUR_ENCAISSEMENT', 'EXONERATION', 'SANS_TVA']);
export const modePaiementSchema = z.enum(['CHEQUE', 'PRELEVEMENT', 'VIREMENT', 'ESPECE', 'AUTRE', 'REPORT']);

/** Invoice number: ≤ 20 characters, letters, digits and `- _ / +` (§9, [CS]). */
export const INVOICE_NUMBER_PATTERN = /^[A-Za-z0-9\-_/+]{1,20}$/;
export const MAX_PDF_BYTES = 10 * 1024 * 1024;
export const MAX_FILE_NAME = 200;

// deposer/pdf
export const deposerPdfRequest = z.object({
  fichierFacture: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64 attendu'),
  formatDepot: z.enum(['PDF_NON_SIGNE', 'PDF_SIGNE_PADES', 'PDF_SIGNE_XADES']),
  nomFichier: z.string().min(1).max(MAX_FILE_NAME),
  idUtilisateurCourant: z.number().int().optional(),
});
export const deposerPdfResponse = withEnvelope({
  pieceJointeId: z.number().int(),
  numeroFacture: z.string().nullish(),
  dateFacture: looseDateSchema.nullish(),
  codeDestinataire: z.string().nullish(),
  codeServiceExecutant: z.string().nullish(),
  codeFournisseur: z.string().nullish(),
  codeDeviseFacture: z.string().nullish(),
  typeFacture: typeFactureSchema.nullish(),
  typeTva: typeTvaSchema.nullish(),
  numeroBonCommande: z.string().nullish(),
  montantTtcAvantRemiseGlobalTTC: amountSchema.nullish(),
  montantHtTotal: amountSchema.nullish(),
  montantTVA: amountSchema.nullish(),
  montantAPayer: amountSchema.nullish(),
});

// soumettre
export const soumettreRequest = z.object({
  modeDepot: z.enum(['DEPOT_PDF_API', 'DEPOT_PDF_SIGNE_API', 'SAISIE_API']),
  numeroFactureSaisi: z.string().min(1).max(20),
  dateFacture: isoDateSchema,
  idUtilisateurCourant: z.number().int().optional(),
  destinataire: z.object({
    codeDestinataire: z.string().regex(/^\d{14}$/, 'SIRET à 14 chiffres attendu'),
    codeServiceExecutant: z.string().min(1).max(100).optional(),
  }),
  fournisseur: z.object({
    idFournisseur: z.number().int().positive(),
    idServiceFournisseur: z.number().int().positive().optional(),
    codeCoordonneesBancairesFournisseur: z.number().int().positive().optional(),
  }),
  cadreDeFacturation: z.object({
    codeCadreFacturation: cadreCodeSchema,
    codeStructureValideur: z
      .string()
      .regex(/^\d{14}$/, 'SIRET à 14 chiffres attendu')
      .optional(),
    codeServiceValideur: z.string().optional(),
  }),
  references: z.object({
    deviseFacture: z.string().regex(/^[A-Z]{3}$/, 'code devise ISO 4217 attendu'),
    typeFacture: typeFactureSchema,
    typeTva: typeTvaSchema,
    modePaiement: modePaiementSchema,
    numeroMarche: z.string().min(1).max(50).optional(),
    numeroBonCommande: z.string().min(1).max(50).optional(),
    numeroFactureOrigine: z.string().optional(),
    motifExonerationTva: z.string().optional(),
  }),
  lignePoste: z
    .array(
      z.object({
        lignePosteNumero: z.number().int().positive(),
        lignePosteReference: z.string().optional(),
        lignePosteDenomination: z.string(),
        lignePosteQuantite: z.number(),
        lignePosteUnite: z.string(),
        lignePosteMontantUnitaireHT: amountSchema,
        lignePosteMontantRemiseHT: amountSchema.optional(),
        lignePosteTauxTva: z.string().optional(),
        lignePosteTauxTvaManuel: z.number().min(0).max(100).optional(),
      }),
    )
    .min(1),
  ligneTva: z.array(
    z.object({
      ligneTvaTaux: z.string().optional(),
      ligneTvaTauxManuel: z.number().min(0).max(100).optional(),
      ligneTvaMontantBaseHtParTaux: amountSchema,
      ligneTvaMontantTvaParTaux: amountSchema,
    }),
  ),
  montantTotal: z.object({
    montantHtTotal: amountSchema,
    montantTVA: amountSchema,
    montantTtcTotal: amountSchema,
    montantRemiseGlobaleTTC: amountSchema.optional(),
    motifRemiseGlobaleTTC: z.string().optional(),
    montantAPayer: amountSchema,
  }),
  pieceJointePrincipale: z
    .array(
      z.object({
        pieceJointePrincipaleDesignation: z.string(),
        pieceJointePrincipaleId: z.number().int().positive(),
      }),
    )
    .length(1),
  /** Supporting documents uploaded with `ajouter/fichier`. */
  pieceJointeComplementaire: z
    .array(
      z.object({
        pieceJointeComplementaireDesignation: z.string(),
        pieceJointeComplementaireId: z.number().int().positive(),
      }),
    )
    .optional(),
  commentaire: z.string().max(1000).optional(),
});
export type SoumettreRequest = z.infer<typeof soumettreRequest>;
export const soumettreResponse = withEnvelope({
  identifiantFactureCPP: z.number().int(),
  numeroFacture: z.string().nullish(),
  dateDepot: looseDateSchema.nullish(),
  statutFacture: z.string().nullish(),
  identifiantStructure: z.string().nullish(),
  empreinteCertificatDepot: z.string().nullish(),
});

// rechercher/fournisseur
export const rechercherFournisseurRequest = z.object({
  idFournisseur: z.number().int().positive().optional(),
  numeroFacture: z.string().optional(),
  statutCourant: z.array(z.string()).optional(),
  periodeDateFactureDu: isoDateSchema.optional(),
  periodeDateFactureAu: isoDateSchema.optional(),
  periodeDateDepotDu: isoDateSchema.optional(),
  periodeDateDepotAu: isoDateSchema.optional(),
  /** State-change instant (ISO timestamp, [GO] `time.Time`): the incremental follow-up search. */
  periodeDateHeureEtatCourantDu: looseDateSchema.optional(),
  periodeDateHeureEtatCourantAu: looseDateSchema.optional(),
  numeroFluxDepot: z.string().optional(),
  rechercheFactureParFournisseur: pagingRequestSchema
    .extend({ triColonne: z.string().optional() })
    .optional(),
});
export const factureTrouveeSchema = z.object({
  identifiantFactureCPP: z.number().int(),
  numeroFacture: z.string(),
  statut: z.string().nullish(),
  dateFacture: looseDateSchema.nullish(),
  dateDepot: looseDateSchema.nullish(),
  dateHeureEtatCourant: z.string().nullish(),
  commentaireEtatCourant: z.string().nullish(),
  typeFacture: z.string().nullish(),
  devise: z.string().nullish(),
  montantHT: amountSchema.nullish(),
  montantTTC: amountSchema.nullish(),
  montantAPayer: amountSchema.nullish(),
  codeDestinataire: z.string().nullish(),
  designationDestinataire: z.string().nullish(),
  codeServiceExecutant: z.string().nullish(),
  codeFournisseur: z.string().nullish(),
  numeroBonCommande: z.string().nullish(),
  numeroFluxDepot: z.string().nullish(),
});
export const rechercherFournisseurResponse = withEnvelope({
  listeFactures: z.array(factureTrouveeSchema).nullish(),
  parametresRetour: pagingResponseSchema.nullish(),
});

// consulter/fournisseur
export const consulterFactureRequest = z.object({
  identifiantFactureCPP: z.number().int().positive(),
  codeLangue: z.string().optional(),
});
export const consulterFactureResponse = withEnvelope({
  facture: z.object({
    identifiantFactureCPP: z.number().int(),
    numeroFacture: z.string(),
    statutFacture: z.string(),
    modeDepot: z.string().nullish(),
    commentaire: z.string().nullish(),
    cadreDeFacturation: z
      .object({ codeCadreFacturation: z.string().nullish(), codeStructureValideur: z.string().nullish() })
      .nullish(),
    destinataire: z
      .object({
        codeDestinataire: z.string().nullish(),
        libelleDestinataire: z.string().nullish(),
        codeServiceExecutant: z.string().nullish(),
      })
      .nullish(),
    fournisseur: z
      .object({
        idFournisseur: z.number().int().nullish(),
        codeFournisseur: z.string().nullish(),
        designationFournisseur: z.string().nullish(),
        coordBancairesFournisseurId: z.number().int().nullish(),
      })
      .nullish(),
    references: z
      .object({
        typeFacture: z.string().nullish(),
        typeTva: z.string().nullish(),
        dateFacture: looseDateSchema.nullish(),
        dateDepot: looseDateSchema.nullish(),
        codeDeviseFacture: z.string().nullish(),
        numeroBonCommande: z.string().nullish(),
        numeroMarche: z.string().nullish(),
      })
      .nullish(),
    montantTotal: z
      .object({
        montantHtTotal: amountSchema.nullish(),
        montantTVA: amountSchema.nullish(),
        montantTtcTotal: amountSchema.nullish(),
        montantAPayer: amountSchema.nullish(),
      })
      .nullish(),
  }),
});

// consulter/historique
export const consulterHistoriqueRequest = z.object({
  idFacture: z.number().int().positive(),
  paramRechercheHistoStatuts: pagingRequestSchema.optional(),
});
export const consulterHistoriqueResponse = withEnvelope({
  idFacture: z.number().int().nullish(),
  numeroFacture: z.string().nullish(),
  statutCourantCode: z.string().nullish(),
  historiquesDesStatuts: z
    .object({
      histoStatut: z
        .array(
          z.object({
            histoStatutId: z.number().int().nullish(),
            histoStatutCode: z.string(),
            histoStatutDatePassage: z.string(),
            histoStatutCommentaire: z.string().nullish(),
            histoStatutUtilisateurNom: z.string().nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
});
