/**
 * `facteur facturx FILE.pdf --recipient SIRET … [-o out.pdf] [--json]`: the Factur-X (EN 16931,
 * PDF/A-3) of a plain PDF invoice, without a conversation. Facteur reads the PDF (fields and
 * lines); the options state or correct what it cannot read. Exit code: 0 written, 1 refused (lines
 * that do not add up, a PDF that cannot become PDF/A-3), 2 usage error.
 */
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from '../command.js';
import { compactSiret, parseInvoiceFileArgs, readInvoicePdf } from '../invoice-file-args.js';
import type { VatRegime } from '../../deposit/port.js';
import { createRecognizer, isUnusable } from '../../recognition/index.js';
import { decimalToCents } from '../../recognition/facturx/decimal.js';
import { FacteurError } from '../../shared/errors.js';
import { parseLinesText } from '../../facturx-out/line-text.js';
import { sourceFromReport } from '../../facturx-out/source-from-report.js';
import { produceFacturx } from '../../facturx-out/produce.js';
import { findGhostscript } from '../../facturx-out/pdfa/ghostscript.js';
import { FacturxLinesError } from '../../facturx-out/errors.js';
import { FACTURX_PURPOSE } from '../../facturx-out/messages.js';

export const summary = 'produit la version Factur-X (EN 16931, PDF/A-3) d’une facture PDF, sans conversation';

const HELP = `Usage : facteur facturx FICHIER.pdf --recipient SIRET [options]

Lit la facture (champs et lignes), écrit le XML EN 16931 (vérifié par le XSD et le
Schematron officiels), le joint au PDF devenu PDF/A-3 : la même facture, lisible par le
logiciel du client. Les options précisent ou corrigent ce qui est lu.

Options :
  --recipient SIRET       SIRET du destinataire (obligatoire)
  --recipient-name NOM    nom du destinataire (sinon celui lu sur le PDF)
  --service CODE          code service (BT-10)
  --engagement N          numéro d’engagement / bon de commande (BT-13)
  --market N              numéro de marché (BT-12)
  --cadre A1|A2|A9|A12    cadre de facturation (A1 par défaut)
  --number N              numéro de facture      --date AAAA-MM-JJ  date de facture
  --avoir                 c’est un avoir         --original N       facture d’origine de l’avoir
  --supplier SIRET        votre SIRET            --supplier-name NOM votre raison sociale
  --vat-number FR…        votre n° de TVA        --iban IBAN        IBAN de paiement
  --vat-regime debit|encaissement|franchise|exoneration
  --ht, --tva, --ttc MONTANT  totaux (1 250,00), sinon ceux lus
  --line TEXTE            une ligne, à la place des lignes lues (répétable) :
                          « Prestation de mars, 1 250,00 € HT, TVA 20 % »
                          « Formation ; 2 ; jours ; 900 ; 20 »
  -o, --output FICHIER    fichier écrit (par défaut FICHIER-facturx.pdf à côté)
  --no-ghostscript        ne jamais réécrire les pages avec Ghostscript
  --json                  résultat en JSON
  -h, --help              cette aide

Code de sortie : 0 écrit, 1 refusé (lignes incohérentes, PDF non convertible), 2 erreur d’utilisation.
`;

const REGIMES: Record<string, VatRegime> = {
  debit: 'TVA_SUR_DEBIT',
  encaissement: 'TVA_SUR_ENCAISSEMENT',
  franchise: 'SANS_TVA',
  exoneration: 'EXONERATION',
};

