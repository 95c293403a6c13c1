/**
 * Lines typed by the user, on a phone or in a script, one per line of text:
 *
 * - « Prestation de mars, 1 250,00 € HT, TVA 20 % » (one item, quantity 1);
 * - « Formation, 2 jours × 900 €, TVA 20 % » (quantity, unit, unit price);
 * - « Formation ; 2 ; jours ; 900 ; 20 » (description ; quantity ; unit ; unit price ; rate),
 *   or « Formation ; 1 800 ; 20 » (description ; amount ; rate).
 *
 * A leading « une seule ligne : » / « lignes : » is ignored. French numbers (`1 250,00`).
 * Nothing is guessed: a line without an amount or a VAT rate is refused with an example.
 */
import type { FacturxLine } from './types.js';
import { normalizeRate, productCents } from './decimal-rate.js';

export type LinesTextResult = { ok: true; lines: FacturxLine[] } | { ok: false; line: number };

/** `1 250,00 €` → `"1250.00"`; undefined unless a plain French or dotted amount. */
function amount(text: string): string | undefined {
  const t = text
    .replace(/€|eur(os?)?|\bHT\b|\bH\.T\.?/gi, '')
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(',', '.');
  return /^\d+(\.\d{1,4})?$/.test(t) ? t : undefined;
}

const cents = (decimal: string) => productCents('1', decimal);

function rateOf(text: string, vatFree: boolean): string | undefined {
  if (/sans\s+tva|tva\s+non\s+applicable|franchise|exon/i.test(text)) return '0';
  const m = /(\d{1,2}(?:[.,]\d{1,2})?)\s*%/.exec(text);
  if (m) return normalizeRate(m[1]!.replace(',', '.'));
  return vatFree ? '0' : undefined;
}

function parseOne(raw: string, vatFree: boolean): FacturxLine | undefined {
  const text = raw.replace(/^\s*(une\s+seule\s+ligne|lignes?)\s*:\s*/i, '').trim();
  if (text.includes(';')) {
    const p = text.split(';').map((s) => s.trim());
    const description = p[0] ?? '';
    if (p.length >= 5) {
      const [quantity, unit, price, rate] = [
        amount(p[1]!),
        p[2],
        amount(p[3]!),
        rateOf(`${p[4]} %`, vatFree),
      ];
      if (!description || !quantity || !price || rate === undefined) return undefined;
      return {
        description,
        quantity,
        ...(unit ? { unit } : {}),
        unitPrice: price,
        vatRate: rate,
        amountCents: productCents(quantity, price),
      };
    }
    if (p.length >= 3) {
      const [total, rate] = [amount(p[1]!), rateOf(`${p[2]} %`, vatFree)];
      if (!description || !total || rate === undefined) return undefined;
      return { description, quantity: '1', unitPrice: total, vatRate: rate, amountCents: cents(total) };
    }
    return undefined;
  }
  const parts = text.split(/,\s+/);
  const description = parts[0]?.trim() ?? '';
  const rest = parts.slice(1).join(', ');
  const rate = rateOf(rest, vatFree);
  const times =
    /(\d+(?:[.,]\d+)?)\s*([\p{L}.]*)\s*(?:x|×|à)\s*([\d\s\u00a0\u202f]+(?:[.,]\d{1,4})?)\s*€?/iu.exec(rest);
  if (!description || rate === undefined) return undefined;
  if (times) {
    const quantity = times[1]!.replace(',', '.');
    const price = amount(times[3]!);
    if (!price) return undefined;
    const unit = times[2]?.trim();
    return {
      description,
      quantity,
      ...(unit ? { unit } : {}),
      unitPrice: price,
      vatRate: rate,
      amountCents: productCents(quantity, price),
    };
  }
  const money = parts
    .slice(1)
    .map((s) => amount(s.replace(/tva.*$/i, '')))
    .find((a) => a !== undefined);
  if (!money) return undefined;
  return { description, quantity: '1', unitPrice: money, vatRate: rate, amountCents: cents(money) };
}

/** Every non-empty line of `text` as an invoice line; the first unreadable one is reported (1-based). */
export function parseLinesText(text: string, options: { vatFree?: boolean } = {}): LinesTextResult {
  const rows = text.split(/\r?\n/).filter((r) => r.trim());
  const lines: FacturxLine[] = [];
  for (let i = 0; i < rows.length; i++) {
    const line = parseOne(rows[i]!, options.vatFree ?? false);
    if (!line) return { ok: false, line: i + 1 };
    lines.push(line);
  }
  return rows.length === 0 ? { ok: false, line: 1 } : { ok: true, lines };
}
