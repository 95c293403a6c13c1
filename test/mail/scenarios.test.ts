/**
 * End-to-end scenarios of the e-mail channel: a real Dovecot, a real SMTP listener, and the real
 * Facteur (createApp: conversation, recognition, embedded Chorus Pro simulator, SQLite store).
 * The crash scenario runs `node bin/facteur.js start` (dist/, built by `npm test`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { createApp, type App } from '../../src/app/index.js';
import { createConfig } from '../../src/config/schema.js';
import { createRecognizer } from '../../src/recognition/index.js';
import type { Recognizer } from '../../src/recognition/types.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { createStore } from '../../src/store/index.js';
import { dovecotMissing, startDovecot, type Dovecot } from './helpers/dovecot.js';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.js';
import { appendAll, buildMail, countIn, type ImapAccount } from './helpers/compose.js';
import {
  answersOf,
  AUTHSERV,
  CAMILLE,
  mailEnv,
  PASS,
  startMailApp,
  threadReply,
} from './helpers/mail-app.js';
import { untilWithin } from './helpers/until.js';

const EXEMPLE = readFileSync('examples/facture-exemple.pdf');
const MINISTERE = readFileSync('examples/facture-ministere.pdf');
const USERS = [
  { user: 'facteur@facteur.test', password: 'secret-1' },
  { user: 'crash@facteur.test', password: 'secret-2' },
  { user: 'burst@facteur.test', password: 'secret-3' },
];

let dovecot: Dovecot;
let smtp: SmtpSink;
let recognizer: Recognizer;
const dirs: string[] = [];

beforeAll(async () => {
  if (dovecotMissing) return;
  [dovecot, smtp] = await Promise.all([startDovecot(USERS), startSmtpSink()]);
  recognizer = createRecognizer();
});

afterAll(async () => {
  await recognizer?.close();
  await Promise.all([dovecot?.stop(), smtp?.stop()]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const until = untilWithin(60_000);

const envFor = (user: (typeof USERS)[number], dataDir: string, auth: 'dmarc' | 'none') =>
  mailEnv(user, { imapPort: dovecot.port, smtpUrl: smtp.url }, dataDir, auth);

/** Answers to the message `messageId`, from the listener; `answerTo` waits for `count` of them. */
const { answersTo, waitForAnswers: answerTo } = answersOf(() => smtp, until);

