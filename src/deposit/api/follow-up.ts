import { z } from 'zod';
import { looseDateSchema, withEnvelope } from './common.js';

/**
 * The operations a supplier uses after a deposit (chorus-pro-api.md §6.3, §7.4; after-deposit.md
 * §2): `completer` a suspended invoice, `recycler` an invoice returned for a wrong recipient, and
 * `ajouter/fichier` to upload an attachment first. Field names from [GO] `factures_depots.go` and
 * the official recycle example [CP-api].
 */

/** Extensions Chorus Pro accepts on `ajouter/fichier` (§6.3, [PY] docstring). */
export const ATTACHMENT_EXTENSIONS = [
  'BMP',
  'BZ2',
  'CSV',
  'DOC',
  'DOCX',
  'FAX',
  'GIF',
  'GZ',
  'GZIP',
  'HTM',
  'HTML',
  'JPEG',
  'JPG',
  'ODP',
  'ODS',
  'ODT',
  'P7S',
  'PDF',
  'PNG',
  'PPS',
  'PPT',
  'PPTX',
  'RTF',
  'SVG',
  'TGZ',
  'TIF',
  'TIFF',
  'TXT',
  'XHTML',
  'XLC',
  'XLM',
  'XLS',
  'XLSX',
  'XML',
  'XSD',
  'XSL',
  'ZIP',
] as const;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENT_NAME = 50;

// transverses/v1/ajouter/fichier
export const ajouterFichierRequest = z.object({
  pieceJointeFichier: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64 attendu'),
  pieceJointeNom: z.string().min(1).max(MAX_ATTACHMENT_NAME),
  pieceJointeTypeMime: z.string().min(1).max(255),
  pieceJointeExtension: z.string().min(1).max(10),
  idUtilisateurCourant: z.number().int().optional(),
});
export const ajouterFichierResponse = withEnvelope({
  pieceJointeId: z.number().int(),
});

// factures/v1/completer
export const pieceJointeComplementaireSchema = z.object({
  pieceJointeComplementaireId: z.number().int().positive(),
  pieceJointeComplementaireDesignation: z.string().max(100).optional(),
  pieceJointeComplementaireType: z.string().optional(),
  pieceJointeComplementaireIdLiaison: z.number().int().optional(),
  pieceJointeComplementaireNumeroLigneFacture: z.number().int().optional(),
});
export const completerRequest = z.object({
  identifiantFactureCPP: z.number().int().positive(),
  commentaire: z.string().max(1000).optional(),
  pieceJointeComplementaire: z.array(pieceJointeComplementaireSchema).optional(),
  idUtilisateurCourant: z.number().int().optional(),
});
export const completerResponse = withEnvelope({
  identifiantFactureCPP: z.number().int().nullish(),
  numeroFacture: z.string().nullish(),
  dateTraitement: looseDateSchema.nullish(),
});

// factures/v1/recycler
export const recyclerRequest = z.object({
  identifiantFactureCPP: z.number().int().positive(),
  destinataire: z.object({
    codeDestinataire: z.string().regex(/^\d{14}$/, 'SIRET à 14 chiffres attendu'),
    codeServiceExecutant: z.string().min(1).max(100).optional(),
  }),
  /** [GO] sends the references (a corrected engagement number, `numeroBonCommande`) here (?). */
  reference: z
    .object({
      numeroBonCommande: z.string().min(1).max(50).optional(),
      numeroMarche: z.string().min(1).max(50).optional(),
    })
    .optional(),
  commentaire: z.string().max(1000).optional(),
  idUtilisateurCourant: z.number().int().optional(),
});
export const recyclerResponse = withEnvelope({
  identifiantFactureCPP: z.number().int().nullish(),
  numeroFacture: z.string().nullish(),
  dateDepot: looseDateSchema.nullish(),
  statutFacture: z.string().nullish(),
});
