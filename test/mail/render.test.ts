import { describe, expect, it } from 'vitest';
import { renderViews } from '../../src/mail/render.js';
import { collapseViews, groupViewsByDraft, matchChoice, nextAutoCancel, nextAutoConfirm } from '../../src/mail/view-flow.js';
import { draftFromPlusAddress, plusAddress, provisionalToken, replySubject } from '../../src/mail/reply-sender.js';
import type { View } from '../../src/machine/view.js';

const block = (draftId: string, revision: number, fieldStatus: 'recognized' | 'missing' = 'recognized'): View => ({
  kind: 'block',
  draftId,
  revision,
  provisionalNumber: 'PROV-2026-0042',
  title: 'Destinataire (3/5)',
  lines: ['Tout est juste ?'],
  blocks: [
    {
      id: 'destinataire',
      title: 'Destinataire',
      status: 'open',
      fields: [
        { key: 'recipient', label: 'SIRET du destinataire', value: 'Commune <Saint-Aubin> (213 300 635 00017)', status: 'recognized' },
        { key: 'service', label: 'Code service', value: null, status: fieldStatus, note: 'exigé par ce destinataire' },
      ],
    },
    { id: 'fournisseur', title: 'Fournisseur', status: 'pending', fields: [] },
  ],
  choices: [
    { id: 'ok', label: 'Confirmer', style: 'primary' },
    { id: 'edit:recipient', label: 'Corriger : SIRET du destinataire' },
  ],
});

describe('renderViews', () => {
  it('lays out fields by block in text and escaped HTML, with how to answer', () => {
    const out = renderViews([block('d1', 3, 'missing')], ['Pièce jointe « x.png » ignorée : ce n’est pas un PDF.']);
    expect(out.text).toContain('Destinataire (3/5) (PROV-2026-0042)');
    expect(out.text).toContain('  SIRET du destinataire : Commune <Saint-Aubin> (213 300 635 00017)');
    expect(out.text).toContain('  Code service : — (manquant ; exigé par ce destinataire)');
    expect(out.text).not.toContain('Fournisseur'); // a block to come, without content
    expect(out.text).toContain('« Confirmer »');
    expect(out.text).not.toContain('« Corriger : SIRET du destinataire »');
    expect(out.text).toContain('destinataire : 110 046 018 00013');
    expect(out.text.indexOf('x.png')).toBeLessThan(out.text.indexOf('Destinataire'));
    expect(out.html).toContain('Commune &lt;Saint-Aubin&gt;');
    expect(out.html).not.toContain('<Saint-Aubin>');
    expect(out.html).toContain('name="viewport"');
  });

  it('offers one-tap answers as mailto buttons addressed to the draft', () => {
    const out = renderViews([block('d1', 3)], [], { address: 'facteur+d1@example.com', subject: 'Re: Facture [PROV-2026-0042]' });
    expect(out.html).toContain('href="mailto:facteur+d1@example.com?subject=Re%3A%20Facture%20%5BPROV-2026-0042%5D&amp;body=Confirmer"');
    expect(out.html).not.toContain('body=Corriger');
    expect(renderViews([block('d1', 3)]).html).not.toContain('mailto:');
  });

  it('attaches the receipt but not the preview image', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const out = renderViews([
      {
        kind: 'receipt',
        draftId: 'd1',
        title: 'Facture déposée',
        lines: ['Numéro Chorus Pro : 3124001'],
        choices: [],
        attachments: [
          { kind: 'receipt-pdf', fileName: 'recap.pdf', mimeType: 'application/pdf', bytes },
          { kind: 'preview-png', fileName: 'apercu.png', mimeType: 'image/png', bytes },
        ],
      },
    ]);
    expect(out.attachments.map((a) => a.fileName)).toEqual(['recap.pdf']);
    expect(out.text).not.toContain('Pour répondre');
  });
});

