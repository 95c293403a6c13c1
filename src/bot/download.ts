import { GrammyError, type Api } from 'grammy';
import { deadlineSignal } from '../shared/abort.js';
import { HttpBodyTooLargeError, httpFetch } from '../shared/http-client.js';
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
  const deadline = deadlineSignal(opts.timeoutMs ?? 60_000);
  try {
    const res = await httpFetch(url, { signal: deadline.signal, maxBytes: TELEGRAM_DOWNLOAD_LIMIT });
    if (!res.ok) throw new TelegramDownloadError(`file download answered HTTP ${res.status}`);
    return await res.bytes();
  } catch (error) {
    if (error instanceof TelegramDownloadError) throw error;
    if (error instanceof HttpBodyTooLargeError) throw new TelegramFileTooBigError();
    const reason = error instanceof Error ? error.message : String(error);
    throw new TelegramDownloadError(`file download failed: ${redactToken(reason, opts.token)}`);
  } finally {
    deadline.dispose();
  }
}
