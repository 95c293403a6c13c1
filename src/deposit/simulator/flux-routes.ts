/**
 * The simulated flux channel: `deposer/flux` judges the flow on receipt (flux-judge.ts) and keeps
 * it; its state then moves with the simulated clock — IN_RECU, IN_EN_COURS_TRAITEMENT_CPP after
 * `processingAfterMs`, IN_INTEGRE (the invoice is created, status DEPOSEE) or IN_REJETE (with its
 * reasons) after `doneAfterMs` — applied whenever a report or an invoice list is read.
 */
import { SIM_CODES } from '../api/codes.js';
import { FACTURX_SYNTAX } from '../api/flux.js';
import { MAX_PDF_BYTES } from '../api/factures.js';
import type { RequestOf, ResponseOf } from '../api/operations.js';
import { REFUSAL_MESSAGES } from '../messages.js';
import { judgeFlux, sha256 } from './flux-judge.js';
import type { SeedAccount } from './seed.js';
import type { SimFlux, SimInvoice } from './store.js';
import { SimError, parisDate, type World } from './world.js';
import { ok } from './ok-reply.js';

/** Moves one flow along its timeline; true when something changed. */
function advanceFlux(world: World, flux: SimFlux): boolean {
  const t = world.now().getTime();
  const deposited = Date.parse(flux.depositedAt);
  const { processingAfterMs, doneAfterMs } = world.fluxTimings;
  let changed = false;
  if (flux.state === 'IN_RECU' && t >= deposited + processingAfterMs) {
    flux.state = 'IN_EN_COURS_TRAITEMENT_CPP';
    flux.stateAt = new Date(deposited + processingAfterMs).toISOString();
    changed = true;
  }
  if (flux.state === 'IN_EN_COURS_TRAITEMENT_CPP' && t >= deposited + doneAfterMs) {
    const at = new Date(deposited + doneAfterMs).toISOString();
    flux.stateAt = at;
    changed = true;
    const data = flux.invoice as
      | Omit<
          SimInvoice,
          | 'id'
          | 'login'
          | 'depositedAt'
          | 'pieceJointeId'
          | 'fileName'
          | 'modeDepot'
          | 'fingerprint'
          | 'status'
          | 'history'
        >
      | undefined;
    // The number may have been used meanwhile (another flow, a PDF deposit): rejected then.
    const taken =
      data &&
      world.store.state.invoices.some(
        (i) =>
          i.supplierStructureId === data.supplierStructureId &&
          i.number === data.number &&
          i.status !== 'SUPPRIMEE',
      );
    if (flux.verdict === 'integrate' && data && !taken) {
      const state = world.store.state;
      const id = state.nextInvoiceId++;
      const invoice: SimInvoice = {
        ...data,
        id,
        login: flux.login,
        depositedAt: at,
        pieceJointeId: 0,
        fileName: flux.fileName,
        modeDepot: 'EDI_MIXTE',
        fluxNumber: flux.number,
        fingerprint: sha256(new TextEncoder().encode(`${flux.sha256}:${id}:${at}`)),
        status: 'DEPOSEE',
        history: [],
      };
      world.setStatusAt(invoice, 'DEPOSEE', at, undefined, flux.login);
      state.invoices.push(invoice);
      flux.invoiceId = id;
      flux.state = 'IN_INTEGRE';
    } else {
      if (flux.verdict === 'integrate')
        flux.errorsDP.push({
          numeroDP: data?.number,
          libelle: `Le numéro de facture ${data?.number ?? ''} a déjà été utilisé par ce fournisseur.`,
        });
      flux.state = 'IN_REJETE';
    }
  }
  if (changed) world.store.touch(flux);
  return changed;
}

/** Applies every flow's due changes (persisted when any): call before reading flows or invoices. */
export async function settleFluxes(world: World): Promise<void> {
  let changed = false;
  for (const f of world.store.state.fluxes) changed = advanceFlux(world, f) || changed;
  if (changed) await world.store.persist();
}

