/**
 * Derives, by code, a fast single-pass XSLT from an official Factur-X Schematron (the XSLT 2.0
 * that the ISO Schematron skeleton generated, vendored verbatim in vendor/facturx-1.09/). Used by
 * scripts/compile-facturx-sef.mjs; never hand-edited, never committed as an XSLT.
 *
 * The official file runs one pass over the whole document per pattern (one mode Mk each), copies
 * the document's text once per pattern into `svrl:active-pattern`, and writes an SVRL element
 * per fired rule and report. The derived one keeps every rule's match pattern, `let` variables and
 * assert tests as they are, and changes only how they are reached and what they write:
 * - one walk of the document (same nodes, same order as the official traversal `@*|*` or `*`);
 *   at each node it applies only the pattern modes that have a rule whose context names that node
 *   (its last step's element name, and its parent's when the step before names it; wildcard and
 *   root contexts go where they can match). Inside a
 *   mode the rule templates and their priorities are unchanged, so a node still fires at most the
 *   first matching rule of each pattern, as Schematron requires;
 * - a failed assert writes `<f a="index"/>` with its location; its id, flag and text are kept in a
 *   table (`asserts`) read from the same official file, so messages stay identical;
 * - no fired-rule, successful-report nor active-pattern output (Facteur reads failed asserts only);
 * - in the tests and `let`s, a search of the whole document by name (`//ram:X`) becomes a key
 *   lookup selecting the same nodes (scripts/facturx-descendant-keys.mjs);
 * - a code list lookup in the vendored `_codedb.xml` becomes a comparison with the list's values,
 *   written in from that same file (scripts/facturx-code-lists.mjs).
 * The caller sorts failures by pattern (stable), which gives the official SVRL order back.
 */
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { KEY_NAME, KEY_USE, keyDescendantSearches } from './facturx-descendant-keys.mjs';
import { inlineCodeLists, listSelect, listVariable, readCodeLists } from './facturx-code-lists.mjs';

const XSL = 'http://www.w3.org/1999/XSL/Transform';
const SVRL = 'http://purl.oclc.org/dsdl/svrl';
const WALK = 'fx-walk';

/** @param {string} text @param {string} what */
function fail(text, what) {
  throw new Error(`derive-facturx-schematron: ${what}${text ? `: ${text.slice(0, 200)}` : ''}`);
}

/** @param {Node} node */
const elements = (node) => Array.from(node.childNodes).filter((n) => n.nodeType === 1);
/** @param {Element} el @param {string} local */
const isXsl = (el, local) => el.namespaceURI === XSL && el.localName === local;

/**
 * Splits an XPath pattern on `sep` outside brackets, parentheses and string literals.
 * @param {string} expr @param {string} sep
 */
