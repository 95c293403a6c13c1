/**
 * `facteur deposit FILE --recipient SIRET [--service CODE] [--engagement N] [--cadre A1] [--yes]
 * [--json]`: a non-interactive deposit for scripts. Uploads the PDF (Chorus reads it), completes
 * what it read with the options, lists every reason Chorus Pro would refuse it, asks for
 * confirmation (unless --yes), submits once and prints the receipt.
 */
import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command, CliIO } from '../command.js';
import { compactSiret, parseInvoiceFileArgs, readInvoicePdf } from '../invoice-file-args.js';
import { formatReceiptText, formatRefusals } from '../../deposit/format.js';
import { formatEuros } from '../../deposit/money.js';
import type { ChorusRecognition, Submission, VatRegime } from '../../deposit/port.js';
import { openCliChorusEnvironment } from '../chorus-environment.js';
import { createConfig } from '../../config/schema.js';
import { createStore } from '../../store/index.js';
import { expectedPaymentLine, trackCliDeposit } from '../../followup/track-deposit.js';

export const summary =
  'dépose une facture PDF sur Chorus Pro sans conversation (scripts) et affiche le récapitulatif';

const HELP = `Usage : facteur deposit FICHIER.pdf --recipient SIRET [options]

Dépose la facture sur Chorus Pro (ou le simulateur intégré si rien n’est configuré) :
lecture du PDF par Chorus, vérification de tout ce qui ferait refuser le dépôt,
confirmation, puis dépôt et récapitulatif.

Options :
  --recipient SIRET     SIRET du destinataire public (obligatoire)
  --service CODE        code service du destinataire
  --engagement N        numéro d’engagement (bon de commande)
  --cadre A1|A2|A9|A12  cadre de facturation (A1 par défaut)
  --validator SIRET     SIRET du titulaire qui valide (A9, A12)
  --number N            numéro de facture (sinon celui lu sur le PDF)
  --date AAAA-MM-JJ     date de facture (sinon celle lue sur le PDF)
  --supplier SIRET      votre structure (sinon celle lue sur le PDF, ou la première)
  --bank ID             identifiant du compte bancaire (sinon le premier compte à vous)
  --receipt FICHIER.pdf enregistre le récapitulatif de dépôt en PDF
  --yes                 dépose sans demander confirmation
  --json                affiche le récapitulatif en JSON
  --account NOM         compte Facteur qui suit la facture (sinon celui du compte technique
                        ou du terminal) : « facteur invoices », « facteur follow-up --once »
  -h, --help            cette aide

Code de sortie : 0 déposée, 1 refusée ou erreur, 2 erreur d’utilisation.
`;

/** Reads one answer; end of input (a script without --yes) counts as « non ». */
function confirm(io: CliIO, question: string): Promise<'yes' | 'no' | 'eof'> {
  io.stderr.write(question);
  const rl = createInterface({ input: io.stdin, terminal: false });
  return new Promise((resolve) => {
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(/^(o|oui|y|yes)$/i.test(line.trim()) ? 'yes' : 'no');
    });
    rl.once('close', () => {
      if (!answered) resolve('eof');
    });
  });
}

