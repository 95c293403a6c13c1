/** Builds test messages with nodemailer's MailComposer and appends them over IMAP. */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { ImapFlow } from 'imapflow';

export async function buildMail(
  options: Omit<Mail.Options, 'headers'> & { authResults?: string[]; headers?: Record<string, string> },
): Promise<Buffer> {
  const { authResults, headers, ...rest } = options;
  const list: Array<{ key: string; value: string }> = [
    ...(authResults ?? []).map((value) => ({ key: 'Authentication-Results', value })),
    ...Object.entries(headers ?? {}).map(([key, value]) => ({ key, value })),
  ];
  return await new MailComposer({ ...rest, headers: list }).compile().build();
}

export function pdfBytes(label: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`);
}

export interface ImapAccount {
  host: string;
  port: number;
  user: string;
  password: string;
}

export async function withImap<T>(account: ImapAccount, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({
    host: account.host,
    port: account.port,
    secure: false,
    auth: { user: account.user, pass: account.password },
    logger: false,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

export async function appendAll(account: ImapAccount, mailbox: string, raws: Buffer[]): Promise<void> {
  await withImap(account, async (client) => {
    for (const raw of raws) await client.append(mailbox, raw);
  });
}

/** UIDs per folder, for assertions on where messages ended up. */
export async function countIn(account: ImapAccount, path: string): Promise<number> {
  return await withImap(account, async (client) => {
    const status = await client.status(path, { messages: true }).catch(() => false as const);
    return status ? (status.messages ?? 0) : 0;
  });
}
