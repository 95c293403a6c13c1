/**
 * The ImapFlow client of one connection to Facteur's mailbox (the watcher makes a new one per
 * connection): credentials, IDLE restarts and the timeouts of a server that says nothing.
 */
import { ImapFlow } from 'imapflow';
import type { Config } from '../config/schema.js';

/** The IMAP part of the configuration (`MailConfig['imap']`, src/config/mail-env.ts). */
export type ImapSettings = NonNullable<Config['mail']>['imap'];

/** `rescanIntervalMs`: the watcher's re-scan period, which also bounds how long an IDLE lasts. */
export function createImapClient(imap: ImapSettings, rescanIntervalMs: number): ImapFlow {
  return new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.secure,
    auth: imap.accessToken
      ? { user: imap.user, accessToken: imap.accessToken }
      : { user: imap.user, pass: imap.password ?? '' },
    logger: false,
    clientInfo: { name: 'Facteur' },
    // IDLE is restarted regularly: some servers drop long IDLEs without a word.
    maxIdleTime: Math.min(rescanIntervalMs, 5 * 60_000),
    // Start IDLE as soon as a scan is over (the library default waits 15 s): new mail is then
    // announced at once. IDLE never starts while the scan holds the mailbox lock.
    autoIdleDelay: 300,
    // A server that accepts the connection and then says nothing is « unreachable » after 10 s.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
  });
}