function splitTop(expr, sep) {
  const parts = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (depth === 0 && c === sep) {
      parts.push(expr.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0 || quote) fail(expr, 'unbalanced pattern');
  parts.push(expr.slice(start));
  return parts;
}

/**
 * What a rule context can match, from its last step: `{ kind: 'element', ns, local }`, or
 * `{ kind: 'any-element' | 'attribute' | 'root' }`.
 * @param {string} pattern @param {Element} scope (resolves prefixes)
 */
export function contextTargets(pattern, scope) {
  return splitTop(pattern, '|').map((alternative) => {
    const path = alternative.trim();
    if (path === '/') return { kind: 'root' };
    const steps = splitTop(path, '/');
    let step = (steps[steps.length - 1] ?? '').trim();
    const bracket = step.indexOf('[');
    if (bracket >= 0) step = step.slice(0, bracket).trim();
    if (step.startsWith('@') || step.startsWith('attribute::')) return { kind: 'attribute' };
    if (step.startsWith('child::')) step = step.slice('child::'.length);
    if (step === '*' || step === 'node()' || /^[\w.-]+:\*$/.test(step)) return { kind: 'any-element' };
    const name = elementName(step, scope);
    if (!name) fail(pattern, 'unsupported rule context');
    // The parent's name when the step before is a plain name step (`…/ram:P/ram:X`), else null.
    const before = steps.length >= 3 ? (steps[steps.length - 2] ?? '').trim() : '';
    const parentStep = before.includes('[') ? before.slice(0, before.indexOf('[')).trim() : before;
    const parent = parentStep ? elementName(parentStep.replace(/^child::/, ''), scope) : null;
    return { kind: 'element', ns: name.ns, local: name.local, parent };
  });
}

/** `prefix:local` or `local` → its expanded name; null for any other step. */
function elementName(step, scope) {
  const qname = /^(?:([\w.-]+):)?([\w.-]+)$/.exec(step);
  if (!qname) return null;
  const [, prefix, local] = qname;
  const ns = prefix ? scope.lookupNamespaceURI(prefix) : '';
  if (prefix && !ns) fail(step, `unknown prefix ${prefix}`);
  return { ns: ns ?? '', local, key: `{${ns ?? ''}}${local}` };
}

/**
 * @param {string} xslText the official Schematron XSLT
 * @param {{ name: string, text: string }} codedb its code list (file name and content)
 * @returns {{ xsl: string, asserts: Array<{ id: string, flag?: string, text: string, pattern: number }>,
 *   patterns: number, ownPass: string[], keyedSearches: number, inlinedLookups: number,
 *   traversal: string }}
 */
export function deriveFastSchematron(xslText, codedb) {
  const codeLists = { name: codedb.name, lists: readCodeLists(codedb.text) };
  const usedLists = new Set();
  let inlined = 0;
  const doc = new DOMParser({ onError: (level, msg) => fail(msg, `XML ${level}`) }).parseFromString(
    xslText,
    'text/xml',
  );
  const sheet = doc.documentElement;
  if (!isXsl(sheet, 'stylesheet')) fail('', 'not an XSLT stylesheet');
  const templates = elements(sheet).filter((e) => isXsl(e, 'template'));

  // The pattern modes, in the order the official root template runs them.
  const root = templates.find((t) => t.getAttribute('match') === '/' && !t.hasAttribute('mode'));
  if (!root) fail('', 'no root template');
  const modes = Array.from(root.getElementsByTagNameNS(XSL, 'apply-templates'))
    .filter((a) => a.getAttribute('select') === '/' && a.hasAttribute('mode'))
    .map((a) => a.getAttribute('mode'));
  if (modes.length === 0) fail('', 'no pattern in the root template');
  const patternOf = new Map(modes.map((m, i) => [m, i]));

  /** @type {Array<{ id: string, flag?: string, text: string, pattern: number }>} */
  const asserts = [];
  const traversals = new Set();
  /** Per pattern: element keys `{ns}local`, and whether wildcard, attribute or root rules exist. */
  const reach = modes.map(() => ({
    names: new Set(),
    /** `{ns}parent/{ns}local` of rules whose context names the parent too. */
    pairs: new Set(),
    anyElement: false,
    attribute: false,
    root: false,
  }));
  const ofMode = (t) => (patternOf.has(t.getAttribute('mode')) ? t : null);
  const recursionOf = (t) =>
    elements(t).filter(
      (e) => isXsl(e, 'apply-templates') && e.getAttribute('mode') === t.getAttribute('mode'),
    );
  // A pattern one of whose rules does not go on into the children of the node it fired on (as
  // some EXTENDED rules do) keeps its own pass: the walk could not skip those descendants.
  const ownPass = new Set(
    templates
      .filter((t) => ofMode(t) && Number(t.getAttribute('priority')) >= 0 && recursionOf(t).length === 0)
      .map((t) => patternOf.get(t.getAttribute('mode'))),
  );

  let keyed = 0;
  for (const t of templates.filter(ofMode)) {
    const mode = t.getAttribute('mode');
    const pattern = /** @type {number} */ (patternOf.get(mode));
    const walked = !ownPass.has(pattern);
    const match = t.getAttribute('match');
    const priority = Number(t.getAttribute('priority'));
    const recursion = recursionOf(t);
    for (const r of recursion) traversals.add(r.getAttribute('select'));
    if (priority < 0) {
      // The skeleton's defaults: `text()` (nothing) and `@*|node()` (go on with the children).
      if (match !== 'text()' && !/^@\*\s*\|\s*node\(\)$|^node\(\)\s*\|\s*@\*$/.test(match ?? '')) {
        fail(match ?? '', `unexpected default template in ${mode}`);
      }
      // Walked: no default recursion (the walk visits every node once).
      if (walked) while (t.firstChild) t.removeChild(t.firstChild);
      continue;
    }
    if (recursion.length > 1) fail(match ?? '', `rule of ${mode} with two recursions`);
    if (walked) t.removeChild(recursion[0]);
    for (const target of contextTargets(match ?? '', t)) {
      const r = reach[pattern];
      if (target.kind === 'element' && target.parent)
        r.pairs.add(`${target.parent.key}/{${target.ns}}${target.local}`);
      else if (target.kind === 'element') r.names.add(`{${target.ns}}${target.local}`);
      else if (target.kind === 'any-element') r.anyElement = true;
      else if (target.kind === 'attribute') r.attribute = true;
      else r.root = true;
    }
    for (const child of elements(t)) {
      if (child.namespaceURI === SVRL && child.localName === 'fired-rule') t.removeChild(child);
      else if (isXsl(child, 'if') && elements(child).some((e) => e.localName === 'successful-report')) {
        t.removeChild(child);
      } else if (isXsl(child, 'choose')) rewriteAssert(child, pattern, asserts);
      else if (!isXsl(child, 'variable') && !recursion.includes(child)) {
        fail(child.localName, `unexpected element in a rule of ${mode}`);
      }
    }
    for (const [el, attr] of [
      ...Array.from(t.getElementsByTagNameNS(XSL, 'when')).map((w) => [w, 'test']),
      ...Array.from(t.getElementsByTagNameNS(XSL, 'variable')).map((v) => [v, 'select']),
    ]) {
      if (!el.hasAttribute(attr)) continue;
      const lists = inlineCodeLists(el.getAttribute(attr), codeLists, usedLists);
      const done = keyDescendantSearches(lists.expr, (prefix) => el.lookupNamespaceURI(prefix));
      if (done.rewritten > 0 || lists.count > 0) el.setAttribute(attr, done.expr);
      keyed += done.rewritten;
      inlined += lists.count;
    }
  }
  if (traversals.size !== 1) fail([...traversals].join(' ; '), 'patterns traverse differently');
  const traversal = /** @type {string} */ ([...traversals][0]);
  if (traversal !== '@*|*' && traversal !== '*') fail(traversal, 'unexpected traversal');

  // The new root template and the walk.
  while (root.firstChild) root.removeChild(root.firstChild);
  const r = append(doc, root, 'r', null);
  applyTo(doc, r, '.', WALK);
  for (const p of [...ownPass].sort((a, b) => a - b)) applyTo(doc, r, '/', modes[p]);
  const walker = (match, priority, patterns, recurse) => {
    const t = append(doc, sheet, 'xsl:template', XSL);
    t.setAttribute('match', match);
    t.setAttribute('mode', WALK);
    t.setAttribute('priority', String(priority));
    for (const p of patterns) applyTo(doc, t, '.', modes[p]);
    if (recurse) applyTo(doc, t, traversal, WALK);
  };
  const all = modes.map((_, i) => i).filter((p) => !ownPass.has(p));
  walker(
    '/',
    2,
    all.filter((p) => reach[p].root),
    true,
  );
  // A node is handed to the patterns with a rule naming it (with its parent, or with any parent)
  // or a rule for any element; the most specific walker template wins.
  const eqName = (key) => {
    const [, ns, local] = /^\{(.*)\}(.*)$/.exec(key) ?? fail(key, 'bad key');
    return `Q{${ns}}${local}`;
  };
  const pairs = new Set(reach.flatMap((x) => [...x.pairs]));
  const names = new Set([...reach.flatMap((x) => [...x.names]), ...[...pairs].map((k) => k.split('/')[1])]);
  for (const pair of [...pairs].sort()) {
    const [parent, name] = pair.split('/');
    const on = all.filter((p) => reach[p].pairs.has(pair) || reach[p].names.has(name) || reach[p].anyElement);
    walker(`${eqName(parent)}/${eqName(name)}`, 2, on, true);
  }
  for (const name of [...names].sort()) {
    const on = all.filter((p) => reach[p].names.has(name) || reach[p].anyElement);
    walker(eqName(name), 1, on, true);
  }
  walker(
    '*',
    0,
    all.filter((p) => reach[p].anyElement),
    true,
  );
  if (traversal.includes('@'))
    walker(
      '@*',
      0,
      all.filter((p) => reach[p].attribute),
      false,
    );

  if (keyed > 0) {
    const key = doc.createElementNS(XSL, 'xsl:key');
    key.setAttribute('name', KEY_NAME);
    key.setAttribute('match', '*');
    key.setAttribute('use', KEY_USE);
    sheet.insertBefore(key, sheet.firstChild);
  }
  for (const id of [...usedLists].sort((a, b) => Number(b) - Number(a))) {
    const variable = doc.createElementNS(XSL, 'xsl:variable');
    variable.setAttribute('name', listVariable(id));
    variable.setAttribute('select', listSelect(codeLists.lists.get(id)));
    sheet.insertBefore(variable, sheet.firstChild);
  }
  dropUnusedModes(sheet, [...modes, WALK]);
  return {
    xsl: new XMLSerializer().serializeToString(doc),
    asserts,
    patterns: modes.length,
    ownPass: [...ownPass].map((p) => modes[p]),
    keyedSearches: keyed,
    inlinedLookups: inlined,
    traversal,
  };
}

/**
 * `<xsl:choose><xsl:when test="T"/><xsl:otherwise><svrl:failed-assert>…` → same choose, whose
 * otherwise writes `<f a="i" l="location"/>`; the assert's id, flag and text go to `asserts`.
 */
function rewriteAssert(choose, pattern, asserts) {
  const [when, otherwise, ...rest] = elements(choose);
  if (!when || !isXsl(when, 'when') || !otherwise || !isXsl(otherwise, 'otherwise') || rest.length) {
    fail('', 'unexpected assert shape');
  }
  const [failed, ...more] = elements(otherwise);
  if (!failed || failed.localName !== 'failed-assert' || failed.namespaceURI !== SVRL || more.length) {
    fail('', 'unexpected assert shape');
  }
  const entry = { id: '', text: '', pattern };
  let location = null;
  for (const part of elements(failed)) {
    if (isXsl(part, 'attribute')) {
      const name = part.getAttribute('name');
      if (name === 'location') location = part;
      else if (name === 'id' || name === 'flag') {
        if (elements(part).length) fail(name, 'computed assert attribute');
        entry[name] = part.textContent ?? '';
      } else fail(name ?? '', 'unexpected assert attribute');
    } else if (part.namespaceURI === SVRL && part.localName === 'text') {
      if (elements(part).length) fail('', 'computed assert text');
      entry.text = part.textContent ?? '';
    } else fail(part.localName, 'unexpected assert part');
  }
  if (!location) fail('', 'assert without location');
  if (!entry.flag) delete entry.flag;
  const index = asserts.push(entry) - 1;
  const doc = choose.ownerDocument;
  otherwise.removeChild(failed);
  const f = append(doc, otherwise, 'f', null);
  f.setAttribute('a', String(index));
  location.setAttribute('name', 'l');
  f.appendChild(location);
}

function append(doc, parent, name, ns) {
  const el = ns ? doc.createElementNS(ns, name) : doc.createElementNS(null, name);
  parent.appendChild(el);
  return el;
}

function applyTo(doc, parent, select, mode) {
  const a = append(doc, parent, 'xsl:apply-templates', XSL);
  a.setAttribute('select', select);
  a.setAttribute('mode', mode);
}

/** Removes the templates of modes nothing applies any more (the skeleton's unused helpers). */
function dropUnusedModes(sheet, kept) {
  const templates = elements(sheet).filter((e) => isXsl(e, 'template'));
  const used = new Set(kept);
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of templates) {
      const mode = t.getAttribute('mode');
      if (t.hasAttribute('mode') && !used.has(mode)) continue;
      for (const a of Array.from(t.getElementsByTagNameNS(XSL, 'apply-templates'))) {
        const m = a.getAttribute('mode');
        if (m && !used.has(m)) {
          used.add(m);
          grew = true;
        }
      }
    }
  }
  for (const t of templates) {
    if (t.hasAttribute('mode') && !used.has(t.getAttribute('mode'))) sheet.removeChild(t);
  }
}
