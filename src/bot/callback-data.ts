/**
 * Inline button data: `${draftId}:${revision}:${choiceId}` (draft and revision empty for views
 * without a draft). Telegram caps callback data at 64 bytes, so the state itself stays on the
 * server; draft ids are ≤ 12 chars and choice ids ≤ 32 ASCII chars (src/machine/view.ts).
 */

export const MAX_CALLBACK_BYTES = 64;

export interface ButtonPress {
  choiceId: string;
  draftId?: string;
  revision?: number;
}

/** The callback data of a choice, or null when it would not fit in 64 bytes. */
export function encodeCallbackData(press: ButtonPress): string | null {
  const data = `${press.draftId ?? ''}:${press.revision ?? ''}:${press.choiceId}`;
  return Buffer.byteLength(data, 'utf8') <= MAX_CALLBACK_BYTES && press.choiceId !== '' ? data : null;
}

/** Reads button data back; null for data this bot did not produce (forged or malformed). */
export function decodeCallbackData(data: string | undefined): ButtonPress | null {
  if (!data || Buffer.byteLength(data, 'utf8') > MAX_CALLBACK_BYTES) return null;
  const m = /^([A-Za-z0-9_-]{0,12}):(\d{0,9}):(.+)$/.exec(data);
  if (!m) return null;
  const [, draftId = '', revision = '', choiceId = ''] = m;
  if (!/^[\x20-\x7e]{1,32}$/.test(choiceId)) return null;
  return {
    choiceId,
    ...(draftId ? { draftId } : {}),
    ...(revision ? { revision: Number(revision) } : {}),
  };
}
