import { formatParisDateTime } from '../shared/paris-time.js';
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { formatEuros } from './money.js';
import type { DepositReceipt } from './port.js';

const CADRE_LABELS: Record<DepositReceipt['cadre'], string> = {
  A1: 'A1 – Facture de fournisseur',
  A2: 'A2 – Facture déjà payée',
  A9: 'A9 – Facture de sous-traitant',
  A12: 'A12 – Facture de cotraitant',
};

const STATUS_LABELS: Record<string, string> = {
  DEPOSEE: 'Déposée',
  EN_COURS_ACHEMINEMENT: 'En cours d’acheminement',
  MISE_A_DISPOSITION: 'Mise à disposition du destinataire',
  SUSPENDUE: 'Suspendue',
  REJETEE: 'Rejetée',
  MISE_EN_PAIEMENT: 'Mise en paiement',
  INTERPRETEE_OCR: 'Lue par Chorus Pro, pas encore soumise',
  PRISE_EN_COMPTE_DESTINATAIRE: 'Prise en compte par le destinataire',
  A_RECYCLER: 'À recycler (mauvais destinataire ou service)',
  COMPLETEE: 'Complétée',
  SERVICE_FAIT: 'Service fait',
  MANDATEE: 'Mandatée',
  MISE_A_DISPOSITION_COMPTABLE: 'Transmise au comptable public',
  COMPTABILISEE: 'Comptabilisée',
  ABANDONNEE: 'Abandonnée',
  SUPPRIMEE: 'Supprimée',
};

/** French label of a Chorus status (falls back to the code). */
export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

/** « 26/11/2026 à 07:42 (heure de Paris) ». */
export const formatDepositInstant = formatParisDateTime;

/** pdf-lib's standard fonts encode WinAnsi: replace the few characters it lacks. */
function winAnsi(text: string): string {
  return text
    .replace(/[\u2019\u2018]/g, "'")
    .replace(/[\u202f\u2009]/g, ' ')
    .replace(/\u2026/g, '...');
}

/** The one-page « Récapitulatif de dépôt » a channel sends back after a deposit. */
export async function renderReceiptPdf(receipt: DepositReceipt): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Récapitulatif de dépôt – facture ${receipt.invoiceNumber}`);
  doc.setAuthor('Facteur');
  doc.setCreator('Facteur');
  doc.setProducer('Facteur (pdf-lib)');
  doc.setCreationDate(new Date(receipt.depositedAt));
  const page = doc.addPage([595.28, 841.89]);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const ink = rgb(0.1, 0.1, 0.1);
  const grey = rgb(0.4, 0.4, 0.4);
  const left = 56;
  let y = 780;

  const text = (p: PDFPage, s: string, x: number, yy: number, font: PDFFont, size: number, color = ink) =>
    p.drawText(winAnsi(s), { x, y: yy, font, size, color });

  text(page, 'Récapitulatif de dépôt', left, y, bold, 22);
  y -= 22;
  text(page, 'Facture déposée sur Chorus Pro', left, y, regular, 12, grey);
  y -= 30;
  page.drawLine({ start: { x: left, y }, end: { x: 539, y }, thickness: 0.8, color: grey });
  y -= 28;

  const rows: Array<[string, string | undefined]> = [
    ['Numéro de facture', receipt.invoiceNumber],
    ['Identifiant Chorus Pro', String(receipt.chorusInvoiceId)],
    ['Déposée le', formatDepositInstant(receipt.depositedAt)],
    ['Statut', statusLabel(receipt.status)],
    [
      'Destinataire',
      receipt.recipientName
        ? `${receipt.recipientName} (SIRET ${receipt.recipientSiret})`
        : `SIRET ${receipt.recipientSiret}`,
    ],
    ['Code service', receipt.serviceCode],
    ['Fournisseur', receipt.supplierSiret ? `SIRET ${receipt.supplierSiret}` : undefined],
    ['Cadre de facturation', CADRE_LABELS[receipt.cadre]],
    ['Montant HT', formatEuros(receipt.totalExclTaxCents, receipt.currency)],
    ['TVA', formatEuros(receipt.totalTaxCents, receipt.currency)],
    ['Montant TTC', formatEuros(receipt.totalInclTaxCents, receipt.currency)],
    ['Empreinte du certificat', receipt.certificateFingerprint],
  ];
  for (const [label, value] of rows) {
    if (!value) continue;
    text(page, label, left, y, regular, 11, grey);
    const lines = wrap(winAnsi(value), bold, 11, 320);
    for (const [i, line] of lines.entries()) text(page, line, 220, y - i * 15, bold, 11);
    y -= 15 * lines.length + 9;
  }

  y -= 14;
  page.drawLine({ start: { x: left, y }, end: { x: 539, y }, thickness: 0.8, color: grey });
  y -= 22;
  const notes = [
    'Conservez ce récapitulatif : il atteste le dépôt de la facture sur Chorus Pro.',
    'Le destinataire traite ensuite la facture : son statut évolue sur Chorus Pro',
    '(mise à disposition, mise en paiement…) et se suit sur Chorus Pro ou avec Facteur.',
  ];
  for (const note of notes) {
    text(page, note, left, y, regular, 10, grey);
    y -= 14;
  }
  text(page, 'Généré par Facteur', left, 40, regular, 8, grey);
  return doc.save();
}

function wrap(value: string, font: PDFFont, size: number, width: number): string[] {
  const fits = (t: string) => font.widthOfTextAtSize(t, size) <= width;
  // Words wider than the column (a fingerprint) are cut into pieces that fit.
  const words = value.split(/\s+/).flatMap((word) => {
    const pieces: string[] = [];
    let rest = word;
    while (!fits(rest)) {
      let n = rest.length - 1;
      while (n > 1 && !fits(rest.slice(0, n))) n--;
      pieces.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    return [...pieces, rest];
  });
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const next = current ? `${current} ${word}` : word;
    if (!fits(next) && current) {
      lines.push(current);
      current = word;
    } else current = next;
  }
  if (current) lines.push(current);
  return lines;
}
