import type {
  BankAccount,
  Cadre,
  DepositReceipt,
  InvoiceType,
  Refusal,
  RecipientRules,
  Submission,
  SupplierStructure,
  StructureSummary,
  VatRegime,
} from '../deposit/port.js';
import type { BlockId, FieldStatus } from './view.js';
import type { FacturxDraft } from './facturx-types.js';

export type { FacturxDraft } from './facturx-types.js';

/**
 * The data of one invoice draft, as the machine holds it. Everything here is JSON: it is
 * persisted with the XState snapshot after every event.
 */

/** Every value the user confirms or corrects, by the key used in choices and `SET` events. */
export interface FieldValues {
  cadre?: Cadre;
  /** SIRET of the main contractor that validates an A9/A12 invoice. */
  validator?: string;
  invoiceNumber?: string;
  /** ISO `YYYY-MM-DD`. */
  invoiceDate?: string;
  invoiceType?: InvoiceType;
  /** Recipient SIRET (14 digits). */
  recipient?: string;
  /** Recipient service code. */
  service?: string;
  /** Supplier idStructureCPP. */
  supplier?: number;
  engagement?: string;
  market?: string;
  currency?: string;
  vatRegime?: VatRegime;
  totalExclTax?: number;
  totalTax?: number;
  totalInclTax?: number;
  /** Chorus idCoordonneeBancaire. */
  bankAccount?: number;
}

export type FieldKey = keyof FieldValues;

export const BLOCK_ORDER: readonly BlockId[] = [
  'cadre',
  'identification',
  'destinataire',
  'fournisseur',
  'references',
];

export const BLOCK_FIELDS: Record<BlockId, readonly FieldKey[]> = {
  cadre: ['cadre', 'validator'],
  identification: ['invoiceNumber', 'invoiceDate', 'invoiceType'],
  destinataire: ['recipient', 'service'],
  fournisseur: ['supplier'],
  references: [
    'engagement',
    'market',
    'currency',
    'vatRegime',
    'totalExclTax',
    'totalTax',
    'totalInclTax',
    'bankAccount',
  ],
};

export const FIELD_KEYS: readonly FieldKey[] = BLOCK_ORDER.flatMap((b) => BLOCK_FIELDS[b]);

export function blockOf(field: FieldKey): BlockId {
  for (const block of BLOCK_ORDER) if (BLOCK_FIELDS[block].includes(field)) return block;
  throw new Error(`unknown field ${field}`);
}

export function isFieldKey(value: string): value is FieldKey {
  return (FIELD_KEYS as readonly string[]).includes(value);
}

export function isBlockId(value: string): value is BlockId {
  return (BLOCK_ORDER as readonly string[]).includes(value);
}

/** The recipient structure as looked up on Chorus Pro, with what it requires. */
export interface RecipientInfo {
  structure: StructureSummary;
  rules: RecipientRules;
}

/** A one-turn message shown above the current view (an error on a correction, an info). */
export interface Notice {
  kind: 'error' | 'info';
  text: string;
  field?: FieldKey;
}

/** A golden rule the PDF breaks, with its one-line fix (from the recognition engine). */
export interface PdfAdvice {
  rule: string;
  message: string;
}

/** The values read on the PDF (Facteur's recognition merged with Chorus Pro's own). */
export type RecognizedValues = Partial<
  Pick<
    FieldValues,
    | 'invoiceNumber'
    | 'invoiceDate'
    | 'invoiceType'
    | 'recipient'
    | 'service'
    | 'engagement'
    | 'market'
    | 'currency'
    | 'vatRegime'
    | 'totalExclTax'
    | 'totalTax'
    | 'totalInclTax'
  >
> & {
  supplierSiret?: string;
  iban?: string;
  /** Other values the PDF prints for a field with comparable evidence (offered as choices). */
  alternatives?: Partial<Record<FieldKey, string[]>>;
};

