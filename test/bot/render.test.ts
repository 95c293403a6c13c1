import { describe, expect, it } from 'vitest';
import { renderView, slotOf } from '../../src/bot/render.js';
import type { View } from '../../src/machine/view.js';
import { checkHtml } from './fake-bot-api/html.js';

const block: View = {
  kind: 'block',
  draftId: 'd1',
  revision: 4,
  provisionalNumber: 'PROV-2026-0042',
  title: 'Destinataire',
  lines: ['Vérifiez le destinataire <public> & confirmez.'],
  blocks: [
    {
      id: 'destinataire',
      title: 'Destinataire',
      status: 'open',
      fields: [
        { key: 'recipient', label: 'SIRET', value: '21330063500017', status: 'recognized' },
        {
          key: 'service',
          label: 'Code service',
          value: null,
          status: 'missing',
          note: 'exigé par ce destinataire',
        },
      ],
    },
  ],
  choices: [
    { id: 'confirm', label: '✅ Confirmer', style: 'primary' },
    { id: 'edit', label: '✏️ Corriger' },
    { id: 'service:1', label: 'SERV-COMPTA — Service comptabilité et finances (Bordeaux)' },
  ],
  expectsText: { field: 'service', hint: 'Tapez le code service' },
};

describe('renderView', () => {
  it('lays out a block as valid, escaped Telegram HTML', () => {
    const r = renderView(block);
    expect(checkHtml(r.text).error).toBeNull();
    expect(r.text).toContain('<b>Destinataire</b> · <code>PROV-2026-0042</code>');
    expect(r.text).toContain('&lt;public&gt; &amp; confirmez');
    expect(r.text).toContain('SIRET : <b>21330063500017</b>');
    expect(r.text).toContain('⚠️ Code service : <i>à compléter</i>');
    expect(r.text).toContain('<i>exigé par ce destinataire</i>');
    expect(r.text).toContain('✍️ <i>Tapez le code service</i>');
    expect(r.slot).toBe('block:destinataire');
  });

  it('puts short buttons side by side and long ones alone, with draft and revision in the data', () => {
    const rows = renderView(block).keyboard!.inline_keyboard;
    expect(rows.map((row) => row.map((b) => b.text))).toEqual([
      ['✅ Confirmer', '✏️ Corriger'],
      ['SERV-COMPTA — Service comptabilité et finances (Bordeaux)'],
    ]);
    expect(rows[0]![0]).toMatchObject({ callback_data: 'd1:4:confirm' });
  });

  it('leaves out a choice whose data exceeds 64 bytes and reports it', () => {
    const r = renderView({ ...block, choices: [{ id: 'x'.repeat(60), label: 'Trop long' }] });
    expect(r.keyboard).toBeUndefined();
    expect(r.dropped).toEqual(['x'.repeat(60)]);
  });

  it('stops at Telegram’s 100 buttons', () => {
    const choices = Array.from({ length: 130 }, (_, i) => ({ id: `c${i}`, label: `Choix ${i}` }));
    const r = renderView({ kind: 'drafts', lines: ['x'], choices });
    expect(r.keyboard!.inline_keyboard.flat()).toHaveLength(100);
    expect(r.dropped).toHaveLength(30);
  });

  it('keeps a huge view under 4096 characters, still valid HTML', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `Ligne ${i} <avec> des & caractères à échapper`);
    const r = renderView({ kind: 'report', draftId: 'd', lines, choices: [] });
    const check = checkHtml(r.text);
    expect(check.error).toBeNull();
    expect(check.visibleLength).toBeLessThanOrEqual(4096);
    expect(r.text.endsWith('…')).toBe(true);
    const one = renderView({ kind: 'info', lines: ['<'.repeat(5000)], choices: [] });
    expect(checkHtml(one.text).error).toBeNull();
    expect(checkHtml(one.text).visibleLength).toBeLessThanOrEqual(4096);
  });

  it('sends the preview as a photo and PDFs as documents', () => {
    const bytes = new Uint8Array([1]);
    const r = renderView({
      kind: 'receipt',
      draftId: 'd',
      lines: ['Déposée'],
      choices: [],
      attachments: [
        { kind: 'preview-png', fileName: 'p.png', mimeType: 'image/png', bytes },
        { kind: 'receipt-pdf', fileName: 'r.pdf', mimeType: 'application/pdf', bytes },
      ],
    });
    expect(r.photos.map((a) => a.fileName)).toEqual(['p.png']);
    expect(r.documents.map((a) => a.fileName)).toEqual(['r.pdf']);
  });

  it('gives draft views a slot and others none', () => {
    expect(slotOf({ kind: 'report', draftId: 'd', lines: [], choices: [] })).toBe('report');
    expect(slotOf({ kind: 'summary', draftId: 'd', lines: [], choices: [] })).toBe('summary');
    expect(slotOf({ kind: 'cancel-confirm', draftId: 'd', lines: [], choices: [] })).toBe('summary');
    expect(slotOf({ kind: 'receipt', draftId: 'd', lines: [], choices: [] })).toBe('receipt');
    expect(slotOf({ kind: 'help', lines: [], choices: [] })).toBeUndefined();
    expect(slotOf({ kind: 'report', lines: [], choices: [] })).toBeUndefined();
  });
});

describe('renderText of a block step', () => {
  it('shows the other blocks as one progress line and details the open one', () => {
    const text = renderView({
      ...block,
      blocks: [
        { id: 'cadre', title: 'Cadre', status: 'confirmed', fields: [] },
        block.blocks![0]!,
        { id: 'fournisseur', title: 'Fournisseur', status: 'pending', fields: [] },
      ],
    }).text;
    expect(text).toContain('✅ Cadre · ✏️ Destinataire · ▫️ Fournisseur');
    // The title already names the step: its fields follow the progress line without a heading.
    expect(text).toContain('✏️ Destinataire · ▫️ Fournisseur\n\n• SIRET');
    expect(text).not.toContain('✏️ <b>Destinataire</b>');
    expect(checkHtml(text).error).toBeNull();
  });
});
