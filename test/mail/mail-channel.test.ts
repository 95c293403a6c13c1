/**
 * The channel against a real Dovecot and a real SMTP listener, with the real SQLite channel
 * state, and a recording stand-in for the conversation (the end-to-end scenarios with the real
 * app are in scenarios.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { createMailChannel, MAIL_STATE_RETENTION_MS, type MailConfig } from '../../src/mail/index.js';
import { MailboxError, type WatcherEvent } from '../../src/mail/index.js';
import { createSilentLogger } from '../../src/shared/logger.js';
import { dovecotMissing } from './helpers/dovecot.js';
import { useMailBench } from './helpers/channel-bench.js';
import { appendAll, buildMail, countIn, pdfBytes, type ImapAccount } from './helpers/compose.js';
import { createFakeConversation } from './helpers/fake-conversation.js';
import { untilWithin } from './helpers/until.js';

const USERS = Array.from({ length: 16 }, (_, i) => ({ user: `box${i}@facteur.test`, password: `pw${i}` }));
const CAMILLE = 'camille@example.fr';

const bench = useMailBench(USERS, { dirPrefix: 'facteur-mail-', keyByte: 7 });

const until = untilWithin(20_000);

function setup(
  options: {
    auth?: MailConfig['auth'];
    allowed?: string[];
    password?: string;
    maxMessageBytes?: number;
    smtpUrl?: string;
    mailbox?: string;
  } = {},
) {
  const u = bench.nextUser();
  const account: ImapAccount = {
    host: bench.dovecot.host,
    port: bench.dovecot.port,
    user: u.user,
    password: u.password,
  };
  const conversation = createFakeConversation(options.allowed ?? [CAMILLE]);
  const events: WatcherEvent[] = [];
  const mail: MailConfig = {
    imap: {
      host: bench.dovecot.host,
      port: bench.dovecot.port,
      secure: false,
      user: u.user,
      password: options.password ?? u.password,
      mailbox: options.mailbox ?? 'INBOX',
    },
    smtpUrl: options.smtpUrl ?? bench.smtp.url,
    from: `Facteur <${u.user}>`,
    auth: options.auth ?? 'none',
    authservId: 'mx.facteur.test',
    rescanIntervalMs: 60_000,
  };
  const make = () =>
    createMailChannel({
      mail: { ...mail },
      conversations: conversation.service,
      channelState: bench.store.channelState,
      logger: createSilentLogger(),
      watcher: {
        backoff: { initialMs: 100, maxMs: 400 },
        batchSize: 10,
        maxMessageBytes: options.maxMessageBytes,
      },
      onEvent: (e) => events.push(e),
    });
  const start = async () => {
    const channel = make();
    bench.running.push(channel);
    await channel.start();
    return channel;
  };
  const handled = () => events.filter((e) => e.type === 'handled' && e.outcome !== 'retry').length;
  /** Points the next channels at the working SMTP listener. */
  const repairSmtp = () => {
    mail.smtpUrl = bench.smtp.url;
  };
  return { account, conversation, events, start, handled, address: u.user, repairSmtp };
}

