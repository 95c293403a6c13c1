import { formatEuros } from './money.js';
import type { DepositReceipt, RecipientRules, Refusal, StructureSummary } from './port.js';
import { formatDepositInstant, statusLabel } from './receipt-pdf.js';

/** Plain-text French renderings for terminals (CLI) and logs a human reads. */

export function formatReceiptText(r: DepositReceipt): string {
  const rows: Array<[string, string | undefined]> = [
    ['Facture', r.invoiceNumber],
    ['Identifiant Chorus Pro', String(r.chorusInvoiceId)],
    ['Déposée le', formatDepositInstant(r.depositedAt)],
    ['Statut', statusLabel(r.status)],
    [
      'Destinataire',
      r.recipientName ? `${r.recipientName} (SIRET ${r.recipientSiret})` : `SIRET ${r.recipientSiret}`,
    ],
    ['Code service', r.serviceCode],
    ['Fournisseur', r.supplierSiret ? `SIRET ${r.supplierSiret}` : undefined],
    ['Cadre', r.cadre],
    ['Montant HT', formatEuros(r.totalExclTaxCents, r.currency)],
    ['TVA', formatEuros(r.totalTaxCents, r.currency)],
    ['Montant TTC', formatEuros(r.totalInclTaxCents, r.currency)],
    ['Empreinte', r.certificateFingerprint],
  ];
  const width = Math.max(...rows.map(([l]) => l.length));
  return [
    'Récapitulatif de dépôt',
    ...rows.filter(([, v]) => v).map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
  ].join('\n');
}

export function formatRefusals(refusals: Refusal[]): string {
  return refusals.map((r) => `  • ${r.message}`).join('\n');
}

export function formatStructures(list: StructureSummary[]): string {
  if (list.length === 0) return 'Aucune structure trouvée.';
  return list.map((s) => `  ${s.siret}  ${s.name}${s.active ? '' : '  (inactive)'}`).join('\n');
}

export function formatRules(r: RecipientRules): string {
  const rule = r.engagementOrServiceRequired
    ? 'numéro d’engagement OU code service obligatoire'
    : [
        r.serviceCodeRequired ? 'code service obligatoire' : '',
        r.engagementRequired ? 'numéro d’engagement obligatoire' : '',
      ]
        .filter(Boolean)
        .join(' ; ') || 'ni code service ni engagement exigés';
  const lines = [
    `${r.structure.name} — SIRET ${r.structure.siret}${r.structure.active ? '' : ' (inactive)'}`,
    `  Règles : ${rule}`,
  ];
  if (r.services.length > 0) {
    lines.push('  Services :');
    for (const s of r.services) {
      const notes = [s.active ? '' : 'fermé', s.engagementRequired ? 'engagement obligatoire' : '']
        .filter(Boolean)
        .join(', ');
      lines.push(`    ${s.code.padEnd(18)} ${s.label}${notes ? ` (${notes})` : ''}`);
    }
  }
  return lines.join('\n');
}
