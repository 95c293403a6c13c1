import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';

export interface UploadedFile {
  fileName: string;
  mimeType: string;
  bytes: Buffer;
}

/**
 * Reads a Bot API request body into a plain parameter object, the way Telegram does: JSON,
 * url-encoded form, query string or multipart/form-data (grammY sends `InputFile`s as a part
 * named by a random id and the parameter as `attach://<id>`; both forms are resolved here).
 */
export async function readParams(
  req: IncomingMessage,
  query: URLSearchParams,
): Promise<{ params: Record<string, unknown>; files: Record<string, UploadedFile> }> {
  const params: Record<string, unknown> = Object.fromEntries(query);
  const files: Record<string, UploadedFile> = {};
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    await new Promise<void>((resolve, reject) => {
      const bb = busboy({ headers: req.headers });
      bb.on('field', (name, value) => {
        params[name] = value;
      });
      bb.on('file', (name, stream, info) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          files[name] = {
            fileName: info.filename ?? name,
            mimeType: info.mimeType,
            bytes: Buffer.concat(chunks),
          };
        });
      });
      bb.on('close', () => resolve());
      bb.on('error', reject);
      req.pipe(bb);
    });
  } else {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (body.length > 0) {
      if (type.includes('json')) Object.assign(params, JSON.parse(body) as Record<string, unknown>);
      else Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
    }
  }
  // Multipart and form values are strings: JSON-looking ones (reply_markup, commands) are parsed.
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === 'string' && /^[[{]/.test(v)) {
      try {
        params[k] = JSON.parse(v) as unknown;
      } catch {
        // a text that merely starts with a bracket
      }
    }
  }
  return { params, files };
}

/** The file a parameter refers to: `attach://<id>` or a part named like the parameter. */
export function fileParam(
  params: Record<string, unknown>,
  files: Record<string, UploadedFile>,
  name: string,
): UploadedFile | string | undefined {
  const v = params[name];
  if (typeof v === 'string' && v.startsWith('attach://')) return files[v.slice('attach://'.length)];
  if (files[name]) return files[name];
  return typeof v === 'string' ? v : undefined;
}
