import { describe, expect, it } from 'vitest';
import { parseIncomingHeaders, parseIncomingMail } from '../../src/mail/parse-message.js';
import { MalformedMailError } from '../../src/mail/errors.js';
import { MAIL_LIMITS } from '../../src/mail/limits.js';
import { extractReplyLines } from '../../src/mail/reply-text.js';
import { buildMail, pdfBytes } from './helpers/compose.js';

describe('parseIncomingMail', () => {
  it('reads sender, thread headers, recipients and authentication results in order', async () => {
    const raw = await buildMail({
      from: 'Camille Martin <Camille@Example.FR>',
      to: 'facteur+d123@facteur.test',
      cc: 'autre@example.fr',
      subject: 'Re: Facture [PROV-2026-0042]',
      messageId: '<m2@example.fr>',
      inReplyTo: '<r1@facteur.test>',
      references: ['<m1@example.fr>', '<r1@facteur.test>'],
      text: 'confirmer',
      authResults: ['mx.facteur.test; dmarc=pass header.from=example.fr', 'mx.other; dmarc=fail'],
    });
    const mail = await parseIncomingMail(raw);
    expect(mail.from).toEqual({ address: 'camille@example.fr', name: 'Camille Martin' });
    expect(mail.messageId).toBe('<m2@example.fr>');
    expect(mail.inReplyTo).toBe('<r1@facteur.test>');
    expect(mail.references).toEqual(['<m1@example.fr>', '<r1@facteur.test>']);
    expect(mail.recipients).toEqual(['facteur+d123@facteur.test', 'autre@example.fr']);
    expect(mail.authenticationResults).toEqual(['mx.facteur.test; dmarc=pass header.from=example.fr', 'mx.other; dmarc=fail']);
    expect(mail.text.trim()).toBe('confirmer');
    expect(mail.automated).toBe(false);
  });

  it('finds PDFs by type, by name and by content, also inside attached .eml files two levels deep', async () => {
    const deepest = await buildMail({ from: 'a@b.c', subject: 'n2', attachments: [{ filename: 'profonde.pdf', content: pdfBytes('deep') }] });
    const middle = await buildMail({
      from: 'a@b.c',
      subject: 'n1',
      attachments: [{ filename: 'n2.eml', content: deepest, contentType: 'application/octet-stream' }],
    });
    const raw = await buildMail({
      from: 'camille@example.fr',
      subject: 'Fwd',
      attachments: [
        { filename: 'typee.pdf', content: pdfBytes('1'), contentType: 'application/pdf' },
        { filename: 'sans-type.bin', content: pdfBytes('2'), contentType: 'application/octet-stream' },
        { filename: 'nommee.PDF', content: pdfBytes('3'), contentType: 'application/octet-stream' },
        { filename: 'n1.eml', content: middle, contentType: 'message/rfc822' },
        { filename: 'tableau.xlsx', content: Buffer.from('xlsx') },
        { filename: 'logo.png', content: Buffer.from('png'), contentType: 'image/png', cid: 'logo@x', contentDisposition: 'inline' },
      ],
      html: '<p>Voir <img src="cid:logo@x"></p>',
    });
    const mail = await parseIncomingMail(raw);
    expect(mail.pdfs.map((p) => p.fileName).sort()).toEqual(['nommee.PDF', 'profonde.pdf', 'sans-type.bin', 'typee.pdf']);
    expect(Buffer.from(mail.pdfs.find((p) => p.fileName === 'profonde.pdf')!.bytes).toString()).toContain('% deep');
    expect(mail.ignored).toEqual([{ fileName: 'tableau.xlsx', reason: 'not-pdf', size: 4 }]);
  });

  it('sets aside PDFs above the size limit and PDFs damaged in transfer', async () => {
    const big = Buffer.concat([pdfBytes('big'), Buffer.alloc(MAIL_LIMITS.maxAttachmentBytes)]);
    const raw = await buildMail({
      from: 'camille@example.fr',
      subject: 'gros',
      attachments: [
        { filename: 'gros.pdf', content: big },
        { filename: 'abime.pdf', content: Buffer.from('not a pdf at all'), contentType: 'application/pdf' },
      ],
    });
    const mail = await parseIncomingMail(raw);
    expect(mail.pdfs).toEqual([]);
    expect(mail.ignored.map((i) => [i.fileName, i.reason])).toEqual([
      ['gros.pdf', 'too-large'],
      ['abime.pdf', 'damaged'],
    ]);
  });

  it('flags robots: auto-replies, bounces, mailing lists', async () => {
    const auto = await parseIncomingMail(await buildMail({ from: 'camille@example.fr', subject: 'Absent', headers: { 'Auto-Submitted': 'auto-replied' } }));
    const bounce = await parseIncomingMail(await buildMail({ from: 'MAILER-DAEMON@mx.example.fr', subject: 'Undelivered' }));
    const list = await parseIncomingMail(await buildMail({ from: 'news@example.fr', subject: 'News', headers: { 'List-Id': '<news.example.fr>' } }));
    const human = await parseIncomingMail(await buildMail({ from: 'camille@example.fr', subject: 'Hi', headers: { 'Auto-Submitted': 'no' } }));
    expect([auto.automated, bounce.automated, list.automated, human.automated]).toEqual([true, true, true, false]);
  });

  it('rejects a message without a usable sender as malformed', async () => {
    await expect(parseIncomingMail(Buffer.from('Subject: x\r\n\r\nbody'))).rejects.toBeInstanceOf(MalformedMailError);
    await expect(parseIncomingMail(Buffer.from('From: not an address\r\n\r\nbody'))).rejects.toBeInstanceOf(MalformedMailError);
  });

  it('reads the headers alone of a message whose body is not needed', async () => {
    const raw = await buildMail({ from: 'camille@example.fr', subject: 'énorme', messageId: '<big@example.fr>', attachments: [{ filename: 'a.pdf', content: pdfBytes('x') }] });
    const headerPart = raw.subarray(0, raw.indexOf('\r\n\r\n') + 4);
    const mail = await parseIncomingHeaders(headerPart);
    expect(mail.from.address).toBe('camille@example.fr');
    expect(mail.subject).toBe('énorme');
    expect(mail.messageId).toBe('<big@example.fr>');
    expect(mail.pdfs).toEqual([]);
  });

  it('reads HTML-only replies (Outlook, Gmail) down to the user’s own lines', async () => {
    const outlook = await parseIncomingMail(
      await buildMail({
        from: 'camille@example.fr',
        subject: 'RE: Facture',
        html: '<div>confirmer</div><div>engagement : 1300012345</div><br><div style="border-top:solid #E1E1E1 1.0pt"><p><b>De :</b> Facteur &lt;f@x.com&gt;<br><b>Envoyé :</b> jeudi 26 novembre 2026 10:02<br><b>À :</b> Camille<br><b>Objet :</b> Facture</p></div><p>annuler</p>',
      }),
    );
    expect(extractReplyLines(outlook.text)).toEqual(['confirmer', 'engagement : 1300012345']);
    const gmail = await parseIncomingMail(
      await buildMail({
        from: 'camille@example.fr',
        subject: 'Re: Facture',
        html: '<div dir="ltr">annuler</div><br><div class="gmail_quote"><div class="gmail_attr">Le jeu. 26 nov. 2026 à 10:02, Facteur &lt;f@x.com&gt; a écrit :<br></div><blockquote class="gmail_quote">confirmer</blockquote></div>',
      }),
    );
    expect(extractReplyLines(gmail.text)).toEqual(['annuler']);
  });
});