export async function deposerFlux(
  world: World,
  account: SeedAccount,
  req: RequestOf<'deposerFlux'>,
): Promise<ResponseOf<'deposerFlux'>> {
  const bytes = Buffer.from(req.fichierFlux, 'base64');
  if (bytes.byteLength > MAX_PDF_BYTES)
    throw new SimError(SIM_CODES.fileTooLarge, REFUSAL_MESSAGES['file-too-large'], 413);
  if (/[\\/]/.test(req.nomFichier))
    throw new SimError(SIM_CODES.fileNameTooLong, 'Le nom du fichier ne doit pas contenir de chemin');
  if (req.syntaxeFlux !== FACTURX_SYNTAX)
    throw new SimError(
      SIM_CODES.requestInvalid,
      `Syntaxe ${req.syntaxeFlux} non prise en charge par le simulateur`,
    );
  const pdf = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const verdict = await judgeFlux(world, account, pdf, req.nomFichier);
  const state = world.store.state;
  const now = world.now().toISOString();
  const number = `CPP00111100000000${String(state.nextFluxSeq++).padStart(8, '0')}`;
  state.fluxes.push({
    number,
    login: account.login,
    fileName: req.nomFichier,
    syntax: req.syntaxeFlux,
    size: bytes.byteLength,
    sha256: sha256(pdf),
    depositedAt: now,
    state: 'IN_RECU',
    stateAt: now,
    ...verdict,
  });
  await world.store.persist();
  world.logger.info({ fluxNumber: number, verdict: verdict.verdict }, 'flux received');
  return { ...ok, numeroFluxDepot: number, dateDepot: now, syntaxeFlux: req.syntaxeFlux };
}

async function fluxOrFail(world: World, account: SeedAccount, number: string): Promise<SimFlux> {
  await settleFluxes(world);
  const flux = world.store.state.fluxes.find((f) => f.number === number && f.login === account.login);
  if (!flux) throw new SimError(SIM_CODES.invoiceUnknown, `Flux ${number} introuvable`);
  return flux;
}

const interfaceCode = 'FSO1117A';

export async function consulterCRDetaille(
  world: World,
  account: SeedAccount,
  req: RequestOf<'consulterCRDetaille'>,
): Promise<ResponseOf<'consulterCRDetaille'>> {
  const f = await fluxOrFail(world, account, req.numeroFluxDepot);
  const done = f.state === 'IN_REJETE' || f.state === 'IN_INTEGRE';
  return {
    ...ok,
    nomFichier: `${interfaceCode}_CPP001_${f.number}`,
    codeInterfaceDepotFlux: interfaceCode,
    dateDepotFlux: f.depositedAt,
    dateHeureEtatCourantFlux: f.stateAt,
    etatCourantDepotFlux: f.state,
    listeErreurDP:
      done && f.state === 'IN_REJETE'
        ? f.errorsDP.map((e) => ({
            identifiantFournisseur: (f.invoice?.supplierSiret as string | undefined) ?? null,
            identifiantDestinataire: (f.invoice?.recipientSiret as string | undefined) ?? null,
            numeroDP: e.numeroDP ?? null,
            libelleErreurDP: e.libelle,
          }))
        : [],
    listeErreurTechnique:
      done && f.state === 'IN_REJETE'
        ? f.errorsTech.map((e) => ({ codeErreur: e.code, libelleErreur: e.libelle, natureErreur: e.nature }))
        : [],
  };
}

export async function consulterCR(
  world: World,
  account: SeedAccount,
  req: RequestOf<'consulterCR'>,
): Promise<ResponseOf<'consulterCR'>> {
  const f = await fluxOrFail(world, account, req.numeroFluxDepot);
  return {
    ...ok,
    numeroFluxDepot: f.number,
    nomFichierFlux: f.fileName,
    codeInterfaceFlux: interfaceCode,
    dateDepotFlux: f.depositedAt,
    dateHeureEtatCourantFlux: f.stateAt,
    etatCourantFlux: f.state,
    fichierCR: null,
  };
}

/** `YYYY-MM-DD` of a flow's deposit (Paris time), for listings. */
export function fluxDepositDate(f: SimFlux): string {
  return parisDate(new Date(f.depositedAt));
}
