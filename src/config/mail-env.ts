/**
 * The e-mail part of the environment (issue 6): IMAP (a URL, or host, port and the rest one by
 * one, the separate variables winning), SMTP and the sender-authentication policy. Composed into
 * the one schema of schema.ts; off without IMAP.
 */
import { z } from 'zod';
import {
  booleanFlag,
  duration,
  emptyToUndefined,
  optionalPort,
  optionalString,
  optionalUrl,
} from './env-values.js';

export const mailEnv = z.object({
  IMAP_URL: optionalUrl,
  IMAP_HOST: optionalString,
  IMAP_PORT: optionalPort,
  IMAP_USER: optionalString,
  IMAP_PASSWORD: optionalString,
  IMAP_ACCESS_TOKEN: optionalString,
  IMAP_TLS: z.preprocess(emptyToUndefined, booleanFlag.optional()),
  IMAP_MAILBOX: optionalString,
  SMTP_URL: optionalUrl,
  SMTP_ACCESS_TOKEN: optionalString,
  MAIL_FROM: optionalString,
  MAIL_AUTHSERV_ID: optionalString,
  MAIL_AUTH: z.enum(['dmarc', 'dkim', 'none']).default('dmarc'),
  MAIL_RESCAN_INTERVAL: duration,
});

export interface MailConfig {
  imap: {
    host: string;
    port: number;
    secure: boolean;
    user: string;
    password?: string;
    accessToken?: string;
    mailbox: string;
  };
  smtpUrl: string;
  smtpAccessToken?: string;
  from: string;
  authservId?: string;
  auth: 'dmarc' | 'dkim' | 'none';
  rescanIntervalMs: number;
}

/** The mail slice, undefined without IMAP; every missing companion variable goes to `problems`. */
export function mailConfig(env: z.infer<typeof mailEnv>, problems: string[]): MailConfig | undefined {
  if (!(env.IMAP_URL || env.IMAP_HOST)) return undefined;
  let host = env.IMAP_HOST;
  let port = env.IMAP_PORT;
  let secure = env.IMAP_TLS;
  let user = env.IMAP_USER;
  let password = env.IMAP_PASSWORD;
  let mailbox = env.IMAP_MAILBOX;
  if (env.IMAP_URL) {
    const url = new URL(env.IMAP_URL);
    if (url.protocol !== 'imap:' && url.protocol !== 'imaps:')
      problems.push('IMAP_URL doit commencer par imap:// ou imaps://');
    host ??= url.hostname;
    secure ??= url.protocol === 'imaps:';
    port ??= url.port ? Number(url.port) : secure ? 993 : 143;
    user ??= url.username ? decodeURIComponent(url.username) : undefined;
    password ??= url.password ? decodeURIComponent(url.password) : undefined;
    const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
    mailbox ??= path || undefined;
  }
  secure ??= true;
  port ??= secure ? 993 : 143;
  if (!user) problems.push('IMAP_USER (ou l’utilisateur dans IMAP_URL) est obligatoire');
  if (!password && !env.IMAP_ACCESS_TOKEN)
    problems.push('IMAP_PASSWORD ou IMAP_ACCESS_TOKEN est obligatoire');
  if (!env.SMTP_URL) problems.push('SMTP_URL est obligatoire avec IMAP');
  if (!env.MAIL_FROM) problems.push('MAIL_FROM est obligatoire avec IMAP');
  if (env.MAIL_AUTH !== 'none' && !env.MAIL_AUTHSERV_ID) {
    problems.push('MAIL_AUTHSERV_ID est obligatoire sauf avec MAIL_AUTH=none');
  }
  return {
    imap: {
      host: host ?? '',
      port,
      secure,
      user: user ?? '',
      password,
      accessToken: env.IMAP_ACCESS_TOKEN,
      mailbox: mailbox ?? 'INBOX',
    },
    smtpUrl: env.SMTP_URL ?? '',
    smtpAccessToken: env.SMTP_ACCESS_TOKEN,
    from: env.MAIL_FROM ?? '',
    authservId: env.MAIL_AUTHSERV_ID,
    auth: env.MAIL_AUTH,
    rescanIntervalMs: env.MAIL_RESCAN_INTERVAL ?? 60_000,
  };
}
