import { z } from 'zod';
import type { Cadre, InvoiceType, VatRegime } from '../deposit/port.js';
import { compactIdentifier, isValidSiret } from '../recognition/identifiers.js';
import { normalizeAnswer, parseAmountCents, parseFrenchDate } from './format.js';
import { ERRORS } from './messages.js';
import type { DraftContext, FieldKey, FieldValues } from './types.js';

/**
 * Validation of a typed (or chosen) value for one field: the one place that decides what may
 * reach Chorus Pro. Pure; the machine runs it in a guard and again in the action that applies it.
 */

export type Parsed<K extends FieldKey = FieldKey> =
  { ok: true; field: K; value: FieldValues[K] | undefined } | { ok: false; field: K; error: string };

const invoiceNumberSchema = z
  .string()
  .trim()
  .min(1)
  .max(20)
  .regex(/^[A-Za-z0-9\-_/+]+$/);
const referenceSchema = z.string().trim().min(1).max(50);
const currencySchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}$/)
  .transform((s) => s.toUpperCase());

const CADRES: Record<string, Cadre> = {
  a1: 'A1',
  '1': 'A1',
  fournisseur: 'A1',
  'depot par un fournisseur': 'A1',
  a2: 'A2',
  '2': 'A2',
  'deja payee': 'A2',
  payee: 'A2',
  a9: 'A9',
  '9': 'A9',
  'sous-traitant': 'A9',
  'sous traitant': 'A9',
  soustraitant: 'A9',
  a12: 'A12',
  '12': 'A12',
  cotraitant: 'A12',
  'co-traitant': 'A12',
};

const VAT_REGIMES: Record<string, VatRegime> = {
  debit: 'TVA_SUR_DEBIT',
  debits: 'TVA_SUR_DEBIT',
  'tva sur les debits': 'TVA_SUR_DEBIT',
  tva_sur_debit: 'TVA_SUR_DEBIT',
  encaissement: 'TVA_SUR_ENCAISSEMENT',
  encaissements: 'TVA_SUR_ENCAISSEMENT',
  'tva sur les encaissements': 'TVA_SUR_ENCAISSEMENT',
  tva_sur_encaissement: 'TVA_SUR_ENCAISSEMENT',
  exoneration: 'EXONERATION',
  exonere: 'EXONERATION',
  sans: 'SANS_TVA',
  'sans tva': 'SANS_TVA',
  sans_tva: 'SANS_TVA',
  franchise: 'SANS_TVA',
  'franchise en base': 'SANS_TVA',
};

/** Short ids used in choices for VAT regimes (choice ids stay ≤ 32 chars). */
export const VAT_REGIME_IDS: Record<VatRegime, string> = {
  TVA_SUR_DEBIT: 'debit',
  TVA_SUR_ENCAISSEMENT: 'encaissement',
  EXONERATION: 'exoneration',
  SANS_TVA: 'sans',
};

/** Checks a SIRET typed by a person (spaces, dots allowed); the error says what is wrong. */
export function checkSiret(raw: string): { ok: true; siret: string } | { ok: false; error: string } {
  const siret = compactIdentifier(raw);
  if (!/^\d{14}$/.test(siret)) return { ok: false, error: ERRORS.siretShape };
  if (!isValidSiret(siret)) return { ok: false, error: ERRORS.siretChecksum };
  return { ok: true, siret };
}

function fail<K extends FieldKey>(field: K, error: string): Parsed<K> {
  return { ok: false, field, error };
}

function ok<K extends FieldKey>(field: K, value: FieldValues[K] | undefined): Parsed<K> {
  return { ok: true, field, value };
}

