/**
 * The lines read on the pages (src/recognition/lines/) → the producer's lines: items stay lines,
 * discounts become allowances and charges charges (BG-20 / BG-21), a credit note's signs are
 * dropped (381 carries positive amounts). A missing quantity is 1 and a missing unit price is the
 * amount; a missing VAT rate is 0 only on a VAT-free invoice, else left empty so the check asks
 * the user (never guessed).
 */
import type { InvoiceLine } from '../recognition/lines/types.js';
import type { VatRegime } from '../deposit/port.js';
import type { FacturxAllowanceCharge, FacturxLine } from './types.js';
import { centsToPrice } from './decimal-rate.js';

export interface ConvertedLines {
  lines: FacturxLine[];
  allowancesCharges: FacturxAllowanceCharge[];
}

export function fromReadLines(
  read: InvoiceLine[],
  o: { vatRegime?: VatRegime; creditNote: boolean },
): ConvertedLines {
  const vatFree = o.vatRegime === 'EXONERATION' || o.vatRegime === 'SANS_TVA';
  const rate = (l: InvoiceLine) => l.vatRate ?? (vatFree ? '0' : '');
  const out: ConvertedLines = { lines: [], allowancesCharges: [] };
  for (const l of read) {
    const amount = o.creditNote ? Math.abs(l.amountCents) : l.amountCents;
    if (l.kind === 'line') {
      const quantity = l.quantity ? (o.creditNote ? l.quantity.replace(/^-/, '') : l.quantity) : '1';
      out.lines.push({
        description: l.description,
        quantity,
        ...(l.unit ? { unit: l.unit } : {}),
        unitPrice: l.unitPrice?.replace(/^-/, '') ?? centsToPrice(Math.abs(amount)),
        vatRate: rate(l),
        amountCents: amount,
      });
    } else {
      out.allowancesCharges.push({
        kind: l.kind === 'discount' ? 'allowance' : 'charge',
        reason: l.description,
        amountCents: Math.abs(l.amountCents),
        vatRate: rate(l),
      });
    }
  }
  return out;
}
