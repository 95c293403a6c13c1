/**
 * Part of the derivation of the fast Factur-X Schematron (scripts/derive-facturx-schematron.mjs):
 * a search of the whole document by name, `//ram:X` at the start of a path, becomes a key lookup
 * `key('fx-element', 'X')[self::ram:X]`. SaxonJS has no index for `//`: every such search walks
 * the whole document, and some rules run sixty of them; the key (by local name, short: SaxonJS
 * stores keys in a trie, one level per character) is built once per document.
 *
 * The two select the same elements in the same (document) order: `//ram:X` is
 * `root()/descendant-or-self::node()/child::ram:X`, `key()` searches the root of the context node
 * and returns its nodes in document order, and `[self::ram:X]` keeps those of the right namespace. A predicate right after the step keeps its meaning only when it cannot be positional
 * (`//ram:X[1]` is "the first X of each parent"), so the search is rewritten only when every such
 * predicate is a comparison, `and`/`or`, or `not(…)`; otherwise it is left as it is.
 */

export const KEY_NAME = 'fx-element';
/** The key declaration the rewritten expressions need. */
export const KEY_USE = 'local-name()';

const OPERATOR_WORDS = new Set([
  'and',
  'or',
  'return',
  'in',
  'then',
  'else',
  'satisfies',
  'div',
  'idiv',
  'mod',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'to',
  'union',
  'intersect',
  'except',
]);
const NAME_CHAR = /[\w.\-\u00B7\u00C0-\uFFFF]/;

/** True when `//` at `at` starts a path (rather than continuing one, as in `a//b`). */
function startsPath(expr, at) {
  let i = at - 1;
  while (i >= 0 && /\s/.test(expr[i])) i--;
  if (i < 0) return true;
  const c = expr[i];
  if ('([,=<>+|!'.includes(c)) return true;
  if (c === '-') return i > 0 && /\s/.test(expr[i - 1]);
  if (!NAME_CHAR.test(c)) return false;
  let start = i;
  while (start > 0 && NAME_CHAR.test(expr[start - 1])) start--;
  const before = start > 0 ? expr[start - 1] : ' ';
  return OPERATOR_WORDS.has(expr.slice(start, i + 1)) && !/[:/@$]/.test(before) && !NAME_CHAR.test(before);
}

/** The end (exclusive) of the bracketed group opening at `open`, skipping string literals. */
function closing(expr, open) {
  let depth = 0;
  let quote = '';
  for (let i = open; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** True when the predicate's value is a boolean whatever the data (so never positional). */
function booleanPredicate(body) {
  let depth = 0;
  let quote = '';
  let top = '';
  for (const c of body) {
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (depth === 0) top += c;
  }
  const trimmed = body.trim();
  return (
    /[=<>]/.test(top) ||
    /\s(and|or)\s/.test(` ${top} `) ||
    (/^not\s*\(/.test(trimmed) && closing(trimmed, trimmed.indexOf('(')) === trimmed.length)
  );
}

/**
 * `expr` with its whole-document searches by name turned into key lookups.
 * @param {string} expr an XPath expression
 * @param {(prefix: string) => string | null} namespaceOf
 * @returns {{ expr: string, rewritten: number }}
 */
export function keyDescendantSearches(expr, namespaceOf) {
  let out = '';
  let rewritten = 0;
  let quote = '';
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === quote) quote = '';
      out += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c !== '/' || expr[i + 1] !== '/' || !startsPath(expr, i)) {
      out += c;
      continue;
    }
    const name = /^\s*([A-Za-z_][\w.-]*):([A-Za-z_][\w.-]*)/.exec(expr.slice(i + 2));
    const after = name ? i + 2 + name[0].length : -1;
    const uri = name ? namespaceOf(name[1]) : null;
    if (!name || !uri || expr[after] === '(' || expr[after] === ':') {
      out += c;
      continue;
    }
    // Every predicate right after the step must be boolean.
    let j = after;
    let safe = true;
    for (;;) {
      let k = j;
      while (k < expr.length && /\s/.test(expr[k])) k++;
      if (expr[k] !== '[') break;
      const end = closing(expr, k);
      if (end < 0 || !booleanPredicate(expr.slice(k + 1, end - 1))) {
        safe = false;
        break;
      }
      j = end;
    }
    if (!safe) {
      out += c;
      continue;
    }
    out += `key('${KEY_NAME}', '${name[2]}')[self::${name[1]}:${name[2]}]`;
    i = after - 1;
    rewritten++;
  }
  return { expr: out, rewritten };
}
