/**
 * The work of the `analyseInvoice` actor: what Facteur and Chorus Pro read on the draft's PDF,
 * merged, with the supplier's bank accounts and the recipient's rules.
 */
import { mayHaveEmbeddedFiles, stripInvoiceXml } from '../deposit/flux-strip.js';
import type { ChorusCredentials, DepositService } from '../deposit/port.js';
import type { InspectionReport, Recognizer } from '../recognition/types.js';
import type { Logger } from '../shared/logger.js';
import { mark } from '../shared/stage-trace.js';
import type { StoredFile } from '../store/types.js';
import { readFacturxSection } from './facturx-analysis.js';
import { adviceOf, isBlocking, mergeRecognition } from './recognition-merge.js';
import type { Analysis, RecipientInfo } from './types.js';

export async function lookupRecipientOn(
  deposit: DepositService,
  creds: ChorusCredentials,
  siret: string,
): Promise<RecipientInfo | null> {
  const found = (await deposit.searchStructures(creds, siret)).find((s) => s.siret === siret);
  if (!found) return null;
  const rules = await deposit.recipientRules(creds, found.idStructureCPP);
  return { structure: { ...found, active: found.active && rules.structure.active }, rules };
}

export interface AnalyseDeps {
  deposit: DepositService;
  recognizer: Recognizer;
  logger: Logger;
  creds: () => Promise<ChorusCredentials>;
  /** The draft's invoice PDF from the store. */
  loadPdf: () => Promise<{ file: StoredFile; bytes: Uint8Array }>;
  /** The PDF read and its report, for the preview drawn once the report is out. */
  onRead?: (pdf: Uint8Array, report: InspectionReport) => void;
}

/**
 * Facteur's recognition and Chorus Pro's `deposer/pdf` run side by side; then the lookups that
 * depend on what was read. The preview is drawn later (see `onRead`): the report never waits for it.
 */
export async function analyseInvoice(deps: AnalyseDeps): Promise<Analysis> {
  const { deposit, recognizer, logger } = deps;
  mark('analyse.start');
  const { file, bytes } = await deps.loadPdf();
  const started = Date.now();
  const c = await deps.creds();
  mark('analyse.creds');
  // A Factur-X goes to deposer/pdf without its XML (facturx-and-chorus.md §1.6-5): the plain
  // copy is what a PDF deposit of this draft submits.
  const plain = mayHaveEmbeddedFiles(bytes) ? (await stripInvoiceXml(bytes)).bytes : bytes;
  const chorusPart = Promise.all([
    deposit.depositPdf(c, { fileName: file.fileName, bytes: plain }),
    deposit.supplierStructures(c),
  ]);
  chorusPart.catch(() => undefined); // awaited below unless the file is unusable
  void chorusPart.then(() => mark('analyse.chorusDone'), () => undefined);
  let report = await recognizer.inspect(bytes, file.fileName);
  if (report.facturx) report = await recognizer.validateFacturx(bytes, report);
  mark('analyse.inspected');
  const facturx = report.facturx ? readFacturxSection(report.facturx) : null;
  logger.info(
    {
      fields: Object.keys(report.fields).length,
      violations: report.violations.length,
      ms: Date.now() - started,
    },
    'pdf inspected',
  );
  if (isBlocking(report)) {
    return {
      unusable: true,
      advice: adviceOf(report),
      recognized: {},
      pieceJointeId: null,
      suppliers: [],
      bankAccounts: [],
      recipient: null,
    };
  }
  deps.onRead?.(bytes, report);
  const [chorus, suppliers] = await chorusPart;
  const recognized = { ...mergeRecognition(report, chorus), ...facturx?.recognized };
  const supplier = suppliers.find((s) => s.siret === recognized.supplierSiret) ?? suppliers[0];
  const [bankAccounts, recipient] = await Promise.all([
    supplier ? deposit.bankAccounts(c, supplier.idStructureCPP) : Promise.resolve([]),
    recognized.recipient ? lookupRecipientOn(deposit, c, recognized.recipient) : Promise.resolve(null),
  ]);
  mark('analyse.lookups');
  logger.info({ ms: Date.now() - started }, 'invoice analysed');
  return {
    unusable: false,
    advice: adviceOf(report),
    recognized,
    pieceJointeId: chorus.pieceJointeId,
    suppliers,
    bankAccounts,
    recipient,
    pageCount: report.pageCount,
    facturx: facturx?.draft ?? null,
  };
}
