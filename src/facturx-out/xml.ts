/**
 * The Factur-X XML of an invoice: lines checked against the totals, the EN 16931 CII written,
 * then validated against the official XSD and EN 16931 Schematron before anything else. An
 * invalid XML throws `FacturxXmlInvalidError` and is never used.
 */
import { writeCii } from '../recognition/facturx/cii-writer.js';
import { validateFacturxXml } from '../recognition/facturx/lazy-validator.js';
import type { CiiInvoice } from '../recognition/facturx/cii-invoice.js';
import type { FacturxSource } from './types.js';
import { checkLines } from './lines-check.js';
import { buildCiiInvoice } from './cii-build.js';
import { FacturxLinesError, FacturxXmlInvalidError } from './errors.js';

export interface FacturxXml {
  xml: string;
  invoice: CiiInvoice;
}

export async function makeFacturxXml(source: FacturxSource): Promise<FacturxXml> {
  const check = checkLines(source);
  if (!check.ok) throw new FacturxLinesError(check.problems);
  const invoice = buildCiiInvoice(source, check.breakdown, check.lineTotalCents);
  const xml = writeCii(invoice, 'EN16931');
  const validation = await validateFacturxXml(xml, { profile: 'EN16931' });
  if (!validation.valid) throw new FacturxXmlInvalidError(validation.errors);
  return { xml, invoice };
}