/** The value of `raw` for `field` in this draft, or the precise French error. */
export function parseField(field: FieldKey, raw: string, ctx: DraftContext, today?: string): Parsed {
  const answer = normalizeAnswer(raw);
  switch (field) {
    case 'cadre': {
      const cadre = CADRES[answer];
      return cadre ? ok(field, cadre) : fail(field, ERRORS.cadre);
    }
    case 'validator':
    case 'recipient': {
      const checked = checkSiret(raw);
      return checked.ok ? ok(field, checked.siret) : fail(field, checked.error);
    }
    case 'invoiceNumber': {
      const r = invoiceNumberSchema.safeParse(raw);
      return r.success ? ok(field, r.data) : fail(field, ERRORS.invoiceNumberShape);
    }
    case 'invoiceDate': {
      const iso = parseFrenchDate(raw);
      // Well shaped but not in the calendar (31/02, 29/02 of a common year): say so precisely.
      if (!iso && /^\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\s*$/.test(raw))
        return fail(field, ERRORS.dateImpossible(raw.trim()));
      if (!iso) return fail(field, ERRORS.dateShape);
      if (today && iso > today) return fail(field, ERRORS.dateFuture);
      if (iso < '2000-01-01') return fail(field, ERRORS.dateTooOld);
      return ok(field, iso);
    }
    case 'invoiceType': {
      const t: InvoiceType | undefined =
        answer === 'facture' ? 'FACTURE' : answer === 'avoir' ? 'AVOIR' : undefined;
      return t ? ok(field, t) : fail(field, ERRORS.invoiceType);
    }
    case 'service': {
      const services = ctx.recipientInfo?.rules.services;
      if (!services) return fail(field, ERRORS.serviceNoRecipient);
      const wanted = raw.trim();
      const found =
        services.find((s) => String(s.idService) === wanted) ??
        services.find((s) => s.code.toLowerCase() === wanted.toLowerCase());
      if (!found) return fail(field, ERRORS.serviceUnknown(wanted));
      if (!found.active) return fail(field, ERRORS.serviceInactive(found.code));
      return ok(field, found.code);
    }
    case 'supplier': {
      const wanted = raw.trim();
      const compact = compactIdentifier(raw);
      const found = ctx.suppliers.find((s) => String(s.idStructureCPP) === wanted || s.siret === compact);
      return found ? ok(field, found.idStructureCPP) : fail(field, ERRORS.supplierUnknown);
    }
    case 'engagement': {
      const r = referenceSchema.safeParse(raw);
      return r.success ? ok(field, r.data) : fail(field, ERRORS.engagementShape);
    }
    case 'market': {
      if (['aucun', 'aucune', 'sans', 'non', '-', 'rien'].includes(answer)) return ok(field, undefined);
      const r = referenceSchema.safeParse(raw);
      return r.success ? ok(field, r.data) : fail(field, ERRORS.marketShape);
    }
    case 'currency': {
      if (['euro', 'euros', '€'].includes(answer)) return ok(field, 'EUR');
      const r = currencySchema.safeParse(raw);
      return r.success ? ok(field, r.data) : fail(field, ERRORS.currency);
    }
    case 'vatRegime': {
      const regime = VAT_REGIMES[answer] ?? VAT_REGIMES[answer.replace(/^tva sur (le |les )?/, '')];
      return regime ? ok(field, regime) : fail(field, ERRORS.vatRegime);
    }
    case 'totalExclTax':
    case 'totalTax':
    case 'totalInclTax': {
      const cents = parseAmountCents(raw);
      return cents === null ? fail(field, ERRORS.amountShape) : ok(field, cents);
    }
    case 'bankAccount': {
      const wanted = raw.trim();
      const found =
        ctx.bankAccounts.find((b) => String(b.id) === wanted) ??
        ctx.bankAccounts.find((b) => b.label.toLowerCase() === wanted.toLowerCase()) ??
        (/^\d{4}$/.test(wanted)
          ? ctx.bankAccounts.find((b) => b.ibanHint?.replace(/\s/g, '').endsWith(wanted))
          : undefined);
      return found ? ok(field, found.id) : fail(field, ERRORS.bankUnknown);
    }
  }
}