describe.skipIf(dovecotMissing)('e-mail scenarios with the real app', () => {
  let app: App;
  const user = USERS[0]!;
  const account: ImapAccount = { host: '127.0.0.1', port: 0, user: user.user, password: user.password };

  beforeAll(async () => {
    account.port = dovecot.port;
    const dataDir = mkdtempSync(join(tmpdir(), 'facteur-mail-e2e-'));
    dirs.push(dataDir);
    app = await startMailApp(envFor(user, dataDir, 'dmarc'), recognizer);
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
  });

  const reply = (to: ParsedMail, messageId: string, text: string) =>
    threadReply(to, { facteur: user.user, messageId, text, quote: true });

  it('forwarded invoice → report → « confirmer » with quoted history → summary → « confirmer » → receipt PDF, invoice in the simulator', async () => {
    const original = await buildMail({
      from: 'compta@commune-saint-aubin.fr',
      to: CAMILLE,
      subject: 'Facture de mars',
      text: 'Bonjour, voici la facture.',
      attachments: [{ filename: 'facture-exemple.pdf', content: EXEMPLE }],
    });
    await appendAll(account, 'INBOX', [
      await buildMail({
        from: `Camille Martin <${CAMILLE}>`,
        to: user.user,
        subject: 'Fwd: Facture de mars',
        messageId: '<e2e-fwd@example.fr>',
        text: 'À déposer.',
        attachments: [{ filename: 'Facture de mars.eml', content: original, contentType: 'message/rfc822' }],
        authResults: PASS,
      }),
    ]);
    const [report] = await answerTo('<e2e-fwd@example.fr>');
    expect(report!.subject).toMatch(/^Re: Facture de mars \[PROV-\d{4}-\d{4}\]$/);
    expect(report!.references).toContain('<e2e-fwd@example.fr>');
    expect(report!.text).toContain('Numéro de facture : F-2026-0042');
    expect(report!.text).toContain('Montant TTC : 1 500,00 €');
    expect(report!.html).toContain('F-2026-0042');

    await appendAll(account, 'INBOX', [
      await reply(report!, '<e2e-r1@example.fr>', 'Bonjour,\n\nconfirmer\n\nCordialement,\nCamille'),
    ]);
    const [summary] = await answerTo('<e2e-r1@example.fr>');
    expect(summary!.subject).toBe(report!.subject);
    expect(summary!.text).toContain('Récapitulatif avant envoi');

    await appendAll(account, 'INBOX', [await reply(summary!, '<e2e-r2@example.fr>', 'confirmer')]);
    const [receipt] = await answerTo('<e2e-r2@example.fr>');
    expect(receipt!.text).toContain('Facture déposée sur Chorus Pro');
    expect(receipt!.attachments).toHaveLength(1);
    expect(receipt!.attachments[0]!.contentType).toBe('application/pdf');
    expect(receipt!.attachments[0]!.content.subarray(0, 5).toString()).toBe('%PDF-');
    const deposited = app.simulator!.listInvoices();
    expect(deposited.map((i) => JSON.stringify(i))).toEqual([expect.stringContaining('F-2026-0042')]);
    await until(async () => (await countIn(account, 'Facteur/Traités')) === 3, 'three messages in Traités');
  }, 90_000);

  it('corrections by reply, one per line, reach the draft of the thread', async () => {
    await appendAll(account, 'INBOX', [
      await buildMail({
        from: CAMILLE,
        to: user.user,
        subject: 'Facture ministère',
        messageId: '<e2e-min@example.fr>',
        attachments: [{ filename: 'facture-ministere.pdf', content: MINISTERE }],
        authResults: PASS,
      }),
    ]);
    const [report] = await answerTo('<e2e-min@example.fr>');
    expect(report!.text).toContain('Numéro de facture : F-2026-0043');
    await appendAll(account, 'INBOX', [
      await reply(
        report!,
        '<e2e-min-r1@example.fr>',
        'numéro: F-2026-777\nengagement: 1300099999\nconfirmer',
      ),
    ]);
    const [summary] = await answerTo('<e2e-min-r1@example.fr>');
    expect(summary!.text).toContain('Numéro de facture : F-2026-777 (corrigé)');
    expect(summary!.text).toContain('Numéro d’engagement : 1300099999');
    expect(summary!.subject).toBe(report!.subject);
  }, 90_000);

  it('a one-tap answer (mailto: plus-address and subject, no thread headers) reaches its draft', async () => {
    await appendAll(account, 'INBOX', [
      await buildMail({
        from: CAMILLE,
        to: user.user,
        subject: 'Facture avril',
        messageId: '<e2e-tap@example.fr>',
        attachments: [{ filename: 'facture-exemple.pdf', content: EXEMPLE }],
        authResults: PASS,
      }),
    ]);
    const [report] = await answerTo('<e2e-tap@example.fr>');
    const button = /href="mailto:([^?"]+)\?subject=([^&"]+)&amp;body=Confirmer"/.exec(report!.html || '');
    expect(button).not.toBeNull();
    await appendAll(account, 'INBOX', [
      await buildMail({
        from: CAMILLE,
        to: decodeURIComponent(button![1]!),
        subject: decodeURIComponent(button![2]!),
        messageId: '<e2e-tap-1@example.fr>',
        text: 'Confirmer',
        authResults: PASS,
      }),
    ]);
    const [summary] = await answerTo('<e2e-tap-1@example.fr>');
    expect(summary!.text).toContain('Récapitulatif avant envoi');
    expect(summary!.subject).toBe(report!.subject);
  }, 90_000);

  it('« annuler » by reply cancels the draft', async () => {
    await appendAll(account, 'INBOX', [
      await buildMail({
        from: CAMILLE,
        to: user.user,
        subject: 'Erreur',
        messageId: '<e2e-cancel@example.fr>',
        attachments: [{ filename: 'facture-exemple.pdf', content: EXEMPLE }],
        authResults: PASS,
      }),
    ]);
    const [report] = await answerTo('<e2e-cancel@example.fr>');
    await appendAll(account, 'INBOX', [await reply(report!, '<e2e-cancel-1@example.fr>', 'annuler')]);
    const [cancelled] = await answerTo('<e2e-cancel-1@example.fr>');
    expect(cancelled!.text).not.toContain('Supprimer ce brouillon ?');
    const draft = (await app.store.conversations.list({ limit: 100 })).find((c) =>
      report!.subject?.includes(c.provisionalNumber),
    );
    expect(draft?.status).toBe('cancelled');
  }, 90_000);

  it('two PDFs in one message start two drafts, each answered in its own reply', async () => {
    await appendAll(account, 'INBOX', [
      await buildMail({
        from: CAMILLE,
        to: user.user,
        subject: 'Deux factures',
        messageId: '<e2e-two@example.fr>',
        attachments: [
          { filename: 'facture-exemple.pdf', content: EXEMPLE },
          { filename: 'facture-ministere.pdf', content: MINISTERE },
          { filename: 'devis.docx', content: Buffer.from('docx') },
        ],
        authResults: PASS,
      }),
    ]);
    const answers = await answerTo('<e2e-two@example.fr>', 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(answersTo('<e2e-two@example.fr>')).toHaveLength(2);
    const tokens = answers.map((a) => /\[(PROV-\d{4}-\d{4})\]/.exec(a.subject ?? '')?.[1]);
    expect(new Set(tokens).size).toBe(2);
    expect(
      answers.map((a) => (a.text ?? '').includes('F-2026-0042') || (a.text ?? '').includes('F-2026-0043')),
    ).toEqual([true, true]);
    expect(answers.filter((a) => (a.text ?? '').includes('« devis.docx » ignorée'))).toHaveLength(1);
  }, 90_000);

  it('a message without PDF gets a short help', async () => {
    await appendAll(account, 'INBOX', [
      await buildMail({
        from: CAMILLE,
        to: user.user,
        subject: 'Bonjour',
        messageId: '<e2e-nopdf@example.fr>',
        text: '',
        authResults: PASS,
      }),
    ]);
    const [help] = await answerTo('<e2e-nopdf@example.fr>');
    expect(help!.text).toContain('aucune facture PDF');
  }, 90_000);

  it('an unknown but authenticated sender is told access is denied; a forged sender gets nothing', async () => {
    await appendAll(account, 'INBOX', [
      await buildMail({
        from: 'inconnu@example.fr',
        to: user.user,
        subject: 'Facture',
        messageId: '<e2e-unknown@example.fr>',
        attachments: [{ filename: 'facture-exemple.pdf', content: EXEMPLE }],
        authResults: PASS,
      }),
      await buildMail({
        from: CAMILLE,
        to: user.user,
        subject: 'Facture urgente',
        messageId: '<e2e-forged@example.fr>',
        attachments: [{ filename: 'facture-exemple.pdf', content: EXEMPLE }],
        // Forged by the sender: our server said fail; another "server" says pass.
        authResults: [
          `${AUTHSERV}; spf=fail; dmarc=fail header.from=example.fr`,
          'mx.elsewhere.test; dmarc=pass header.from=example.fr',
        ],
      }),
      await buildMail({
        from: CAMILLE,
        to: user.user,
        subject: 'après',
        messageId: '<e2e-after@example.fr>',
        text: 'aide',
        authResults: PASS,
      }),
    ]);
    const [denied] = await answerTo('<e2e-unknown@example.fr>');
    expect(denied!.to && !Array.isArray(denied!.to) ? denied!.to.text : '').toBe('inconnu@example.fr');
    expect(denied!.text).toMatch(/accès|associée|autorisée/i);
    await answerTo('<e2e-after@example.fr>');
    expect(answersTo('<e2e-forged@example.fr>')).toHaveLength(0);
    await until(async () => (await countIn(account, 'Facteur/Refusés')) === 2, 'two messages in Refusés');
  }, 90_000);
});

describe.skipIf(dovecotMissing)('a burst of 500 messages with the real app', () => {
  const user = USERS[2]!;

  it('handles 500 messages appended at once: all, in order, none twice', async () => {
    const account: ImapAccount = {
      host: '127.0.0.1',
      port: dovecot.port,
      user: user.user,
      password: user.password,
    };
    const dataDir = mkdtempSync(join(tmpdir(), 'facteur-mail-burst-'));
    dirs.push(dataDir);
    const app = await createApp(createConfig(envFor(user, dataDir, 'none')), {
      logger: createSilentLogger(),
      recognizer,
    });
    try {
      const demo = await app.store.accounts.ensure({ name: 'demo' });
      await app.store.identities.link(demo.id, { channel: 'email', userId: CAMILLE });
      const ids = Array.from({ length: 500 }, (_, i) => `<burst-${i + 1}@example.fr>`);
      const raws = await Promise.all(
        ids.map((messageId, i) =>
          buildMail({ from: CAMILLE, to: user.user, subject: `n° ${i + 1}`, messageId, text: 'brouillons' }),
        ),
      );
      await appendAll(account, 'INBOX', raws);
      await app.start();
      const answers = () => smtp.messages.filter((m) => ids.includes(m.inReplyTo ?? ''));
      await until(() => answers().length >= 500, '500 answers', 120_000);
      await until(async () => (await countIn(account, 'Facteur/Traités')) === 500, 'all moved', 30_000);
      await new Promise((r) => setTimeout(r, 300));
      expect(answers().map((m) => m.inReplyTo)).toEqual(ids); // in order, once each
      expect(answers().every((m) => (m.text ?? '').includes('brouillon'))).toBe(true);
    } finally {
      await app.stop();
    }
  }, 180_000);
});

describe.skipIf(dovecotMissing)('crash and restart of facteur start, connection cut mid-batch', () => {
  const user = USERS[1]!;
  const N = 16;

  function spawnFacteur(dataDir: string, logPath: string): ChildProcess {
    const log = openSync(logPath, 'a');
    const child = spawn(process.execPath, ['bin/facteur.js', 'start'], {
      env: { ...process.env, ...envFor(user, dataDir, 'none'), LOG_LEVEL: 'info' },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    return child;
  }

  it('handles every message exactly once: one draft and one answer each, none lost', async () => {
    const account: ImapAccount = {
      host: '127.0.0.1',
      port: dovecot.port,
      user: user.user,
      password: user.password,
    };
    const dataDir = mkdtempSync(join(tmpdir(), 'facteur-mail-crash-'));
    dirs.push(dataDir);
    const logPath = join(dataDir, 'facteur.log');
    {
      const store = await createStore({ dataDir });
      const demo = await store.accounts.ensure({ name: 'demo' });
      await store.identities.link(demo.id, { channel: 'email', userId: CAMILLE });
      await store.close();
    }
    const ids = Array.from({ length: N }, (_, i) => `<crash-${i + 1}@example.fr>`);
    await appendAll(
      account,
      'INBOX',
      await Promise.all(
        ids.map((messageId, i) =>
          buildMail({
            from: CAMILLE,
            to: user.user,
            subject: `Facture ${i + 1}`,
            messageId,
            attachments: [{ filename: `f${i + 1}.pdf`, content: EXEMPLE }],
          }),
        ),
      ),
    );
    const answered = () =>
      new Set(smtp.messages.filter((m) => ids.includes(m.inReplyTo ?? '')).map((m) => m.inReplyTo)).size;

    let child = spawnFacteur(dataDir, logPath);
    await until(() => answered() >= 3, 'first answers', 90_000);
    await dovecot.kick(user.user); // the IMAP connection cut in the middle of the batch
    await until(() => answered() >= 6, 'answers after the cut', 90_000);
    child.kill('SIGKILL'); // the crash, in the middle of the batch
    await new Promise((r) => child.once('exit', r));
    expect(answered()).toBeLessThan(N);

    child = spawnFacteur(dataDir, logPath);
    try {
      await until(() => answered() === N, 'every answer', 120_000);
      await until(async () => (await countIn(account, 'Facteur/Traités')) === N, 'all moved', 30_000);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    const log = readFileSync(logPath, 'utf8');
    expect(log).toContain('mailbox connection lost');

    // One answer per message (a copy re-sent after the crash would carry the same Message-ID).
    for (const id of ids) {
      const answers = smtp.messages.filter((m) => m.inReplyTo === id);
      expect(new Set(answers.map((m) => m.messageId)).size, id).toBe(1);
    }
    // One draft per message, each analysed: a crash during the analysis of a PDF carries on with
    // the draft it had opened when the message is handled again, never a second one.
    const store = await createStore({ dataDir });
    try {
      const drafts = await store.conversations.list({ limit: 1000 });
      expect(drafts).toHaveLength(N);
      expect(drafts.filter((d) => d.snapshot !== null)).toHaveLength(N);
    } finally {
      await store.close();
    }
    expect(await countIn(account, 'INBOX')).toBe(0);
  }, 300_000);
});
