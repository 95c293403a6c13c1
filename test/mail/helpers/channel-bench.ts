/**
 * The bench of the mail-channel suites (mail-channel, resilience): a real Dovecot with the suite's
 * users, an SMTP sink and a SQLite store for the channel state, started once per file; the channels
 * a test starts are stopped after it and the sink is emptied.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Channel } from '../../../src/app/channel.js';
import { createStore, type Store } from '../../../src/store/index.js';
import { dovecotMissing, startDovecot, type Dovecot, type DovecotUser } from './dovecot.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

export interface MailBench {
  readonly dovecot: Dovecot;
  readonly smtp: SmtpSink;
  readonly store: Store;
  /** Channels started by the current test: stopped after it. */
  readonly running: Channel[];
  /** A mailbox user no test has used yet. */
  nextUser(): DovecotUser;
}

export function useMailBench(
  users: DovecotUser[],
  options: { dirPrefix: string; keyByte: number },
): MailBench {
  let dovecot: Dovecot;
  let smtp: SmtpSink;
  let store: Store;
  let dataDir: string;
  let next = 0;
  const running: Channel[] = [];

  beforeAll(async () => {
    if (dovecotMissing) return;
    [dovecot, smtp] = await Promise.all([startDovecot(users), startSmtpSink()]);
    dataDir = mkdtempSync(join(tmpdir(), options.dirPrefix));
    store = await createStore({ dataDir, secretKey: Buffer.alloc(32, options.keyByte).toString('base64') });
  });

  afterAll(async () => {
    await Promise.all(running.map((c) => c.stop()));
    await store?.close();
    await Promise.all([dovecot?.stop(), smtp?.stop()]);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
    smtp.messages.length = 0;
    smtp.receivedAt.length = 0;
  });

  return {
    get dovecot() {
      return dovecot;
    },
    get smtp() {
      return smtp;
    },
    get store() {
      return store;
    },
    running,
    nextUser: () => users[next++]!,
  };
}