/** What the `analyseInvoice` actor returns. */
export interface Analysis {
  /** The file cannot be used at all (not a PDF, unreadable, encrypted, too large). */
  unusable: boolean;
  advice: PdfAdvice[];
  recognized: RecognizedValues;
  /** Chorus Pro attachment id from `deposer/pdf` (null when the file is unusable). */
  pieceJointeId: number | null;
  suppliers: SupplierStructure[];
  /** Bank accounts of the preselected supplier. */
  bankAccounts: BankAccount[];
  /** The recognized recipient, looked up (null when none was read or it is unknown). */
  recipient: RecipientInfo | null;
  pageCount?: number;
  /** The embedded Factur-X, when the PDF carries one (values already in `recognized`). */
  facturx?: FacturxDraft | null;
}

/** An actor failure in plain data (errors are not JSON). */
export interface ActorFailure {
  code: string;
  message: string;
  /** Worth retrying automatically (network, timeout, 5xx). */
  transient: boolean;
  refusals?: Refusal[];
  /** Reasons given by Chorus Pro for a rejected Factur-X flow. */
  reasons?: string[];
}

export interface MachineInput {
  draftId: string;
  provisionalNumber: string;
  fileName: string;
  fileSize: number;
  /** Values carried over from a rejected invoice (« Préparer une nouvelle facture »). */
  prefill?: Prefill;
}

/** A supporting document (bon de commande, PV de réception) uploaded with `ajouter/fichier`. */
export interface AttachmentRef {
  pieceJointeId: number;
  fileName: string;
  fileSize: number;
}

/** A new draft pre-filled from a rejected invoice (after-deposit-prefill.ts). */
export interface Prefill {
  /** The rejected invoice's own number. */
  fromInvoice: string;
  values: FieldValues;
  /** Chorus Pro refuses the old number again: it is asked. */
  newNumber: boolean;
}

export interface DraftContext extends MachineInput {
  values: FieldValues;
  status: Partial<Record<FieldKey, FieldStatus>>;
  /** Blocks the user confirmed. */
  confirmed: Partial<Record<BlockId, boolean>>;
  advice: PdfAdvice[];
  recognizedCount: number;
  /** True on the turn right after analysis: the first answer shows the full report. */
  freshReport: boolean;
  pieceJointeId: number | null;
  suppliers: SupplierStructure[];
  bankAccounts: BankAccount[];
  recipientInfo: RecipientInfo | null;
  /** Structures matching a typed SIRET prefix, offered as a list. */
  searchResults: StructureSummary[];
  searchPrefix: string | null;
  /** The field being corrected (free text expected). */
  editing: FieldKey | null;
  notice: Notice | null;
  refusals: Refusal[];
  failure: ActorFailure | null;
  submitAttempts: number;
  receipt: DepositReceipt | null;
  /** Why the draft ended without a deposit. */
  endReason: 'user' | 'unusable' | 'expired' | null;
  /** The embedded Factur-X (absent in drafts of PDFs without one, and in older snapshots). */
  facturx?: FacturxDraft | null;
  /** Supporting documents sent with the invoice (absent in drafts saved before they existed). */
  attachments?: AttachmentRef[];
  /** Other values read for some fields, offered as one-tap choices (src/machine/alternatives.ts). */
  alternatives?: Partial<Record<FieldKey, string[]>>;
}

/** Events the machine accepts. Channels never build them: the service interprets user input. */
export type DraftEvent =
  | { type: 'CONFIRM' }
  | { type: 'EDIT'; field?: FieldKey; block?: BlockId }
  | { type: 'SET'; field: FieldKey; value: string; today?: string }
  | { type: 'SEARCH'; prefix: string }
  | { type: 'BACK' }
  | { type: 'CANCEL' }
  | { type: 'RETRY' }
  | { type: 'NOT_UNDERSTOOD'; text: string }
  | { type: 'SEEN' }
  | { type: 'EXPIRE' }
  /** Factur-X: deposit the PDF alone (without its XML) with the draft's values. */
  | { type: 'PLAIN_PDF' }
  | { type: 'ATTACH'; attachment: AttachmentRef }
  | { type: 'DISCARD' };

export type { Submission };
