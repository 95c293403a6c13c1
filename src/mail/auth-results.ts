/**
 * Sender authentication from `Authentication-Results` headers (RFC 8601).
 *
 * Anyone can write an `Authentication-Results` header into a message, so only the header added by
 * our own receiving server counts: the topmost one whose authserv-id equals the configured
 * `MAIL_AUTHSERV_ID` (a server prepends its header above everything the sender wrote; RFC 8601 §5
 * also asks it to remove forged copies bearing its id). Every other header is ignored.
 */

export type AuthPolicy = 'dmarc' | 'dkim' | 'none';

export interface AuthResult {
  method: string;
  result: string;
  /** `ptype.property` → value, e.g. `header.from` → `example.com`, `header.d` → `example.com`. */
  props: Record<string, string>;
}

export interface ParsedAuthResults {
  authservId: string;
  results: AuthResult[];
}

export interface AuthVerdict {
  ok: boolean;
  /** Why (English, for logs). */
  reason: string;
}

/** Removes RFC 5322 comments `( … )`, nested and escaped, outside quoted strings. */
function stripComments(value: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && i + 1 < value.length) {
      if (depth === 0) out += ch + value[i + 1];
      i++;
      continue;
    }
    if (depth === 0 && ch === '"') quoted = !quoted;
    if (!quoted && ch === '(') {
      depth++;
      continue;
    }
    if (!quoted && ch === ')' && depth > 0) {
      depth--;
      continue;
    }
    if (depth === 0) out += ch;
  }
  return out;
}

/** Splits on `;` outside quoted strings. */
function splitStatements(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

const unquote = (v: string) => (v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1) : v);

/** Parses one header value (without the `Authentication-Results:` name). Returns null when unreadable. */
export function parseAuthenticationResults(value: string): ParsedAuthResults | null {
  const statements = splitStatements(stripComments(value.replace(/\r?\n[ \t]+/g, ' ')));
  const head = statements.shift();
  if (!head) return null;
  // authserv-id may be followed by a version number.
  const authservId = head.split(/\s+/)[0]?.toLowerCase();
  if (!authservId) return null;
  const results: AuthResult[] = [];
  for (const statement of statements) {
    const tokens = statement.match(/[^\s=]+\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^\s]+)|\S+/g) ?? [];
    const first = tokens.shift();
    if (!first) continue;
    const m = /^([\w.-]+)\s*(?:\/\s*\d+)?\s*=\s*(\S+)$/.exec(first);
    if (!m) continue; // `none` or garbage
    const props: Record<string, string> = {};
    for (const token of tokens) {
      const p = /^([\w.-]+)\s*=\s*(.+)$/.exec(token);
      if (p?.[1] && p[2]) props[p[1].toLowerCase()] = unquote(p[2].trim());
    }
    results.push({ method: m[1]!.toLowerCase(), result: unquote(m[2]!).toLowerCase(), props });
  }
  return { authservId, results };
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** Relaxed alignment (RFC 7489 §3.1) approximated without the public-suffix list: same domain or one inside the other. */
function aligned(a: string, b: string): boolean {
  const x = a.toLowerCase().replace(/\.$/, '');
  const y = b.toLowerCase().replace(/\.$/, '');
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}

/**
 * Decides whether the sender `fromAddress` is authenticated under `policy`, given the raw values
 * of every `Authentication-Results` header in top-to-bottom order.
 */
export function checkSenderAuthentication(
  headerValues: string[],
  fromAddress: string,
  policy: AuthPolicy,
  authservId: string | undefined,
): AuthVerdict {
  if (policy === 'none') return { ok: true, reason: 'authentication check disabled (MAIL_AUTH=none)' };
  if (!authservId) return { ok: false, reason: 'MAIL_AUTHSERV_ID is not set' };
  const wanted = authservId.toLowerCase();
  const ours = headerValues.map(parseAuthenticationResults).find((h) => h?.authservId === wanted);
  if (!ours) return { ok: false, reason: `no Authentication-Results from ${authservId}` };
  const fromDomain = domainOf(fromAddress);
  const dmarc = ours.results.find((r) => r.method === 'dmarc');
  if (dmarc?.result === 'pass') {
    const hf = dmarc.props['header.from'];
    if (!hf || hf.toLowerCase() === fromDomain) return { ok: true, reason: 'dmarc=pass' };
    return { ok: false, reason: `dmarc=pass for ${hf}, not for ${fromDomain}` };
  }
  if (policy === 'dkim') {
    const dkim = ours.results.find(
      (r) => r.method === 'dkim' && r.result === 'pass' && r.props['header.d'] && aligned(r.props['header.d'], fromDomain),
    );
    if (dkim) return { ok: true, reason: `dkim=pass aligned (${dkim.props['header.d']})` };
    return { ok: false, reason: `no dmarc=pass nor aligned dkim=pass for ${fromDomain}` };
  }
  return { ok: false, reason: `dmarc=${dmarc?.result ?? 'absent'} for ${fromDomain}` };
}