describe.skipIf(dovecotMissing)('mail channel', () => {
  it('answers a forwarded invoice in the same thread, then a « confirmer » reply with the receipt', async () => {
    const t = setup();
    await t.start();
    const inner = await buildMail({
      from: 'compta@client.fr',
      to: CAMILLE,
      subject: 'Facture mars',
      text: 'Ci-joint.',
      attachments: [
        { filename: 'facture.pdf', content: pdfBytes('21330063500017'), contentType: 'application/pdf' },
      ],
    });
    const forward = await buildMail({
      from: `Camille Martin <${CAMILLE}>`,
      to: t.address,
      subject: 'Fwd: Facture mars',
      messageId: '<fwd-1@example.fr>',
      text: 'À déposer, merci.',
      attachments: [{ filename: 'transfert.eml', content: inner, contentType: 'message/rfc822' }],
    });
    await appendAll(t.account, 'INBOX', [forward]);
    const [report] = await bench.smtp.waitFor(1);
    expect(report!.inReplyTo).toBe('<fwd-1@example.fr>');
    expect(report!.subject).toBe('Re: Facture mars [PROV-2026-0001]');
    expect(report!.to && !Array.isArray(report!.to) ? report!.to.text : '').toContain(CAMILLE);
    expect(report!.text).toContain('Destinataire : 21330063500017');
    expect(report!.text).toContain('« Confirmer »');
    expect(report!.html).toContain('<b>21330063500017</b>');
    expect(t.conversation.applied).toHaveLength(1);
    expect(t.conversation.applied[0]!.input.type).toBe('file');

    // The user replies « confirmer » above the quoted history (French Gmail attribution).
    const reply = await buildMail({
      from: CAMILLE,
      to: t.address,
      subject: `Re: ${report!.subject}`,
      messageId: '<reply-1@example.fr>',
      inReplyTo: report!.messageId,
      references: ['<fwd-1@example.fr>', report!.messageId!],
      text: `Bonjour,\n\nconfirmer\n\nMerci !\nCamille\n\nLe jeu. 26 nov. 2026 à 10:02, Facteur <${t.address}> a écrit :\n> Destinataire : 21330063500017\n> Répondez « Confirmer »\n`,
    });
    await appendAll(t.account, 'INBOX', [reply]);
    const mails = await bench.smtp.waitFor(2);
    const receipt = mails[1]!;
    expect(t.conversation.applied).toHaveLength(2);
    const [draftId] = [...t.conversation.drafts.keys()];
    expect(t.conversation.applied[1]!.input).toEqual({
      type: 'choice',
      choiceId: 'confirm',
      draftId,
      revision: 1,
    });
    expect(receipt.inReplyTo).toBe('<reply-1@example.fr>');
    expect(receipt.references).toContain(report!.messageId);
    expect(receipt.subject).toBe('Re: Facture mars [PROV-2026-0001]');
    expect(receipt.attachments.map((a) => a.filename)).toEqual(['recepisse-PROV-2026-0001.pdf']);
    await until(async () => (await countIn(t.account, 'Facteur/Traités')) === 2, 'both messages moved');
    expect(await countIn(t.account, 'INBOX')).toBe(0);
  });

  it('routes a correction by plus-address when the client dropped the thread headers', async () => {
    const t = setup();
    await t.start();
    await appendAll(t.account, 'INBOX', [
      await buildMail({
        from: CAMILLE,
        to: t.address,
        subject: 'facture',
        attachments: [{ filename: 'a.pdf', content: pdfBytes('AAA') }],
      }),
    ]);
    const [first] = await bench.smtp.waitFor(1);
    const replyTo = first!.replyTo!.value[0]!.address!;
    expect(replyTo).toMatch(/^box\d+\+t[a-z0-9]+1@facteur\.test$/);
    await appendAll(t.account, 'INBOX', [
      await buildMail({
        from: CAMILLE,
        to: replyTo,
        subject: 'correction',
        text: 'destinataire: 110 046 018 00013\r\n\r\n-- \r\nCamille Martin\r\n06 12 34 56 78',
      }),
    ]);
    const mails = await bench.smtp.waitFor(2);
    const draftId = replyTo.split('+')[1]!.split('@')[0];
    expect(t.conversation.applied[1]!.input).toEqual({
      type: 'text',
      text: 'destinataire: 110 046 018 00013',
    });
    expect(t.conversation.applied[1]!.options?.draftId).toBe(draftId);
    expect(mails[1]!.text).toContain('Destinataire : 110 046 018 00013');
  });

  it('starts one draft per PDF, answers each in its own reply and lists ignored attachments', async () => {
    const t = setup();
    await t.start();
    await appendAll(t.account, 'INBOX', [
      await buildMail({
        from: CAMILLE,
        to: t.address,
        subject: 'deux factures',
        messageId: '<two@example.fr>',
        attachments: [
          { filename: 'un.pdf', content: pdfBytes('UN') },
          { filename: 'photo.jpg', content: Buffer.from('jpeg'), contentType: 'image/jpeg' },
          { filename: 'deux.pdf', content: pdfBytes('DEUX'), contentType: 'application/octet-stream' },
        ],
      }),
    ]);
    const mails = await bench.smtp.waitFor(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(mails).toHaveLength(2);
    expect(mails.map((m) => m.subject).sort()).toEqual([
      'Re: deux factures [PROV-2026-0001]',
      'Re: deux factures [PROV-2026-0002]',
    ]);
    expect(mails.every((m) => m.inReplyTo === '<two@example.fr>')).toBe(true);
    expect(mails[0]!.text).toContain('« photo.jpg » ignorée');
    expect(mails[1]!.text).not.toContain('photo.jpg');
    expect(t.conversation.applied.map((a) => (a.input.type === 'file' ? a.input.fileName : ''))).toEqual([
      'un.pdf',
      'deux.pdf',
    ]);
  });

  it('answers a message without PDF with a short help, and moves it to Traités', async () => {
    const t = setup();
    await t.start();
    await appendAll(t.account, 'INBOX', [
      await buildMail({ from: CAMILLE, to: t.address, subject: 'Question', text: '' }),
    ]);
    const [help] = await bench.smtp.waitFor(1);
    expect(help!.subject).toBe('Re: Question');
    expect(help!.text).toContain('aucune facture PDF');
    expect(t.conversation.applied).toHaveLength(0);
    await until(async () => (await countIn(t.account, 'Facteur/Traités')) === 1, 'moved');
  });

  it('tells an unknown but authenticated sender that access is denied, and links an address with an invitation code', async () => {
    const t = setup({ auth: 'dmarc' });
    await t.start();
    const ar = (domain: string) => [
      `mx.facteur.test; spf=pass smtp.mailfrom=${domain}; dkim=pass header.d=${domain}; dmarc=pass (p=reject) header.from=${domain}`,
    ];
    await appendAll(t.account, 'INBOX', [
      await buildMail({
        from: 'inconnu@autre.fr',
        to: t.address,
        subject: 'facture',
        authResults: ar('autre.fr'),
        attachments: [{ filename: 'a.pdf', content: pdfBytes('X') }],
      }),
      // The same stranger again: not told twice the same day.
      await buildMail({
        from: 'inconnu@autre.fr',
        to: t.address,
        subject: 'relance',
        authResults: ar('autre.fr'),
        text: 'alors ?',
      }),
    ]);
    const [denied] = await bench.smtp.waitFor(1);
    expect(denied!.text).toContain('Adresse inconnue.');
    await until(async () => (await countIn(t.account, 'Facteur/Refusés')) === 2, 'refused');
    expect(bench.smtp.messages).toHaveLength(1);
    expect(t.conversation.applied.map((a) => a.input.type)).toEqual(['text']);

    await appendAll(t.account, 'INBOX', [
      await buildMail({
        from: 'nouvelle@autre.fr',
        to: t.address,
        subject: 'Mon code AbCdEf0123456789',
        authResults: ar('autre.fr'),
        attachments: [{ filename: 'b.pdf', content: pdfBytes('NOUVELLE') }],
      }),
    ]);
    const mails = await bench.smtp.waitFor(3);
    expect(mails[1]!.text).toContain('Votre adresse est associée.');
    expect(mails[2]!.text).toContain('Destinataire : NOUVELLE');
    expect(t.conversation.applied.map((a) => a.input.type)).toEqual(['text', 'link', 'file']);
  });

  it('drops forged and unauthenticated senders without any answer (no backscatter)', async () => {
    const t = setup({ auth: 'dmarc' });
    await t.start();
    const forged = await buildMail({
      from: CAMILLE,
      to: t.address,
      subject: 'forged',
      // Written by the sender: a pass from another authserv-id, below our server's own fail.
      authResults: [
        'mx.facteur.test; dmarc=fail header.from=example.fr',
        'mx.evil.test; dmarc=pass header.from=example.fr',
      ],
      attachments: [{ filename: 'a.pdf', content: pdfBytes('F') }],
    });
    const noHeader = await buildMail({
      from: CAMILLE,
      to: t.address,
      subject: 'no header',
      attachments: [{ filename: 'a.pdf', content: pdfBytes('G') }],
    });
    const spoofedId = await buildMail({
      from: CAMILLE,
      to: t.address,
      subject: 'other id only',
      authResults: ['mx.evil.test; dmarc=pass header.from=example.fr'],
      text: 'confirmer',
    });
    const genuine = await buildMail({
      from: CAMILLE,
      to: t.address,
      subject: 'genuine',
      authResults: ['mx.facteur.test; dkim=pass header.d=example.fr; dmarc=pass header.from=example.fr'],
      attachments: [{ filename: 'ok.pdf', content: pdfBytes('OK') }],
    });
    await appendAll(t.account, 'INBOX', [forged, noHeader, spoofedId, genuine]);
    await until(() => t.handled() === 4, 'four messages handled');
    await bench.smtp.waitFor(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(bench.smtp.messages.map((m) => m.subject)).toEqual(['Re: genuine [PROV-2026-0001]']);
    expect(t.conversation.applied).toHaveLength(1);
    await until(async () => (await countIn(t.account, 'Facteur/Refusés')) === 3, 'three refused');
  });

  it('refuses more than ten PDFs and malformed messages with a clear answer, and never stops', async () => {
    const t = setup();
    await t.start();
    const many = await buildMail({
      from: CAMILLE,
      to: t.address,
      subject: 'onze',
      attachments: Array.from({ length: 11 }, (_, i) => ({
        filename: `f${i}.pdf`,
        content: pdfBytes(`F${i}`),
      })),
    });
    const malformed = Buffer.from(
      `From: ${CAMILLE}\r\nTo: ${t.address}\r\nSubject: casse\r\nMessage-ID: <broken@example.fr>\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: application/pdf; name="x.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n%%%%not base64\r\n`,
    );
    const noSender = Buffer.from('Subject: personne\r\n\r\nrien\r\n');
    const after = await buildMail({
      from: CAMILLE,
      to: t.address,
      subject: 'après',
      attachments: [{ filename: 'ok.pdf', content: pdfBytes('APRES') }],
    });
    await appendAll(t.account, 'INBOX', [many, malformed, noSender, after]);
    await until(() => t.handled() === 4, 'four messages handled');
    const mails = await bench.smtp.waitFor(3);
    expect(mails[0]!.text).toContain('Votre message contient 11 PDF');
    expect(mails.map((m) => m.subject)).toEqual(['Re: onze', 'Re: casse', 'Re: après [PROV-2026-0001]']);
    expect(mails[1]!.text).toContain('Facture non prise en compte');
    expect(mails[1]!.text).toContain('« x.pdf » illisible');
    expect(mails[1]!.text).not.toContain('aucune facture PDF');
    expect(mails[1]!.inReplyTo).toBe('<broken@example.fr>');
    expect(t.conversation.applied.filter((a) => a.input.type === 'file')).toHaveLength(1);
    await until(async () => (await countIn(t.account, 'Facteur/Refusés')) === 3, 'three refused');
    expect(await countIn(t.account, 'Facteur/Traités')).toBe(1);
  });

  it('refuses to start with a wrong IMAP password, with a French message', async () => {
    const t = setup({ password: 'wrong' });
    const error = await t.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailboxError);
    expect((error as MailboxError).userMessage).toContain('inaccessible');
  });

  it('refuses to start on a mailbox that does not exist, naming it', async () => {
    const t = setup({ mailbox: 'Factures' });
    const error = await t.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailboxError);
    expect((error as MailboxError).userMessage).toContain('« Factures »');
  });

  it('answers a message too large to download from its headers alone', async () => {
    const t = setup({ maxMessageBytes: 50_000 });
    await t.start();
    await appendAll(t.account, 'INBOX', [
      await buildMail({
        from: CAMILLE,
        to: t.address,
        subject: 'énorme',
        messageId: '<huge@example.fr>',
        attachments: [
          { filename: 'gros.pdf', content: Buffer.concat([pdfBytes('big'), Buffer.alloc(80_000, 1)]) },
        ],
      }),
    ]);
    const [answer] = await bench.smtp.waitFor(1);
    expect(answer!.inReplyTo).toBe('<huge@example.fr>');
    expect(answer!.text).toContain('Votre message pèse');
    expect(t.conversation.applied).toHaveLength(0);
    await until(async () => (await countIn(t.account, 'Facteur/Refusés')) === 1, 'refused');
  });

  it('sends notifications (reminders, receipts) into the thread of their draft', async () => {
    const t = setup();
    await t.start();
    await appendAll(t.account, 'INBOX', [
      await buildMail({
        from: CAMILLE,
        to: t.address,
        subject: 'rappel',
        messageId: '<notif@example.fr>',
        attachments: [{ filename: 'a.pdf', content: pdfBytes('N') }],
      }),
    ]);
    const [report] = await bench.smtp.waitFor(1);
    await until(() => t.handled() === 1, 'message handled'); // the thread is recorded once the answer is sent
    await t.conversation.notify({
      identity: { channel: 'email', userId: CAMILLE },
      view: {
        kind: 'reminder',
        draftId: [...t.conversation.drafts.keys()][0],
        provisionalNumber: 'PROV-2026-0001',
        title: 'Brouillon en attente',
        lines: ['Le brouillon PROV-2026-0001 attend votre réponse.'],
        choices: [],
      },
    });
    const mails = await bench.smtp.waitFor(2);
    expect(mails[1]!.inReplyTo).toBe(report!.messageId);
    expect([mails[1]!.references].flat()).toContain(report!.messageId);
    expect(mails[1]!.subject).toBe(report!.subject);
    expect(mails[1]!.text).toContain('attend votre réponse');
  });

  it('keeps a message whose answer could not be sent, and answers it once SMTP is back', async () => {
    const t = setup({ smtpUrl: 'smtp://127.0.0.1:9?starttls=false' });
    const broken = await t.start();
    await appendAll(t.account, 'INBOX', [
      await buildMail({
        from: CAMILLE,
        to: t.address,
        subject: 'smtp en panne',
        messageId: '<smtp-down@example.fr>',
        attachments: [{ filename: 'a.pdf', content: pdfBytes('S') }],
      }),
    ]);
    await until(() => t.events.some((e) => e.type === 'handled' && e.outcome === 'retry'), 'a failed send');
    await broken.stop();
    expect(await countIn(t.account, 'INBOX')).toBe(1);
    t.repairSmtp();
    await t.start();
    const [answer] = await bench.smtp.waitFor(1);
    expect(answer!.inReplyTo).toBe('<smtp-down@example.fr>');
    expect(t.conversation.applied).toHaveLength(1); // the draft was not started twice
    await until(async () => (await countIn(t.account, 'Facteur/Traités')) === 1, 'moved');
  });

  it('prunes its records older than the retention when it starts', async () => {
    const u = bench.nextUser();
    const calls: Array<[string, Date]> = [];
    const spying = {
      get: bench.store.channelState.get.bind(bench.store.channelState),
      set: bench.store.channelState.set.bind(bench.store.channelState),
      delete: bench.store.channelState.delete.bind(bench.store.channelState),
      claim: bench.store.channelState.claim.bind(bench.store.channelState),
      list: bench.store.channelState.list.bind(bench.store.channelState),
      async prune(namespace: string, before: Date) {
        calls.push([namespace, before]);
        return await bench.store.channelState.prune(namespace, before);
      },
    };
    const channel = createMailChannel({
      mail: {
        imap: {
          host: bench.dovecot.host,
          port: bench.dovecot.port,
          secure: false,
          user: u.user,
          password: u.password,
          mailbox: 'INBOX',
        },
        smtpUrl: bench.smtp.url,
        from: u.user,
        auth: 'none',
        rescanIntervalMs: 60_000,
      },
      conversations: createFakeConversation([CAMILLE]).service,
      channelState: spying,
      logger: createSilentLogger(),
    });
    bench.running.push(channel);
    await channel.start();
    await until(() => calls.length === 1, 'a prune');
    expect(calls[0]![0]).toBe('mail');
    expect(Math.abs(Date.now() - MAIL_STATE_RETENTION_MS - calls[0]![1].getTime())).toBeLessThan(60_000);
  });
});