const euros = (v: string | undefined) =>
  v === undefined ? undefined : decimalToCents(v.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.'));

const command: Command = async (argv, io) => {
  const args = parseInvoiceFileArgs(argv, io, {
    name: 'facturx',
    help: HELP,
    options: {
      'recipient-name': { type: 'string' },
      market: { type: 'string' },
      avoir: { type: 'boolean' },
      original: { type: 'string' },
      'supplier-name': { type: 'string' },
      'vat-number': { type: 'string' },
      iban: { type: 'string' },
      'vat-regime': { type: 'string' },
      ht: { type: 'string' },
      tva: { type: 'string' },
      ttc: { type: 'string' },
      line: { type: 'string', multiple: true },
      output: { type: 'string', short: 'o' },
      'no-ghostscript': { type: 'boolean' },
    },
  });
  if (typeof args === 'number') return args;
  const { values: o, path, recipient, usage } = args;
  const regime = o['vat-regime'];
  if (regime && !REGIMES[regime])
    return usage('--vat-regime vaut debit, encaissement, franchise ou exoneration.');
  const totals = { ht: euros(o.ht), tva: euros(o.tva), ttc: euros(o.ttc) };
  for (const [k, v] of Object.entries(totals))
    if (o[k as keyof typeof totals] !== undefined && v === undefined)
      return usage(`--${k} attend un montant (1 250,00).`);
  let lines;
  if (o.line?.length) {
    const vatFree = regime === 'franchise' || regime === 'exoneration';
    const typed = parseLinesText(o.line.join('\n'), { vatFree });
    if (!typed.ok)
      return usage(
        `la ligne ${typed.line} n’est pas lisible (exemple : « Prestation de mars, 1 250,00 € HT, TVA 20 % »).`,
      );
    lines = typed.lines;
  }

  const bytes = await readInvoicePdf(io, 'facturx', path);
  if (!bytes) return 1;
  const recognizer = createRecognizer();
  try {
    const report = await recognizer.inspect(bytes, basename(path));
    if (isUnusable(report)) {
      io.stderr.write('facteur facturx : ce PDF est inutilisable (voir facteur inspect).\n');
      return 1;
    }
    const source = sourceFromReport(report, {
      recipientSiret: recipient,
      recipientName: o['recipient-name'],
      serviceCode: o.service,
      engagement: o.engagement,
      market: o.market,
      cadre: args.cadre,
      invoiceNumber: o.number,
      invoiceDate: o.date,
      ...(o.avoir ? { creditNote: true } : {}),
      originalInvoice: o.original,
      supplierSiret: compactSiret(o.supplier),
      supplierName: o['supplier-name'],
      supplierVatNumber: o['vat-number']?.replace(/\s/g, ''),
      iban: o.iban,
      vatRegime: regime ? REGIMES[regime] : undefined,
      totalExclTaxCents: totals.ht,
      totalTaxCents: totals.tva,
      totalInclTaxCents: totals.ttc,
      lines,
    });
    if (!source.ok) return usage(`il manque ${source.missing.join(', ')}.`);
    const ghostscript = o['no-ghostscript'] ? null : await findGhostscript();
    const out = await produceFacturx(bytes, source.source, { ghostscript }, basename(path));
    const target = o.output ? resolve(io.cwd, o.output) : join(dirname(path), out.fileName);
    await writeFile(target, out.pdf);
    if (o.json) {
      io.stdout.write(
        `${JSON.stringify({
          ok: true,
          file: target,
          profile: 'EN16931',
          converter: out.converter,
          embeddedFonts: out.embeddedFonts,
          lines: source.source.lines,
          allowancesCharges: source.source.allowancesCharges ?? [],
          checks: out.checks,
        })}\n`,
      );
    } else {
      io.stdout.write(`Factur-X écrit : ${target}\n${FACTURX_PURPOSE}\n`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof FacteurError)) throw error;
    if (o.json) {
      const extra = error instanceof FacturxLinesError ? { problems: error.problems } : {};
      io.stdout.write(
        `${JSON.stringify({ ok: false, code: error.code, message: error.userMessage, ...extra })}\n`,
      );
    }
    io.stderr.write(`facteur facturx : ${error.userMessage}\n`);
    return 1;
  } finally {
    await recognizer.close();
  }
};

export default command;
