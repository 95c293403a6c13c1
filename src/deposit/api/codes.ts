import type { RefusalCode } from '../port.js';

/**
 * Functional error codes (`codeRetour`) of the embedded simulator.
 *
 * SIMULATOR-SPECIFIC: the official list lives in the « Annexe mode API » PDF, which is not part of
 * our sources (chorus-pro-api.md §2.3, §11.1). Only 20003 (file too large) is documented by a
 * public client; the others are ours. Against the real Chorus Pro the client does not rely on them:
 * an unknown code keeps Chorus' own `libelle`.
 */
export const SIM_CODES = {
  ok: 0,
  requestInvalid: 20000,
  recipientUnknown: 20001,
  recipientInactive: 20002,
  fileTooLarge: 20003,
  serviceRequired: 20004,
  serviceUnknown: 20005,
  serviceInactive: 20006,
  engagementRequired: 20007,
  engagementOrServiceRequired: 20008,
  invoiceNumberInvalid: 20009,
  invoiceNumberUsed: 20010,
  bankAccountInvalid: 20011,
  fileNameTooLong: 20012,
  totalsMismatch: 20013,
  validatorRequired: 20014,
  pieceUnknown: 20015,
  notSupplier: 20016,
  invoiceUnknown: 20017,
  structureUnknown: 20018,
  serviceNotFound: 20019,
  pdfUnreadable: 20020,
} as const;

/** Success message keys observed on real answers (§2.1): structures vs factures/transverses. */
export const LIBELLE_OK_STRUCTURES = 'TRA_MSG_00.000';
export const LIBELLE_OK = 'GCU_MSG_01_000';

const REFUSAL_BY_CODE: Partial<Record<number, RefusalCode>> = {
  [SIM_CODES.recipientUnknown]: 'recipient-unknown',
  [SIM_CODES.recipientInactive]: 'recipient-inactive',
  [SIM_CODES.fileTooLarge]: 'file-too-large',
  [SIM_CODES.serviceRequired]: 'service-required',
  [SIM_CODES.serviceUnknown]: 'service-unknown',
  [SIM_CODES.serviceInactive]: 'service-inactive',
  [SIM_CODES.engagementRequired]: 'engagement-required',
  [SIM_CODES.engagementOrServiceRequired]: 'engagement-or-service-required',
  [SIM_CODES.invoiceNumberInvalid]: 'invoice-number-invalid',
  [SIM_CODES.invoiceNumberUsed]: 'invoice-number-used',
  [SIM_CODES.bankAccountInvalid]: 'bank-account-invalid',
  [SIM_CODES.fileNameTooLong]: 'file-name-too-long',
  [SIM_CODES.totalsMismatch]: 'totals-mismatch',
  [SIM_CODES.validatorRequired]: 'validator-required',
};

export const CODE_BY_REFUSAL: Record<RefusalCode, number> = Object.fromEntries(
  Object.entries(REFUSAL_BY_CODE).map(([code, refusal]) => [refusal, Number(code)]),
) as Record<RefusalCode, number>;

/** The refusal a `codeRetour` stands for, when it is one we know. */
export function refusalForCode(codeRetour: number): RefusalCode | undefined {
  return REFUSAL_BY_CODE[codeRetour];
}
