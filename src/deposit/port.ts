/**
 * What the conversation needs from Chorus Pro, independent of HTTP. Implemented in
 * src/deposit/ by `createDepositService(deps)` on top of the PISTE client (real Chorus Pro or the
 * embedded simulator); the machine receives it through injected actors. Money is integer cents,
 * dates ISO `YYYY-MM-DD` strings.
 */

import type { FluxDeposits } from './flux-port.js';

export type Cadre = 'A1' | 'A2' | 'A9' | 'A12';
export type InvoiceType = 'FACTURE' | 'AVOIR';
export type VatRegime = 'TVA_SUR_DEBIT' | 'TVA_SUR_ENCAISSEMENT' | 'EXONERATION' | 'SANS_TVA';

/** The Chorus Pro technical account a Facteur account acts with (decrypted, in memory only). */
export interface ChorusCredentials {
  login: string;
  password: string;
}

export interface SupplierStructure {
  idStructureCPP: number;
  siret: string;
  name: string;
}

export interface BankAccount {
  id: number;
  label: string;
  /** Masked IBAN when known (e.g. `FR76 •••• 0189`), never used for decisions. */
  ibanHint?: string;
  /** True when the account belongs to a factor (affactureur). */
  isFactor?: boolean;
}

export interface StructureSummary {
  idStructureCPP: number;
  siret: string;
  name: string;
  active: boolean;
}

export interface ServiceSummary {
  idService: number;
  code: string;
  label: string;
  active: boolean;
  /** The service itself requires an engagement number. */
  engagementRequired?: boolean;
}

export interface RecipientRules {
  structure: StructureSummary;
  serviceCodeRequired: boolean;
  engagementRequired: boolean;
  /** At least one of service code or engagement is required. */
  engagementOrServiceRequired: boolean;
  services: ServiceSummary[];
}

/** What Chorus Pro's own recognition (deposer/pdf) returned, in Facteur's units. */
export interface ChorusRecognition {
  pieceJointeId: number;
  invoiceNumber?: string;
  invoiceDate?: string;
  recipientSiret?: string;
  recipientServiceCode?: string;
  supplierId?: string;
  currency?: string;
  invoiceType?: InvoiceType;
  vatRegime?: VatRegime;
  engagementNumber?: string;
  totalExclTaxCents?: number;
  totalTaxCents?: number;
  totalInclTaxCents?: number;
  amountDueCents?: number;
}

/** Everything needed for `soumettre`, as the user confirmed it. */
export interface Submission {
  cadre: Cadre;
  /** SIRET of the validating structure for A9/A12 (main contractor). */
  validatorSiret?: string;
  invoiceNumber: string;
  invoiceDate: string;
  invoiceType: InvoiceType;
  recipientSiret: string;
  serviceCode?: string;
  supplierId: number;
  bankAccountId?: number;
  engagementNumber?: string;
  marketNumber?: string;
  currency: string;
  vatRegime: VatRegime;
  totalExclTaxCents: number;
  totalTaxCents: number;
  totalInclTaxCents: number;
  pieceJointeId: number;
  fileName: string;
  fileSize: number;
  /** Supporting documents uploaded with `ajouter/fichier` (`pieceJointeComplementaire`). */
  attachments?: { pieceJointeId: number; fileName: string }[];
}

export type RefusalCode =
  | 'recipient-unknown'
  | 'recipient-inactive'
  | 'service-required'
  | 'service-unknown'
  | 'service-inactive'
  | 'engagement-required'
  | 'engagement-or-service-required'
  | 'invoice-number-invalid'
  | 'invoice-number-used'
  | 'bank-account-invalid'
  | 'file-too-large'
  | 'file-name-too-long'
  | 'totals-mismatch'
  | 'validator-required';

export interface Refusal {
  code: RefusalCode;
  /** Short French sentence for the freelancer ("Ce destinataire exige un numéro d'engagement"). */
  message: string;
}

export interface DepositReceipt {
  chorusInvoiceId: number;
  invoiceNumber: string;
  /** ISO date-time of the deposit. */
  depositedAt: string;
  status: string;
  recipientSiret: string;
  recipientName?: string;
  serviceCode?: string;
  supplierSiret?: string;
  cadre: Cadre;
  totalExclTaxCents: number;
  totalTaxCents: number;
  totalInclTaxCents: number;
  currency: string;
  certificateFingerprint?: string;
  /** A French sentence on how it went, shown with the receipt (e.g. « factur-x auto » fell back to the PDF). */
  notice?: string;
}

export interface InvoiceStatusEntry {
  status: string;
  at: string;
  comment?: string;
}

export interface InvoiceFollowUp {
  chorusInvoiceId: number;
  invoiceNumber: string;
  status: string;
  history: InvoiceStatusEntry[];
}

/**
 * The facade the conversation uses. All methods reject with typed errors of src/deposit/errors.ts
 * (and flux-errors.ts for the Factur-X flux deposit of `FluxDeposits`).
 */
export interface DepositService extends FluxDeposits {
  supplierStructures(creds: ChorusCredentials): Promise<SupplierStructure[]>;
  bankAccounts(creds: ChorusCredentials, supplierId: number): Promise<BankAccount[]>;
  /** By full SIRET or by a prefix of at least 3 digits; public, active structures first. */
  searchStructures(creds: ChorusCredentials, siretOrPrefix: string): Promise<StructureSummary[]>;
  recipientRules(creds: ChorusCredentials, idStructureCPP: number): Promise<RecipientRules>;
  depositPdf(
    creds: ChorusCredentials,
    file: { fileName: string; bytes: Uint8Array },
  ): Promise<ChorusRecognition>;
  /** Every reason Chorus Pro would refuse this submission; [] when it would accept it. */
  precheck(creds: ChorusCredentials, submission: Submission): Promise<Refusal[]>;
  /** Submits once; after an unknown outcome, searches before retrying so nothing is deposited twice. */
  submit(creds: ChorusCredentials, submission: Submission): Promise<DepositReceipt>;
  /** Finds an already deposited invoice by number and date (crash recovery of a submit in flight). */
  findDeposited(
    creds: ChorusCredentials,
    invoiceNumber: string,
    invoiceDate: string,
  ): Promise<DepositReceipt | null>;
  followUp(creds: ChorusCredentials, chorusInvoiceId: number): Promise<InvoiceFollowUp>;
  /** The one-page « récapitulatif de dépôt » PDF. */
  receiptPdf(receipt: DepositReceipt): Promise<Uint8Array>;
}
