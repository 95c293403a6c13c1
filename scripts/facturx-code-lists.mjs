/**
 * Part of the derivation of the fast Factur-X Schematron (scripts/derive-facturx-schematron.mjs):
 * the code list lookups of the official rules,
 *   document('…_codedb.xml')/codedb/cl[@id=8]/enumeration[@value=$codeValue8]
 * become `($codeValue8 = $fx-code-8)`, where the global variable `fx-code-8` is the list's values,
 * written into the derived XSLT from the same vendored code list. SaxonJS has no index for the
 * lookup: it compares the value with each `enumeration` in turn (units: 2,000 of them), which made
 * most of the time of a long invoice.
 *
 * The two are equal: the path is true when some `enumeration` of the list has a `@value` equal to
 * some item of `$v`, both untyped, compared as strings; the general comparison of `$v` with the
 * list's strings is exactly that. The list ids are checked to be plain integers (so `@id=8`, a
 * numeric comparison, and the list's id as written select the same list) and the values to hold no
 * whitespace (the separator of the literal).
 */
import { DOMParser } from '@xmldom/xmldom';

const LOOKUP = /document\('([^']+)'\)\/codedb\/cl\[@id=(\d+)\]\/enumeration\[@value=\$([A-Za-z_][\w.-]*)\]/g;

/**
 * The lists of a `codedb` document: id → values.
 * @param {string} text
 * @returns {Map<string, string[]>}
 */
export function readCodeLists(text) {
  const doc = new DOMParser({
    onError: (level, msg) => {
      throw new Error(`code list: XML ${level}: ${msg}`);
    },
  }).parseFromString(text, 'text/xml');
  const root = doc.documentElement;
  if (root.localName !== 'codedb' || root.namespaceURI) throw new Error('code list: no codedb root');
  const lists = new Map();
  for (const cl of Array.from(root.childNodes).filter((n) => n.nodeType === 1)) {
    const id = cl.getAttribute('id');
    if (cl.localName !== 'cl' || !/^(0|[1-9]\d*)$/.test(id ?? ''))
      throw new Error(`code list: bad list ${id}`);
    if (lists.has(id)) throw new Error(`code list: list ${id} twice`);
    const values = Array.from(cl.childNodes)
      .filter((n) => n.nodeType === 1)
      .map((e) => {
        if (e.localName !== 'enumeration' || !e.hasAttribute('value'))
          throw new Error('code list: bad entry');
        const value = e.getAttribute('value');
        if (/[\s]/.test(value)) throw new Error(`code list: value with whitespace in list ${id}`);
        return value;
      });
    lists.set(id, values);
  }
  return lists;
}

/** The name of the global variable holding list `id`. */
export const listVariable = (id) => `fx-code-${id}`;

/** The XPath of the variable's value: the list's values as a sequence of strings. */
export function listSelect(values) {
  return `tokenize('${values.join(' ').replace(/'/g, "''")}', ' ')`;
}

/**
 * `expr` with its code list lookups replaced; `used` collects the list ids it now refers to.
 * @param {string} expr
 * @param {{ name: string, lists: Map<string, string[]> }} codedb
 * @param {Set<string>} used
 */
export function inlineCodeLists(expr, codedb, used) {
  let count = 0;
  const out = expr.replace(LOOKUP, (whole, file, id, variable) => {
    if (file !== codedb.name) throw new Error(`code list: ${file} is not ${codedb.name}`);
    if (!codedb.lists.has(id)) throw new Error(`code list: no list ${id} in ${file}`);
    used.add(id);
    count++;
    return `($${variable} = $${listVariable(id)})`;
  });
  return { expr: out, count };
}
