/**
 * « Version Factur-X »: the button on the receipt (`fxo:<draftId>`), the typed request
 * (« version factur-x », « factur-x F-2026-0042 »), and the pending question when the lines must
 * be typed (kept per identity in the durable key-value state). Pure parsing here.
 */
import { normalizeAnswer } from './format.js';

export type FacturxOutCommand = { kind: 'facturx-version'; draftId?: string; reference?: string };

export const FXO_CHOICE = {
  version: (draftId: string) => `fxo:${draftId}`,
  cancel: 'fxo:cancel',
} as const;

/** Namespace of the « lines awaited for draft X » state, keyed by `channel:userId`. */
export const FXO_PENDING_NAMESPACE = 'facturx-out:lines';

export function facturxOutChoice(choiceId: string): FacturxOutCommand | 'cancel' | undefined {
  if (choiceId === FXO_CHOICE.cancel) return 'cancel';
  const m = /^fxo:([\w-]{1,24})$/.exec(choiceId);
  return m?.[1] ? { kind: 'facturx-version', draftId: m[1] } : undefined;
}

export function parseFacturxOutText(raw: string): FacturxOutCommand | undefined {
  const text = normalizeAnswer(raw.replace(/^\//, '')).replace(/facturx|factur x/g, 'factur-x');
  const m =
    /^(?:(?:la |une )?version |format |en )?factur-x(?: (?:de |pour )?(?:la )?(?:facture )?(?:n[°o]? ?)?([a-z0-9][\w/+-]*))?$/.exec(
      text,
    );
  // « factur-x auto » is the account setting, not an invoice reference.
  if (!m || m[1] === 'auto') return undefined;
  if (!m[1]) return { kind: 'facturx-version' };
  const at = raw.toLowerCase().lastIndexOf(m[1]);
  return { kind: 'facturx-version', reference: at >= 0 ? raw.slice(at, at + m[1].length) : m[1] };
}