const command: Command = async (argv, io) => {
  const args = parseInvoiceFileArgs(argv, io, {
    name: 'deposit',
    help: HELP,
    options: {
      validator: { type: 'string' },
      bank: { type: 'string' },
      receipt: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      account: { type: 'string' },
    },
  });
  if (typeof args === 'number') return args;
  const { values: o, path, recipient } = args;
  if (o.bank && !/^\d+$/.test(o.bank)) return args.usage('--bank attend l’identifiant numérique du compte.');

  const bytes = await readInvoicePdf(io, 'deposit', path);
  if (!bytes) return 1;
  const fileName = basename(path);

  const env = await openCliChorusEnvironment(io);
  const say = (line: string) => {
    if (!o.json) io.stderr.write(`${line}\n`);
  };
  try {
    const creds = env.credentials;
    if (!creds) {
      io.stderr.write(
        'facteur deposit : CHORUS_TECH_LOGIN et CHORUS_TECH_PASSWORD sont nécessaires hors simulateur.\n',
      );
      return 1;
    }
    say(`Dépôt sur ${env.label}…`);
    const structures = await env.service.supplierStructures(creds);
    if (structures.length === 0) {
      io.stderr.write('facteur deposit : ce compte technique ne peut facturer pour aucune structure.\n');
      return 1;
    }
    const recognition: ChorusRecognition = await env.service.depositPdf(creds, { fileName, bytes });
    const wantedSupplier = compactSiret(o.supplier) ?? recognition.supplierId;
    const supplier =
      structures.find((s) => s.siret === wantedSupplier) ?? (o.supplier ? undefined : structures[0]);
    if (!supplier) {
      io.stderr.write(
        `facteur deposit : la structure ${o.supplier} n’est pas rattachée à ce compte technique.\n`,
      );
      return 1;
    }
    const accounts = await env.service.bankAccounts(creds, supplier.idStructureCPP);
    const bankAccountId = o.bank ? Number(o.bank) : (accounts.find((a) => !a.isFactor) ?? accounts[0])?.id;

    const invoiceNumber = o.number ?? recognition.invoiceNumber;
    const invoiceDate = o.date ?? recognition.invoiceDate;
    const ttc = recognition.totalInclTaxCents ?? recognition.amountDueCents;
    const missing = [
      invoiceNumber ? '' : 'le numéro de facture (--number)',
      invoiceDate ? '' : 'la date de facture (--date)',
      ttc !== undefined ? '' : 'le montant TTC',
    ].filter(Boolean);
    if (missing.length > 0) {
      io.stderr.write(`facteur deposit : Chorus Pro n’a pas pu lire ${missing.join(', ')} sur le PDF.\n`);
      return 1;
    }
    const ht = recognition.totalExclTaxCents ?? ttc! - (recognition.totalTaxCents ?? 0);
    const tax = recognition.totalTaxCents ?? ttc! - ht;
    if (recognition.recipientSiret && recognition.recipientSiret !== recipient) {
      say(
        `Attention : le PDF indique le destinataire ${recognition.recipientSiret}, vous déposez pour ${recipient}.`,
      );
    }
    const vatRegime: VatRegime = recognition.vatRegime ?? (tax === 0 ? 'SANS_TVA' : 'TVA_SUR_DEBIT');
    const submission: Submission = {
      cadre: args.cadre,
      ...(o.validator ? { validatorSiret: compactSiret(o.validator) } : {}),
      invoiceNumber: invoiceNumber!,
      invoiceDate: invoiceDate!,
      invoiceType: recognition.invoiceType ?? 'FACTURE',
      recipientSiret: recipient,
      ...((o.service ?? recognition.recipientServiceCode)
        ? { serviceCode: o.service ?? recognition.recipientServiceCode }
        : {}),
      supplierId: supplier.idStructureCPP,
      ...(bankAccountId ? { bankAccountId } : {}),
      ...((o.engagement ?? recognition.engagementNumber)
        ? { engagementNumber: o.engagement ?? recognition.engagementNumber }
        : {}),
      currency: recognition.currency ?? 'EUR',
      vatRegime,
      totalExclTaxCents: ht,
      totalTaxCents: tax,
      totalInclTaxCents: ttc!,
      pieceJointeId: recognition.pieceJointeId,
      fileName,
      fileSize: bytes.byteLength,
    };

    const refusals = await env.service.precheck(creds, submission);
    if (refusals.length > 0) {
      if (o.json) io.stdout.write(`${JSON.stringify({ deposited: false, refusals })}\n`);
      io.stderr.write(`Chorus Pro refuserait cette facture :\n${formatRefusals(refusals)}\n`);
      return 1;
    }
    const bank = accounts.find((a) => a.id === bankAccountId);
    say(
      `Facture ${submission.invoiceNumber} du ${submission.invoiceDate}, ${formatEuros(submission.totalInclTaxCents, submission.currency)} TTC, ` +
        `pour ${recipient}${submission.serviceCode ? ` (service ${submission.serviceCode})` : ''}, ` +
        `de ${supplier.name}${bank ? `, paiement sur « ${bank.label} »` : ''}.`,
    );
    if (!o.yes) {
      const answer = await confirm(io, 'Déposer cette facture sur Chorus Pro ? [o/N] ');
      if (answer !== 'yes') {
        if (answer === 'eof')
          io.stderr.write('\nPas de réponse (ajoutez --yes pour déposer sans confirmation).\n');
        io.stderr.write('Dépôt annulé : rien n’a été soumis.\n');
        return 1;
      }
    }
    const receipt = await env.service.submit(creds, submission);
    if (o.receipt) await writeFile(resolve(io.cwd, o.receipt), await env.service.receiptPdf(receipt));
    io.stdout.write(
      o.json
        ? `${JSON.stringify(receipt)}\n`
        : `${formatReceiptText(receipt)}\n${expectedPaymentLine(receipt)}\n`,
    );
    await follow(io, receipt, creds.login, o.account);
    if (o.receipt) say(`Récapitulatif PDF : ${o.receipt}`);
    return 0;
  } finally {
    await env.close();
  }
};
export default command;

/** Records the deposit for the follow-up; a failure there does not undo the deposit (warned only). */
async function follow(
  io: CliIO,
  receipt: Parameters<typeof trackCliDeposit>[1],
  chorusLogin: string,
  accountName: string | undefined,
): Promise<void> {
  try {
    const config = createConfig(io.env);
    const store = await createStore({
      dataDir: resolve(io.cwd, config.dataDir),
      databaseUrl: config.databaseUrl,
      secretKey: config.secretKey,
    });
    try {
      const result = await trackCliDeposit(store, receipt, {
        chorusLogin,
        simulator: config.chorus.env === 'simulator',
        ...(accountName ? { accountName } : {}),
      });
      if ('error' in result) io.stderr.write(`Suivi non enregistré : ${result.error}.\n`);
    } finally {
      await store.close();
    }
  } catch (error) {
    io.stderr.write(`Suivi non enregistré : ${(error as Error).message}.\n`);
  }
}
