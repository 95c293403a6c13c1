import { describe, expect, it } from 'vitest';
import { redactToken, sanitizeError } from '../../src/bot/redact.js';

const token = '123456:AAH-secret_part';

describe('token redaction', () => {
  it('removes the token and any bot<token> URL segment', () => {
    expect(redactToken(`request to https://api.telegram.org/bot${token}/getMe failed`, token)).toBe(
      'request to https://api.telegram.org/bot[secret]/getMe failed',
    );
    expect(redactToken('GET /file/bot987:OtherToken-x/documents/a.pdf')).toBe(
      'GET /file/bot[secret]/documents/a.pdf',
    );
  });

  it('sanitizes message, stack and the cause chain', () => {
    const inner = new Error(`connect ECONNREFUSED for /bot${token}/sendMessage`);
    const outer = Object.assign(new Error("Network request for 'sendMessage' failed!"), { error: inner });
    const out = JSON.stringify(sanitizeError(outer, token));
    expect(out).not.toContain('secret_part');
    expect(out).toContain('ECONNREFUSED');
    expect(sanitizeError('plain', token)).toEqual({ message: 'plain' });
  });
});
