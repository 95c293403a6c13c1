/**
 * JSON as the store writes it: `Uint8Array`s (attachments in views, bytes in snapshots) become
 * `{ "$bytes": "<base64>" }` and come back as `Uint8Array`s. A plain object whose only key is
 * `$bytes` is therefore reserved.
 */
export function encodeJson(value: unknown): string {
  const text = JSON.stringify(value === undefined ? null : value, function (this: unknown, key, v: unknown) {
    // `this[key]` is the raw value: a Buffer has already been turned into { type, data } in `v`.
    const raw = (this as Record<string, unknown>)[key];
    if (raw instanceof Uint8Array)
      return { $bytes: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
    return v;
  });
  return text;
}

export function decodeJson<T = unknown>(text: string): T {
  // The reviver costs a call per node: skip it when no bytes were stored (most snapshots).
  if (!text.includes('"$bytes"')) return JSON.parse(text) as T;
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const bytes = (v as { $bytes?: unknown }).$bytes;
      if (keys.length === 1 && typeof bytes === 'string') return new Uint8Array(Buffer.from(bytes, 'base64'));
    }
    return v;
  }) as T;
}
