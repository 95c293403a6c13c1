import { describe, expect, it } from 'vitest';
import { decodeCallbackData, encodeCallbackData } from '../../src/bot/callback-data.js';

describe('callback data', () => {
  it('round-trips draft, revision and choice within 64 bytes', () => {
    const data = encodeCallbackData({
      draftId: 'Ab3_x-9ZqP0',
      revision: 123456,
      choiceId: 'structure:21330063500017',
    });
    expect(data).toBe('Ab3_x-9ZqP0:123456:structure:21330063500017');
    expect(Buffer.byteLength(data!)).toBeLessThanOrEqual(64);
    expect(decodeCallbackData(data!)).toEqual({
      draftId: 'Ab3_x-9ZqP0',
      revision: 123456,
      choiceId: 'structure:21330063500017',
    });
  });

  it('encodes choices of views without a draft', () => {
    const data = encodeCallbackData({ choiceId: 'resume:2' });
    expect(data).toBe('::resume:2');
    expect(decodeCallbackData(data!)).toEqual({ choiceId: 'resume:2' });
  });

  it('refuses data that would not fit (the button is then left out)', () => {
    expect(encodeCallbackData({ draftId: 'a'.repeat(12), revision: 1, choiceId: 'x'.repeat(60) })).toBeNull();
  });

  it('rejects forged or foreign data', () => {
    for (const bad of [
      undefined,
      '',
      'hello',
      'a:b:c',
      '::',
      `${'a'.repeat(13)}:1:x`,
      'abc:1:é',
      `::${'x'.repeat(40)}`,
      'x'.repeat(65),
    ]) {
      expect(decodeCallbackData(bad), String(bad)).toBeNull();
    }
  });
});
