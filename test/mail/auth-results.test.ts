import { describe, expect, it } from 'vitest';
import { checkSenderAuthentication, parseAuthenticationResults } from '../../src/mail/auth-results.js';

const ID = 'mx.facteur.test';

describe('parseAuthenticationResults', () => {
  it('reads methods, results and properties, ignoring comments, versions and folding', () => {
    const parsed = parseAuthenticationResults(
      'mx.google.com 1;\r\n       dkim=pass header.i=@example.fr header.s=s1 header.b="ab;c";\r\n       spf=pass (google.com: domain of a@example.fr designates 1.2.3.4 as permitted sender) smtp.mailfrom=a@example.fr;\r\n       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.fr',
    );
    expect(parsed?.authservId).toBe('mx.google.com');
    expect(parsed?.results.map((r) => `${r.method}=${r.result}`)).toEqual(['dkim=pass', 'spf=pass', 'dmarc=pass']);
    expect(parsed?.results[0]!.props['header.b']).toBe('ab;c');
    expect(parsed?.results[2]!.props['header.from']).toBe('example.fr');
  });

  it('accepts « none » and rejects garbage', () => {
    expect(parseAuthenticationResults('mx.example.com; none')).toEqual({ authservId: 'mx.example.com', results: [] });
    expect(parseAuthenticationResults('')).toBeNull();
  });
});

describe('checkSenderAuthentication', () => {
  const ok = (headers: string[], from = 'camille@example.fr', policy: 'dmarc' | 'dkim' = 'dmarc') =>
    checkSenderAuthentication(headers, from, policy, ID).ok;

  it('accepts dmarc=pass from our own server for the From domain', () => {
    expect(ok([`${ID}; spf=pass; dkim=pass header.d=example.fr; dmarc=pass header.from=example.fr`])).toBe(true);
    expect(ok([`MX.Facteur.Test; dmarc=pass header.from=EXAMPLE.fr`])).toBe(true);
  });

  it('ignores headers from any other authserv-id, wherever they are', () => {
    expect(ok(['mx.evil.test; dmarc=pass header.from=example.fr'])).toBe(false);
    expect(ok([`${ID}; dmarc=fail header.from=example.fr`, `${ID}; dmarc=pass header.from=example.fr`])).toBe(false);
  });

  it('rejects a pass for another domain, a fail, or no verdict', () => {
    expect(ok([`${ID}; dmarc=pass header.from=other.fr`])).toBe(false);
    expect(ok([`${ID}; dmarc=fail header.from=example.fr`])).toBe(false);
    expect(ok([`${ID}; spf=pass smtp.mailfrom=example.fr`])).toBe(false);
    expect(ok([])).toBe(false);
  });

  it('with MAIL_AUTH=dkim, accepts an aligned DKIM pass but not a foreign signer', () => {
    expect(ok([`${ID}; dkim=pass header.d=example.fr; dmarc=none`], 'camille@example.fr', 'dkim')).toBe(true);
    expect(ok([`${ID}; dkim=pass header.d=mail.example.fr`], 'camille@example.fr', 'dkim')).toBe(true);
    expect(ok([`${ID}; dkim=pass header.d=mailchimp.com`], 'camille@example.fr', 'dkim')).toBe(false);
    expect(ok([`${ID}; dkim=fail header.d=example.fr`], 'camille@example.fr', 'dkim')).toBe(false);
    expect(ok([`${ID}; dkim=pass header.d=example.fr`], 'camille@example.fr', 'dmarc')).toBe(false);
  });

  it('accepts everything with MAIL_AUTH=none and nothing without an authserv-id', () => {
    expect(checkSenderAuthentication([], 'a@b.c', 'none', undefined).ok).toBe(true);
    expect(checkSenderAuthentication([`${ID}; dmarc=pass`], 'a@b.c', 'dmarc', undefined).ok).toBe(false);
  });
});
