/**
 * Human-readable French rendering of a report (`facteur inspect` without `--json`): fields grouped
 * by the blocks of Chorus Pro's deposit form, then the violations with their advice.
 */
import type { FieldKey, InspectionReport, RecognizedField } from './types.js';
import { FIELD_LABELS } from './messages.js';
import { formatFacturx } from './facturx/format.js';

export const DEPOSIT_BLOCKS: Array<{ title: string; fields: FieldKey[] }> = [
  { title: 'Identification', fields: ['invoiceNumber', 'invoiceDate'] },
  { title: 'Destinataire', fields: ['recipientName', 'recipientSiret', 'recipientServiceCode'] },
  { title: 'Fournisseur', fields: ['supplierSiret', 'supplierVatNumber', 'supplierIban'] },
  { title: 'Références', fields: ['engagementNumber', 'marketNumber'] },
  { title: 'Montants', fields: ['currency', 'totalExclTax', 'totalTax', 'totalInclTax'] },
];

/** `1250.00` → `1 250,00` (narrow no-break space as thousands separator, as French print does). */
export function frenchAmount(decimal: string): string {
  const [int = '0', dec = '00'] = decimal.replace('-', '').split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return `${decimal.startsWith('-') ? '-' : ''}${grouped},${dec}`;
}

/** Display form of a normalised value. */
export function displayValue(key: FieldKey, value: string, currency = 'EUR'): string {
  switch (key) {
    case 'invoiceDate': {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      return m ? `${m[3]}/${m[2]}/${m[1]}` : value;
    }
    case 'recipientSiret':
    case 'supplierSiret':
      return /^\d{14}$/.test(value)
        ? `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6, 9)} ${value.slice(9)}`
        : value;
    case 'supplierIban':
      return value.replace(/(.{4})(?=.)/g, '$1 ');
    case 'totalExclTax':
    case 'totalTax':
    case 'totalInclTax':
      return `${frenchAmount(value)} ${currency === 'EUR' ? '€' : currency}`;
    default:
      return value;
  }
}

function origin(f: RecognizedField): string {
  return f.keyword ? `« ${f.keyword} », page ${f.page}` : `sans mot-clé, page ${f.page}`;
}

const VAT_REGIMES: Record<NonNullable<InspectionReport['vatRegime']>, string> = {
  SANS_TVA: 'TVA non applicable (franchise en base, art. 293 B du CGI)',
  EXONERATION: 'exonération de TVA',
  TVA_SUR_DEBIT: 'TVA sur les débits',
  TVA_SUR_ENCAISSEMENT: 'TVA sur les encaissements',
};

/** Document type and VAT regime, shown in their blocks when they are not the usual ones. */
function blockHint(title: string, report: InspectionReport, width: number): string | null {
  if (title === 'Identification' && report.invoiceType === 'AVOIR')
    return `    ${'Type de document'.padEnd(width)}Avoir`;
  if (title === 'Montants' && report.vatRegime && report.vatRegime !== 'TVA_SUR_ENCAISSEMENT') {
    return `    ${'Régime de TVA'.padEnd(width)}${VAT_REGIMES[report.vatRegime]}`;
  }
  return null;
}

export function formatReport(report: InspectionReport): string {
  const out: string[] = [];
  const pages = report.pageCount === 1 ? '1 page' : `${report.pageCount} pages`;
  const beyond =
    report.pageCount > report.pagesRead ? ` (Chorus Pro lit les ${report.pagesRead} premières)` : '';
  out.push(report.pageCount > 0 ? `${report.file} — ${pages}${beyond}` : `${report.file} — non lu`);
  const currency = report.fields.currency?.value ?? 'EUR';
  if (report.facturx) out.push(...formatFacturx(report.facturx));
  if (report.pageCount > 0) {
    const width = Math.max(...Object.values(FIELD_LABELS).map((l) => l.length)) + 2;
    for (const block of DEPOSIT_BLOCKS) {
      out.push('', `  ${block.title}`);
      for (const key of block.fields) {
        const f = report.fields[key];
        const label = FIELD_LABELS[key].padEnd(width);
        out.push(f ? `    ${label}${displayValue(key, f.value, currency)}  (${origin(f)})` : `    ${label}—`);
      }
      const hint = blockHint(block.title, report, width);
      if (hint) out.push(hint);
    }
  }
  out.push('');
  if (report.violations.length === 0) {
    out.push('  ✓ Aucun problème détecté : la facture respecte les règles de lecture de Chorus Pro.');
  } else {
    const n = report.violations.length;
    out.push(`  ${n === 1 ? '1 point à corriger' : `${n} points à corriger`} :`);
    for (const v of report.violations) out.push(`  ✗ ${v.message}  [${v.rule}]`);
  }
  return out.join('\n') + '\n';
}
