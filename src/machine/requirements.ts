import type { Submission } from '../deposit/port.js';
import { formatCents } from './format.js';
import { ERRORS } from './messages.js';
import { BLOCK_FIELDS, BLOCK_ORDER, type DraftContext, type FieldKey } from './types.js';
import type { BlockId } from './view.js';

/**
 * What a draft still needs before it may be sent: required fields per block (depending on the
 * cadre and the recipient's rules) and the cross-field checks. Pure functions of the context.
 */

export interface Requirements {
  validator: boolean;
  service: boolean;
  engagement: boolean;
  /** At least one of engagement or service code. */
  engagementOrService: boolean;
  bankAccount: boolean;
}

export function requirementsOf(ctx: DraftContext): Requirements {
  const rules = ctx.recipientInfo?.rules;
  const service = rules?.services.find((s) => s.code === ctx.values.service);
  return {
    validator: ctx.values.cadre === 'A9' || ctx.values.cadre === 'A12',
    service: rules?.serviceCodeRequired ?? false,
    engagement: (rules?.engagementRequired ?? false) || (service?.engagementRequired ?? false),
    engagementOrService: rules?.engagementOrServiceRequired ?? false,
    bankAccount: ctx.bankAccounts.length > 0,
  };
}

export interface Missing {
  field: FieldKey;
  error: string;
}

/** The problems left in one block, in field order (empty when the block may be confirmed). */
export function blockProblems(ctx: DraftContext, block: BlockId): Missing[] {
  const v = ctx.values;
  const req = requirementsOf(ctx);
  const problems: Missing[] = [];
  const need = (field: FieldKey, error: string = ERRORS.required) => {
    if (v[field] === undefined) problems.push({ field, error });
  };
  switch (block) {
    case 'cadre':
      need('cadre');
      if (req.validator) need('validator', ERRORS.validatorRequired);
      break;
    case 'identification':
      need('invoiceNumber');
      need('invoiceDate');
      need('invoiceType');
      break;
    case 'destinataire':
      need('recipient');
      if (v.recipient !== undefined) {
        const info = ctx.recipientInfo;
        if (!info || info.structure.siret !== v.recipient) {
          problems.push({ field: 'recipient', error: ERRORS.recipientUnknown(v.recipient) });
        } else if (!info.structure.active) {
          problems.push({ field: 'recipient', error: ERRORS.recipientInactive(info.structure.name) });
        }
      }
      if (req.service) need('service', ERRORS.serviceRequired);
      break;
    case 'fournisseur':
      need('supplier');
      break;
    case 'references':
      if (req.engagement) need('engagement', ERRORS.engagementRequired);
      else if (req.engagementOrService && v.service === undefined)
        need('engagement', ERRORS.engagementOrService);
      need('currency');
      need('vatRegime');
      need('totalExclTax');
      need('totalTax');
      need('totalInclTax');
      if (
        v.totalExclTax !== undefined &&
        v.totalTax !== undefined &&
        v.totalInclTax !== undefined &&
        v.totalExclTax + v.totalTax !== v.totalInclTax
      ) {
        const cur = v.currency ?? 'EUR';
        problems.push({
          field: 'totalInclTax',
          error: ERRORS.totalsMismatch(
            formatCents(v.totalExclTax, cur),
            formatCents(v.totalTax, cur),
            formatCents(v.totalInclTax, cur),
          ),
        });
      }
      if (req.bankAccount) need('bankAccount');
      break;
  }
  return problems;
}

/** Whether the block is shown at all (the supplier is asked only when the account has several). */
export function blockApplies(ctx: DraftContext, block: BlockId): boolean {
  return block !== 'fournisseur' || ctx.suppliers.length > 1;
}

/** The blocks the user goes through, in order. */
export function visibleBlocks(ctx: DraftContext): BlockId[] {
  return BLOCK_ORDER.filter((b) => blockApplies(ctx, b));
}

/** The first block not confirmed yet or no longer complete; `summary` when all are done. */
export function nextStep(ctx: DraftContext): BlockId | 'summary' {
  for (const block of BLOCK_ORDER) {
    const done = (ctx.confirmed[block] ?? false) || !blockApplies(ctx, block);
    if (!done || blockProblems(ctx, block).length > 0) return block;
  }
  return 'summary';
}

export function fieldApplies(ctx: DraftContext, field: FieldKey): boolean {
  const req = requirementsOf(ctx);
  if (field === 'validator') return req.validator;
  if (field === 'service')
    return (ctx.recipientInfo?.rules.services.length ?? 0) > 0 || ctx.values.service !== undefined;
  if (field === 'bankAccount') return req.bankAccount || ctx.values.bankAccount !== undefined;
  return true;
}

export function editableFields(ctx: DraftContext, block: BlockId): FieldKey[] {
  return BLOCK_FIELDS[block].filter((f) => fieldApplies(ctx, f));
}

/** The `soumettre` input; call only when `nextStep(ctx) === 'summary'`. */
export function toSubmission(ctx: DraftContext): Submission {
  const v = ctx.values;
  const missing = BLOCK_ORDER.flatMap((b) => blockProblems(ctx, b));
  if (missing.length > 0 || ctx.pieceJointeId === null) {
    throw new Error(`draft not complete: ${missing.map((m) => m.field).join(', ') || 'pieceJointeId'}`);
  }
  const required = <T>(x: T | undefined): T => {
    if (x === undefined) throw new Error('draft not complete');
    return x;
  };
  return {
    cadre: required(v.cadre),
    validatorSiret: requirementsOf(ctx).validator ? v.validator : undefined,
    invoiceNumber: required(v.invoiceNumber),
    invoiceDate: required(v.invoiceDate),
    invoiceType: required(v.invoiceType),
    recipientSiret: required(v.recipient),
    serviceCode: v.service,
    supplierId: required(v.supplier),
    bankAccountId: v.bankAccount,
    engagementNumber: v.engagement,
    marketNumber: v.market,
    currency: required(v.currency),
    vatRegime: required(v.vatRegime),
    totalExclTaxCents: required(v.totalExclTax),
    totalTaxCents: required(v.totalTax),
    totalInclTaxCents: required(v.totalInclTax),
    pieceJointeId: ctx.pieceJointeId,
    fileName: ctx.fileName,
    fileSize: ctx.fileSize,
    ...(ctx.attachments?.length
      ? {
          attachments: ctx.attachments.map((a) => ({ pieceJointeId: a.pieceJointeId, fileName: a.fileName })),
        }
      : {}),
  };
}
