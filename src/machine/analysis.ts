import type { DraftContext, FieldKey, FieldValues, Analysis, ActorFailure, MachineInput } from './types.js';
import type { FieldStatus } from './view.js';

/**
 * Pure helpers the machine's actions use: the initial context, applying the analysis of a PDF,
 * and turning an actor's rejection into plain data.
 */

export function initialContext(input: MachineInput): DraftContext {
  return {
    ...input,
    values: {},
    status: {},
    confirmed: {},
    advice: [],
    recognizedCount: 0,
    freshReport: false,
    pieceJointeId: null,
    suppliers: [],
    bankAccounts: [],
    recipientInfo: null,
    searchResults: [],
    searchPrefix: null,
    editing: null,
    notice: null,
    refusals: [],
    failure: null,
    submitAttempts: 0,
    receipt: null,
    endReason: null,
  };
}

/** The draft after analysis: recognized values (status `recognized`) and sensible defaults. */
export function applyAnalysis(ctx: DraftContext, analysis: Analysis): Partial<DraftContext> {
  const values: FieldValues = { cadre: 'A1', invoiceType: 'FACTURE', currency: 'EUR' };
  const status: Partial<Record<FieldKey, FieldStatus>> = {};
  const r = analysis.recognized;
  let recognizedCount = 0;
  const take = <K extends keyof typeof r & FieldKey>(key: K) => {
    const value = r[key];
    if (value === undefined || value === null) return;
    (values as Record<string, unknown>)[key] = value;
    status[key] = 'recognized';
    recognizedCount++;
  };
  for (const key of [
    'invoiceNumber',
    'invoiceDate',
    'invoiceType',
    'recipient',
    'service',
    'engagement',
    'market',
    'currency',
    'vatRegime',
    'totalExclTax',
    'totalTax',
    'totalInclTax',
  ] as const) {
    take(key);
  }
  // Values the embedded Factur-X states are exact: their own status.
  for (const key of Object.keys(analysis.facturx?.xml ?? {}) as FieldKey[])
    if (status[key] === 'recognized') status[key] = 'facturx';
  if (values.vatRegime === undefined) {
    // Without a mention on the PDF, services are taxed on receipts; no VAT at all means franchise.
    values.vatRegime = values.totalTax === 0 ? 'SANS_TVA' : 'TVA_SUR_ENCAISSEMENT';
  }

  const supplier =
    analysis.suppliers.find((s) => s.siret === r.supplierSiret) ??
    (analysis.suppliers.length === 1 ? analysis.suppliers[0] : undefined);
  if (supplier) {
    values.supplier = supplier.idStructureCPP;
    status.supplier = r.supplierSiret === supplier.siret ? 'recognized' : 'confirmed';
  }

  const usable = analysis.bankAccounts;
  const ibanTail = r.iban?.slice(-4);
  const bank =
    (ibanTail
      ? usable.find((b) => !b.isFactor && b.ibanHint?.replace(/\s/g, '').endsWith(ibanTail))
      : undefined) ?? (usable.length === 1 ? usable[0] : undefined);
  if (bank) {
    values.bankAccount = bank.id;
    status.bankAccount =
      ibanTail && bank.ibanHint?.replace(/\s/g, '').endsWith(ibanTail) ? 'recognized' : 'confirmed';
  }

  // A recognized service the recipient does not have is dropped (the user chooses from the list).
  if (values.service !== undefined) {
    const services = analysis.recipient?.rules.services ?? [];
    const found = services.find((s) => s.code.toLowerCase() === values.service?.toLowerCase() && s.active);
    if (found) values.service = found.code;
    else {
      delete values.service;
      delete status.service;
    }
  }

  return {
    values,
    status,
    advice: analysis.advice,
    ...(r.alternatives ? { alternatives: r.alternatives } : {}),
    recognizedCount,
    freshReport: true,
    pieceJointeId: analysis.pieceJointeId,
    suppliers: analysis.suppliers,
    bankAccounts: analysis.bankAccounts,
    recipientInfo:
      analysis.recipient && analysis.recipient.structure.siret === values.recipient
        ? analysis.recipient
        : null,
    // The supplier block is not shown when there is nothing to choose.
    confirmed: analysis.suppliers.length <= 1 ? { fournisseur: true } : {},
    failure: null,
    facturx: analysis.facturx ?? null,
  };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

/** Any rejection of an actor, as JSON-safe data the machine can keep and show. */
export function toFailure(error: unknown): ActorFailure {
  if (
    isRecord(error) &&
    typeof error.code === 'string' &&
    typeof error.message === 'string' &&
    typeof error.transient === 'boolean'
  ) {
    return {
      code: error.code,
      message: error.message,
      transient: error.transient,
      refusals: Array.isArray(error.refusals) ? (error.refusals as ActorFailure['refusals']) : undefined,
      ...(Array.isArray(error.reasons) ? { reasons: error.reasons.map(String) } : {}),
    };
  }
  return {
    code: 'internal',
    message: 'Une erreur inattendue est survenue ; rien n’a été perdu. Réessayez dans un instant.',
    transient: false,
  };
}
