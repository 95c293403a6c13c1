/**
 * Raw RFC 5322 bytes → what the channel needs (pure, no I/O but the parser). PDFs are found in
 * the message itself, in forwarded messages and in attached `.eml` files (mailparser opens
 * `message/rfc822` parts; `.eml` sent as `application/octet-stream` are opened here).
 */
import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import { MalformedMailError } from './errors.js';
import { MAIL_LIMITS } from './limits.js';

export interface PdfPart {
  fileName: string;
  bytes: Uint8Array;
}

export interface IgnoredPart {
  fileName: string;
  reason: 'not-pdf' | 'too-large' | 'damaged';
  size: number;
}

export interface IncomingMail {
  /** `<id@host>` as written, or undefined when the sender gave none. */
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  subject: string;
  from: { address: string; name?: string };
  /** Every recipient address (To, Cc, Delivered-To), lower-cased: plus-addresses carry draft ids. */
  recipients: string[];
  text: string;
  pdfs: PdfPart[];
  ignored: IgnoredPart[];
  /** Raw values of every `Authentication-Results` header, top to bottom. */
  authenticationResults: string[];
  /** Auto-replies, bounces, lists: never answered (mail loops). */
  automated: boolean;
}

const PDF_MAGIC = Buffer.from('%PDF-');

function looksLikePdf(a: Attachment): boolean {
  const type = a.contentType.toLowerCase();
  if (type === 'application/pdf' || type === 'application/x-pdf') return true;
  if (a.filename?.toLowerCase().endsWith('.pdf')) return true;
  const head = a.content.subarray(0, 1024);
  return head.indexOf(PDF_MAGIC) !== -1;
}

function looksLikeMessage(a: Attachment): boolean {
  return a.contentType.toLowerCase() === 'message/rfc822' || Boolean(a.filename?.toLowerCase().endsWith('.eml'));
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  const out: string[] = [];
  const walk = (entries: AddressObject['value']) => {
    for (const e of entries) {
      if (e.address) out.push(e.address.toLowerCase());
      if (e.group) walk(e.group);
    }
  };
  for (const a of list) walk(a.value);
  return out;
}

function headerText(mail: ParsedMail, key: string): string | undefined {
  const v = mail.headers.get(key);
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  if (v && typeof v === 'object' && 'value' in v && typeof v.value === 'string') return v.value;
  return undefined;
}

/** Raw header values for `key` in order (the parser keeps only one in `headers`). */
function rawHeaderValues(mail: ParsedMail, key: string): string[] {
  return mail.headerLines
    .filter((h) => h.key === key)
    .map((h) => h.line.slice(h.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim());
}

function isAutomated(mail: ParsedMail, fromAddress: string): boolean {
  const autoSubmitted = headerText(mail, 'auto-submitted');
  if (autoSubmitted && autoSubmitted.trim().toLowerCase() !== 'no') return true;
  const precedence = headerText(mail, 'precedence')?.toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence.trim())) return true;
  const robotHeaders = ['x-autoreply', 'x-autorespond', 'list-id', 'list-unsubscribe'];
  if (mail.headerLines.some((h) => robotHeaders.includes(h.key))) return true;
  if (headerText(mail, 'return-path')?.trim() === '<>') return true;
  const local = fromAddress.split('@')[0] ?? '';
  return /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply)$/i.test(local);
}

async function collectParts(
  attachments: Attachment[],
  depth: number,
  pdfs: PdfPart[],
  ignored: IgnoredPart[],
): Promise<void> {
  for (const a of attachments) {
    const fileName = a.filename ?? (looksLikePdf(a) ? `facture-${pdfs.length + 1}.pdf` : 'pièce jointe');
    if (looksLikePdf(a)) {
      if (a.size > MAIL_LIMITS.maxAttachmentBytes) ignored.push({ fileName, reason: 'too-large', size: a.size });
      // Declared as PDF but not one once decoded: a broken transfer encoding (malformed MIME).
      else if (a.content.subarray(0, 1024).indexOf(PDF_MAGIC) === -1) ignored.push({ fileName, reason: 'damaged', size: a.size });
      else pdfs.push({ fileName, bytes: new Uint8Array(a.content) });
      continue;
    }
    if (looksLikeMessage(a) && depth < MAIL_LIMITS.maxNestingDepth) {
      const nested = await simpleParser(a.content, { skipTextToHtml: true, skipImageLinks: true }).catch(() => null);
      if (nested) {
        await collectParts(nested.attachments, depth + 1, pdfs, ignored);
        continue;
      }
    }
    // Inline images of signatures and HTML layouts are not worth a remark.
    if (a.related || (a.contentDisposition === 'inline' && a.contentType.startsWith('image/'))) continue;
    ignored.push({ fileName, reason: 'not-pdf', size: a.size });
  }
}

/** Parses a raw message. Throws `MalformedMailError` when it cannot be read or has no sender. */
export async function parseIncomingMail(raw: Buffer | Uint8Array): Promise<IncomingMail> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(Buffer.isBuffer(raw) ? raw : Buffer.from(raw), {
      skipTextToHtml: true,
      skipImageLinks: true,
    });
  } catch (error) {
    throw new MalformedMailError('mailparser failed', { cause: error });
  }
  const from = mail.from?.value.find((v) => v.address)?.address?.toLowerCase();
  if (!from || !/^[^\s@]+@[^\s@]+$/.test(from)) throw new MalformedMailError('no usable From address');
  const pdfs: PdfPart[] = [];
  const ignored: IgnoredPart[] = [];
  await collectParts(mail.attachments, 0, pdfs, ignored);
  const references = typeof mail.references === 'string' ? [mail.references] : (mail.references ?? []);
  const delivered = rawHeaderValues(mail, 'delivered-to').map((v) => v.toLowerCase());
  return {
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo,
    references: references.flatMap((r) => r.split(/\s+/)).filter((r) => r.length > 0),
    subject: mail.subject ?? '',
    from: { address: from, name: mail.from?.value.find((v) => v.address)?.name || undefined },
    recipients: [...new Set([...addresses(mail.to), ...addresses(mail.cc), ...delivered])],
    text: mail.text ?? '',
    pdfs,
    ignored,
    authenticationResults: rawHeaderValues(mail, 'authentication-results'),
    automated: isAutomated(mail, from),
  };
}

/**
 * Reads only the header block of a message (too large to download, or whose body is broken), so
 * that an authenticated sender still gets an answer. Throws `MalformedMailError` without a sender.
 */
export async function parseIncomingHeaders(raw: Buffer | Uint8Array): Promise<IncomingMail> {
  const buf = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
  const limit = Math.min(buf.length, 256 * 1024);
  let end = buf.subarray(0, limit).indexOf('\r\n\r\n');
  if (end === -1) end = buf.subarray(0, limit).indexOf('\n\n');
  const head = Buffer.concat([buf.subarray(0, end === -1 ? limit : end), Buffer.from('\r\n\r\n')]);
  const mail = await parseIncomingMail(head);
  return { ...mail, text: '', pdfs: [], ignored: [] };
}
