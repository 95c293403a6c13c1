import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { identityOf, intentOf } from '../../src/bot/translate.js';

const from = { id: 42, is_bot: false, first_name: 'Camille', last_name: 'Martin' };
const chat = { id: 42, type: 'private' as const, first_name: 'Camille' };
const msg = (content: Record<string, unknown>): Update =>
  ({ update_id: 7, message: { message_id: 1, date: 0, chat, from, ...content } }) as unknown as Update;

describe('translation of updates', () => {
  it('maps the menu commands to the conversation text commands', () => {
    expect(intentOf(msg({ text: '/aide' }))).toEqual({
      kind: 'input',
      input: { type: 'text', text: 'aide' },
    });
    expect(intentOf(msg({ text: '/reprendre' }))).toEqual({
      kind: 'input',
      input: { type: 'text', text: 'brouillons' },
    });
    expect(intentOf(msg({ text: '/reprendre 3' }))).toEqual({
      kind: 'input',
      input: { type: 'text', text: 'reprendre 3' },
    });
    expect(intentOf(msg({ text: '/brouillons@facteur_bot' }))).toEqual({
      kind: 'input',
      input: { type: 'text', text: 'brouillons' },
    });
    expect(intentOf(msg({ text: '/statut' }))).toEqual({
      kind: 'input',
      input: { type: 'text', text: 'statut' },
    });
    expect(intentOf(msg({ text: '/annuler' }))).toEqual({
      kind: 'input',
      input: { type: 'text', text: 'annuler' },
    });
  });

  it('reads /start with a linking code, and /start alone as a welcome', () => {
    expect(intentOf(msg({ text: '/start AbCdEf0123456789' }))).toEqual({
      kind: 'input',
      input: { type: 'link', code: 'AbCdEf0123456789' },
    });
    expect(intentOf(msg({ text: '/start' }))).toEqual({ kind: 'welcome' });
  });

  it('passes free text as is', () => {
    expect(intentOf(msg({ text: 'F-2026-001' }))).toEqual({
      kind: 'input',
      input: { type: 'text', text: 'F-2026-001' },
    });
  });

  it('accepts PDF documents and refuses photos, images and other files', () => {
    expect(
      intentOf(
        msg({
          document: {
            file_id: 'f',
            file_unique_id: 'u',
            file_name: 'facture.pdf',
            mime_type: 'application/pdf',
            file_size: 10,
          },
        }),
      ),
    ).toEqual({
      kind: 'document',
      fileId: 'f',
      fileName: 'facture.pdf',
      mimeType: 'application/pdf',
      size: 10,
    });
    expect(
      intentOf(
        msg({
          document: {
            file_id: 'f',
            file_unique_id: 'u',
            file_name: 'FACTURE.PDF',
            mime_type: 'application/octet-stream',
          },
        }),
      ).kind,
    ).toBe('document');
    expect(
      intentOf(
        msg({
          document: { file_id: 'f', file_unique_id: 'u', file_name: 'scan.jpg', mime_type: 'image/jpeg' },
        }),
      ).kind,
    ).toBe('not-pdf');
    expect(
      intentOf(msg({ document: { file_id: 'f', file_unique_id: 'u', file_name: 'facture.docx' } })).kind,
    ).toBe('not-pdf');
    expect(intentOf(msg({ photo: [{ file_id: 'p', file_unique_id: 'u', width: 1, height: 1 }] })).kind).toBe(
      'not-pdf',
    );
    expect(intentOf(msg({ voice: { file_id: 'v', file_unique_id: 'u', duration: 1 } })).kind).toBe(
      'unsupported',
    );
    expect(intentOf(msg({ new_chat_title: 'x' })).kind).toBe('ignore');
  });

  it('decodes button presses and flags foreign data', () => {
    const cb = (data: string): Update =>
      ({
        update_id: 8,
        callback_query: {
          id: 'q',
          from,
          chat_instance: 'c',
          data,
          message: { message_id: 5, date: 0, chat },
        },
      }) as unknown as Update;
    expect(intentOf(cb('d1:3:confirm'))).toEqual({
      kind: 'press',
      press: { draftId: 'd1', revision: 3, choiceId: 'confirm' },
      messageId: 5,
      queryId: 'q',
    });
    expect(intentOf(cb('garbage'))).toEqual({ kind: 'bad-press', messageId: 5, queryId: 'q' });
  });

  it('identifies the Telegram user by id', () => {
    expect(identityOf(msg({ text: 'x' }))).toEqual({
      channel: 'telegram',
      userId: '42',
      displayName: 'Camille Martin',
    });
  });
});
