import { xmlRawValue } from './facturx-machine.js';
import { isFieldKey, type DraftContext, type DraftEvent } from './types.js';

/**
 * The Factur-X choices: `fx:pdf` (deposit the PDF alone with the draft's values) and
 * `fx:keep:<field>` (put back the value the XML states). Undefined for any other choice.
 */
export function facturxChoiceToEvent(choiceId: string, ctx: DraftContext): DraftEvent | undefined {
  if (choiceId === 'fx:pdf') return { type: 'PLAIN_PDF' };
  const keep = /^fx:keep:(\w+)$/.exec(choiceId);
  if (!keep || !ctx.facturx || !isFieldKey(keep[1] ?? '')) return undefined;
  const field = keep[1] as Parameters<typeof xmlRawValue>[1];
  const value = xmlRawValue(ctx.facturx, field);
  return value === undefined ? undefined : { type: 'SET', field, value };
}