describe('view flow', () => {
  it('keeps only the latest state of each draft, and every error and the report', () => {
    const report: View = { kind: 'report', draftId: 'd1', lines: ['9 informations'], choices: [] };
    const error: View = { kind: 'error', draftId: 'd1', lines: ['SIRET invalide'], choices: [] };
    const views = [report, block('d1', 1), error, block('d1', 2)];
    expect(collapseViews(views)).toEqual([report, error, views[3]]);
    const receipt: View = { kind: 'receipt', draftId: 'd1', lines: [], choices: [] };
    expect(collapseViews([block('d1', 5), receipt])).toEqual([receipt]);
  });

  it('groups views per draft in order, loose views with the first draft', () => {
    const info: View = { kind: 'info', lines: ['note'], choices: [] };
    const groups = groupViewsByDraft([block('d1', 1), block('d2', 1), info]);
    expect(groups.map((g) => g.map((v) => v.draftId ?? 'loose'))).toEqual([['loose', 'd1'], ['d2']]);
    expect(groupViewsByDraft([info])).toEqual([[info]]);
  });

  it('matches a reply line to an offered choice by label, id or number', () => {
    const choices = block('d1', 1).choices;
    expect(matchChoice('Confirmer', choices)?.id).toBe('ok');
    expect(matchChoice('  confirmer ! ', choices)?.id).toBe('ok');
    expect(matchChoice('corriger : siret du destinataire', choices)?.id).toBe('edit:recipient');
    expect(matchChoice('2', choices)?.id).toBe('edit:recipient');
    expect(matchChoice('destinataire: 110 046 018 00013', choices)).toBeUndefined();
    expect(matchChoice('9', choices)).toBeUndefined();
  });

  it('goes on confirming clean blocks only, never past a block needing an answer', () => {
    expect(nextAutoConfirm('confirmer', [block('d1', 4)], 'd1')).toEqual({ choiceId: 'ok', revision: 4 });
    expect(nextAutoConfirm('OK', [block('d1', 4)], undefined)).toEqual({ choiceId: 'ok', revision: 4 });
    expect(nextAutoConfirm('confirmer', [block('d1', 4, 'missing')], 'd1')).toBeUndefined();
    expect(nextAutoConfirm('destinataire: 1', [block('d1', 4)], 'd1')).toBeUndefined();
    const error: View = { kind: 'error', draftId: 'd1', lines: ['x'], choices: [] };
    expect(nextAutoConfirm('confirmer', [error, block('d1', 4)], 'd1')).toBeUndefined();
    const summary: View = { ...block('d1', 5), kind: 'summary' };
    expect(nextAutoConfirm('confirmer', [summary], 'd1')).toBeUndefined();
  });
});

describe('auto-cancel', () => {
  const ask: View = {
    kind: 'cancel-confirm',
    draftId: 'd1',
    revision: 7,
    lines: [],
    choices: [
      { id: 'ok', label: 'Oui, supprimer le brouillon', style: 'danger' },
      { id: 'back', label: 'Non, continuer', style: 'primary' },
    ],
  };
  it('answers yes to « delete this draft? » when the mail said « annuler »', () => {
    expect(nextAutoCancel('Annuler', [ask], 'd1')).toEqual({ choiceId: 'ok', revision: 7 });
    expect(nextAutoCancel('confirmer', [ask], 'd1')).toBeUndefined();
    expect(nextAutoCancel('annuler', [block('d1', 3)], 'd1')).toBeUndefined();
  });
});

describe('subjects and addresses', () => {
  it('prefixes « Re: » once and carries the draft token', () => {
    expect(replySubject('Facture mars')).toBe('Re: Facture mars');
    expect(replySubject('RE : TR: Fwd: Facture mars', 'PROV-2026-0042')).toBe('Re: Facture mars [PROV-2026-0042]');
    expect(replySubject('Re: Facture [PROV-2026-0042]', 'PROV-2026-0042')).toBe('Re: Facture [PROV-2026-0042]');
    expect(replySubject('')).toBe('Re: Votre facture');
    expect(provisionalToken('Re: Facture [prov-2026-0042]')).toBe('prov-2026-0042');
  });

  it('builds and reads plus-addresses of Facteur’s own mailbox only', () => {
    expect(plusAddress('facteur@example.com', 'HMRRtNh0sBU')).toBe('facteur+HMRRtNh0sBU@example.com');
    expect(plusAddress('facteur@example.com', 'bad id!')).toBeUndefined();
    expect(draftFromPlusAddress('facteur@example.com', ['x@y.z', 'facteur+abc123@example.com'])).toBe('abc123');
    expect(draftFromPlusAddress('facteur@example.com', ['other+abc123@example.com', 'facteur+abc@evil.com'])).toBeUndefined();
  });
});
