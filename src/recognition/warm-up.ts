/**
 * A small invoice-like PDF made here, byte by byte (no fixture file, no PDF library), that a
 * recognition worker reads once when it starts: loading pdfjs' modules and its standard-font data
 * and compiling the hot paths (page parsing, text runs, field and rule scans) otherwise falls on
 * the first real documents — the first users after a (re)start, or a whole month-end burst on a
 * freshly started process, where each early document cost the worker about 40 % more CPU.
 */

/** WinAnsi text for a PDF string: `(`, `)` and `\` escaped; é and € as their WinAnsi octal codes. */
function pdfText(text: string): string {
  return text
    .replace(/[\\()]/g, (c) => `\\${c}`)
    .replace(/é/g, '\\351')
    .replace(/€/g, '\\200');
}

const LINES: Array<[x: number, y: number, size: number, text: string]> = [
  [56, 780, 16, 'FACTURE N° F-2026-0001'],
  [56, 750, 10, 'Date de facture : 05/12/2026'],
  [56, 735, 10, 'Camille Martin, graphiste - SIRET 912 345 675 00017'],
  [56, 720, 10, 'IBAN FR76 3000 6000 0112 3456 7890 189'],
  [320, 690, 10, 'Destinataire : Commune de Saint-Aubin'],
  [320, 675, 10, 'SIRET 213 300 635 00017 - Service exécutant : SE-TECH'],
  [320, 660, 10, 'Engagement (bon de commande) : EJ-2026-0042'],
  [56, 620, 10, 'Désignation                      Quantité   Prix unitaire HT   Montant HT'],
  [56, 605, 10, 'Création graphique                     2          500,00 €        1 000,00 €'],
  [360, 560, 10, 'Total HT : 1 000,00 €'],
  [360, 545, 10, 'TVA 20 % : 200,00 €'],
  [360, 530, 10, 'Total TTC : 1 200,00 €'],
  [56, 490, 9, 'Paiement à 30 jours. Pénalités de retard : 3 fois le taux légal.'],
];

function build(): Uint8Array<ArrayBuffer> {
  const content =
    'BT\n' +
    LINES.map(([x, y, size, text]) => `/F1 ${size} Tf 1 0 0 1 ${x} ${y} Tm (${pdfText(text)}) Tj`).join(
      '\n',
    ) +
    '\nET\n0.5 w 56 630 m 540 630 l S 56 595 m 540 595 l S\n';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}endstream`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(pdf, 'latin1'));
}

let built: Uint8Array<ArrayBuffer> | undefined;

/** The warm-up document (a fresh copy each time: it is transferred to a worker). */
export function warmUpPdf(): Uint8Array<ArrayBuffer> {
  built ??= build();
  return new Uint8Array(built);
}
