import type { z } from 'zod';
import * as f from './factures.js';
import * as fu from './follow-up.js';
import * as fx from './flux.js';
import * as s from './structures.js';
import * as t from './transverses.js';

/**
 * Every Chorus Pro operation Facteur uses: path under the API base, request and response schemas,
 * and whether a retry after an unknown outcome is safe. Only `soumettre` changes state on Chorus'
 * side in a way a blind retry could duplicate (a second `deposer/pdf` only leaves an unused
 * attachment behind, so it is retried like a read).
 */
export interface Operation<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  name: string;
  path: string;
  request: Req;
  response: Res;
  /** Safe to send again when the first attempt's outcome is unknown. */
  retryable: boolean;
}

function op<Req extends z.ZodType, Res extends z.ZodType>(
  name: string,
  path: string,
  request: Req,
  response: Res,
  retryable = true,
): Operation<Req, Res> {
  return { name, path, request, response, retryable };
}

export const OPERATIONS = {
  rechercherStructure: op(
    'rechercherStructure',
    '/structures/v1/rechercher',
    s.rechercherStructureRequest,
    s.rechercherStructureResponse,
  ),
  consulterStructure: op(
    'consulterStructure',
    '/structures/v1/consulter',
    s.consulterStructureRequest,
    s.consulterStructureResponse,
  ),
  rechercherServices: op(
    'rechercherServicesStructure',
    '/structures/v1/rechercher/services',
    s.rechercherServicesRequest,
    s.rechercherServicesResponse,
  ),
  consulterService: op(
    'consulterServiceStructure',
    '/structures/v1/consulter/service',
    s.consulterServiceRequest,
    s.consulterServiceResponse,
  ),
  structuresActivesFournisseur: op(
    'recupererStructuresActivesFournisseur',
    '/transverses/v1/recuperer/structures/actives/fournisseur',
    t.structuresActivesFournisseurRequest,
    t.structuresActivesFournisseurResponse,
  ),
  coordBancValides: op(
    'recupererCoordonneesBancairesValides',
    '/transverses/v1/recuperer/coordbanc/valides',
    t.coordBancValidesRequest,
    t.coordBancValidesResponse,
  ),
  rattachements: op(
    'recupererRattachementsUtilisateur',
    '/utilisateurs/v1/monCompte/recuperer/rattachements',
    t.rattachementsRequest,
    t.rattachementsResponse,
  ),
  deposerPdf: op('deposerPdfFacture', '/factures/v1/deposer/pdf', f.deposerPdfRequest, f.deposerPdfResponse),
  soumettre: op('soumettreFacture', '/factures/v1/soumettre', f.soumettreRequest, f.soumettreResponse, false),
  rechercherFournisseur: op(
    'rechercherFactureParFournisseur',
    '/factures/v1/rechercher/fournisseur',
    f.rechercherFournisseurRequest,
    f.rechercherFournisseurResponse,
  ),
  consulterFacture: op(
    'consulterFactureParFournisseur',
    '/factures/v1/consulter/fournisseur',
    f.consulterFactureRequest,
    f.consulterFactureResponse,
  ),
  consulterHistorique: op(
    'consulterHistoriqueFacture',
    '/factures/v1/consulter/historique',
    f.consulterHistoriqueRequest,
    f.consulterHistoriqueResponse,
  ),
  // After the deposit (src/deposit/follow-up-service.ts). `completer` and `recycler` change the
  // invoice: after an unknown outcome the service reads the history before trying again.
  ajouterFichier: op(
    'ajouterFichierDansSysteme',
    '/transverses/v1/ajouter/fichier',
    fu.ajouterFichierRequest,
    fu.ajouterFichierResponse,
  ),
  completer: op(
    'completerFacture',
    '/factures/v1/completer',
    fu.completerRequest,
    fu.completerResponse,
    false,
  ),
  recycler: op('recyclerFacture', '/factures/v1/recycler', fu.recyclerRequest, fu.recyclerResponse, false),
  // A blind second deposer/flux would create a second flow, hence a second invoice: not retried.
  deposerFlux: op(
    'deposerFluxFacture',
    '/factures/v1/deposer/flux',
    fx.deposerFluxRequest,
    fx.deposerFluxResponse,
    false,
  ),
  consulterCR: op(
    'consulterCR',
    '/transverses/v1/consulterCR',
    fx.consulterCRRequest,
    fx.consulterCRResponse,
  ),
  consulterCRDetaille: op(
    'consulterCRDetaille',
    '/transverses/v1/consulterCRDetaille',
    fx.consulterCRDetailleRequest,
    fx.consulterCRDetailleResponse,
  ),
} as const;

export type OperationKey = keyof typeof OPERATIONS;
export type RequestOf<K extends OperationKey> = z.input<(typeof OPERATIONS)[K]['request']>;
export type ResponseOf<K extends OperationKey> = z.output<(typeof OPERATIONS)[K]['response']>;
