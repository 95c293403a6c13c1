/** Why the simulated Chorus refuses a submission (`soumettre`) or a routing (`recycler`). */
import { INVOICE_NUMBER_PATTERN, MAX_FILE_NAME } from '../api/factures.js';
import type { RequestOf } from '../api/operations.js';
import type { RefusalCode } from '../port.js';
import type { SeedAccount } from './seed.js';
import type { World } from './world.js';

/** Why the simulated Chorus refuses this routing (recipient, service, engagement): `soumettre`, `recycler`. */
export function recipientRefusals(
  world: World,
  siret: string,
  code: string | undefined,
  engagement: string | undefined,
): Array<[RefusalCode, string?]> {
  const out: Array<[RefusalCode, string?]> = [];
  const recipient = world.structureBySiret.get(siret);
  if (!recipient) out.push(['recipient-unknown', siret]);
  else if (!recipient.active) out.push(['recipient-inactive', siret]);
  else {
    const service = code ? recipient.services.find((s) => s.code === code) : undefined;
    if (code && !service) out.push(['service-unknown', code]);
    else if (service && !service.active) out.push(['service-inactive', code]);
    const rules = recipient.rules;
    if (rules.engagementOrService) {
      if (!code && !engagement) out.push(['engagement-or-service-required']);
    } else {
      if (rules.serviceCodeRequired && !code) out.push(['service-required']);
      if ((rules.engagementRequired || service?.engagementRequired) && !engagement)
        out.push(['engagement-required']);
    }
  }
  return out;
}

/** Every reason the simulated Chorus refuses `req`, in the order it checks them. */
export function soumettreRefusals(
  world: World,
  account: SeedAccount,
  req: RequestOf<'soumettre'>,
): Array<[RefusalCode, string?]> {
  const out = recipientRefusals(
    world,
    req.destinataire.codeDestinataire,
    req.destinataire.codeServiceExecutant,
    req.references.numeroBonCommande,
  );
  const cadre = req.cadreDeFacturation.codeCadreFacturation;
  if (
    (cadre === 'A9_FACTURE_SOUSTRAITANT' || cadre === 'A12_FACTURE_COTRAITANT') &&
    !req.cadreDeFacturation.codeStructureValideur
  ) {
    out.push(['validator-required']);
  }
  if (!INVOICE_NUMBER_PATTERN.test(req.numeroFactureSaisi))
    out.push(['invoice-number-invalid', req.numeroFactureSaisi]);
  else if (
    world.store.state.invoices.some(
      (i) =>
        i.supplierStructureId === req.fournisseur.idFournisseur &&
        i.number === req.numeroFactureSaisi &&
        i.status !== 'SUPPRIMEE',
    )
  ) {
    out.push(['invoice-number-used', req.numeroFactureSaisi]);
  }
  const banks = (world.banksByStructure.get(req.fournisseur.idFournisseur) ?? []).filter((b) => b.valid);
  const bankId = req.fournisseur.codeCoordonneesBancairesFournisseur;
  if (bankId ? !banks.some((b) => b.id === bankId) : banks.length > 0)
    out.push(['bank-account-invalid', bankId ? String(bankId) : 'absent']);
  const t = req.montantTotal;
  if (Math.round((t.montantHtTotal + t.montantTVA) * 100) !== Math.round(t.montantTtcTotal * 100))
    out.push(['totals-mismatch']);
  const piece = world.store.state.pieces.find(
    (p) => p.id === req.pieceJointePrincipale[0]!.pieceJointePrincipaleId,
  );
  if (piece && piece.fileName.length > MAX_FILE_NAME) out.push(['file-name-too-long']);
  return out;
}
