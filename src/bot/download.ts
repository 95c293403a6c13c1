import { GrammyError, type Api } from 'grammy';
import { TelegramDownloadError, TelegramFileTooBigError } from './errors.js';
import { redactToken } from './redact.js';

/** The Bot API lets bots download files of up to 20 MB (https://core.telegram.org/bots/api#getfile). */
export const TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024;

export interface DownloadOptions {
  api: Api;
  token: string;
  apiRoot: string;
  fileId: string;
  timeoutMs?: number;
}

/** `getFile` then the file route; stops reading past 20 MB. */
export async function downloadTelegramFile(opts: DownloadOptions): Promise<Uint8Array> {
  const file = await opts.api.getFile(opts.fileId).catch((error: unknown) => {
    if (error instanceof GrammyError && /file is too big/i.test(error.description))
      throw new TelegramFileTooBigError();
    throw error;
  });
  if (!file.file_path) throw new TelegramDownloadError('getFile returned no file_path');
  const url = `${opts.apiRoot}/file/bot${opts.token}/${file.file_path}`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000) });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TelegramDownloadError(`file download failed: ${redactToken(reason, opts.token)}`);
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new TelegramDownloadError(`file download answered HTTP ${res.status}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > TELEGRAM_DOWNLOAD_LIMIT) {
      await reader.cancel();
      throw new TelegramFileTooBigError();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
