import { describe, expect, it } from 'vitest';
import { escapeHtml, visibleLength } from '../../src/bot/html.js';

describe('visibleLength', () => {
  it('counts what Telegram shows: no tags, one character per entity, one per emoji', () => {
    expect(visibleLength('<b>Total</b> : 1 500,00 €')).toBe('Total : 1 500,00 €'.length);
    expect(visibleLength(escapeHtml('a < b & c > d'))).toBe('a < b & c > d'.length);
    expect(visibleLength('✅ Confirmer 📎')).toBe(13); // 📎 is one character (two UTF-16 units)
    expect(visibleLength('📎📎')).toBe(2);
    expect(visibleLength('')).toBe(0);
    // A lone surrogate (a cut string) still counts as one.
    expect(visibleLength('x\ud83d')).toBe(2);
    expect(visibleLength('\ud83dx')).toBe(2);
  });
});
