/**
 * Outgoing mail over SMTP (nodemailer). `SMTP_URL` carries host, port, TLS and the password
 * (`smtps://user:pass@smtp.example.com:465`); with `SMTP_ACCESS_TOKEN` the login is XOAUTH2.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Attachment } from '../machine/view.js';
import { MailSendError } from './errors.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<…@domain>`: chosen by the caller, deterministic, so a retried send keeps its identity. */
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  replyTo?: string;
  attachments?: Attachment[];
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  smtpUrl: string;
  accessToken?: string;
  /** `Facteur <facteur@example.com>` or a bare address. */
  from: string;
}

function transportOptions(smtpUrl: string, accessToken?: string) {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  const user = url.username ? decodeURIComponent(url.username) : undefined;
  const pass = url.password ? decodeURIComponent(url.password) : undefined;
  const auth = accessToken
    ? { type: 'OAuth2' as const, user: user ?? '', accessToken }
    : user
      ? { user, pass: pass ?? '' }
      : undefined;
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth,
    // Plain SMTP on a port other than 25 (a loopback relay or test listener) must not require STARTTLS.
    ignoreTLS: url.protocol === 'smtp:' && url.searchParams.get('starttls') === 'false',
    pool: true,
    maxConnections: 2,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  };
}

export function createMailer(options: MailerOptions): Mailer {
  const transport: Transporter = nodemailer.createTransport(transportOptions(options.smtpUrl, options.accessToken));
  return {
    async send(mail) {
      try {
        await transport.sendMail({
          from: options.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          inReplyTo: mail.inReplyTo,
          references: mail.references,
          replyTo: mail.replyTo,
          // RFC 3834: automatic answers say so, so that vacation responders do not answer back.
          headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
          attachments: mail.attachments?.map((a) => ({
            filename: a.fileName,
            content: Buffer.from(a.bytes),
            contentType: a.mimeType,
          })),
        });
      } catch (error) {
        throw new MailSendError(`SMTP send failed: ${(error as Error).message}`, { cause: error });
      }
    },
    close() {
      transport.close();
    },
  };
}
