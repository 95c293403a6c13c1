import { describe, expect, it } from 'vitest';
import { extractReplyLines } from '../../src/mail/reply-text.js';

describe('extractReplyLines', () => {
  it('keeps the lines above a French Gmail attribution, without greeting and closing', () => {
    const text = 'Bonjour,\n\nconfirmer\n\nMerci !\nCamille\n\nLe jeu. 26 nov. 2026 à 10:02, Facteur <facteur@example.com> a écrit :\n> Récapitulatif\n> confirmer\n';
    expect(extractReplyLines(text)).toEqual(['confirmer']);
  });

  it('handles an attribution wrapped over two lines and non-breaking spaces', () => {
    const text = 'destinataire: 110 046 018 00013\nengagement : 1300012345\n\nLe 26/11/2026 à 10:02, Facteur <\nfacteur@example.com> a\u00a0écrit\u00a0:\n> x';
    expect(extractReplyLines(text)).toEqual(['destinataire: 110 046 018 00013', 'engagement : 1300012345']);
  });

  it('cuts at an English attribution', () => {
    expect(extractReplyLines('Hi,\nannuler\n\nOn Thu, Nov 26, 2026 at 10:02 AM Facteur <f@x.com> wrote:\n> hello')).toEqual(['annuler']);
  });

  it('cuts at Outlook headers, French and English', () => {
    const fr = 'numéro: F-2026-042\r\n\r\n________________________________\r\nDe : Facteur <f@x.com>\r\nEnvoyé : jeudi 26 novembre 2026 10:02\r\nÀ : Camille\r\nObjet : Re: Facture\r\n\r\nconfirmer';
    expect(extractReplyLines(fr)).toEqual(['numéro: F-2026-042']);
    const en = 'confirmer\n\nFrom: Facteur <f@x.com>\nSent: Thursday, November 26, 2026 10:02 AM\nTo: Camille\nSubject: Re: Facture\n\nannuler';
    expect(extractReplyLines(en)).toEqual(['confirmer']);
    expect(extractReplyLines('confirmer\n-----Message d’origine-----\nannuler')).toEqual(['confirmer']);
    expect(extractReplyLines('confirmer\n-----Original Message-----\nannuler')).toEqual(['confirmer']);
  });

  it('drops signatures (« -- », mobile footers) and quoted lines', () => {
    expect(extractReplyLines('confirmer\n-- \nCamille Martin\n06 12 34 56 78')).toEqual(['confirmer']);
    expect(extractReplyLines('confirmer\n\nEnvoyé de mon iPhone\n\n> old')).toEqual(['confirmer']);
    expect(extractReplyLines('> quoted first\nannuler\nSent from my Android')).toEqual(['annuler']);
    expect(extractReplyLines('confirmer\nCordialement,\nCamille')).toEqual(['confirmer']);
  });

  it('keeps a « De : » line that is not an Outlook header block', () => {
    expect(extractReplyLines('destinataire: 21330063500017\nde : rien à ajouter')).toEqual([
      'destinataire: 21330063500017',
      'de : rien à ajouter',
    ]);
  });

  it('returns nothing for an empty or quote-only reply', () => {
    expect(extractReplyLines('')).toEqual([]);
    expect(extractReplyLines('\n\n> everything quoted\n> here')).toEqual([]);
    expect(extractReplyLines('Bonjour,\n\nCordialement')).toEqual([]);
  });
});
